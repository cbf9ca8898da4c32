// Credentials and their end (issue 18: "no credential outlives its end on any channel"). A request or a
// live stream remembers the credential it was authenticated with; live streams check it again on every
// wake-up. Whatever ends a credential or changes a user's access (logout, token revocation, a password
// change, deactivation, a role or customer-access change) writes an `auth.changed` event addressed to that
// user in the same transaction: every instance's live streams of the user wake through the event log and
// re-check at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::services {

/// How a request was authenticated; cookie-authenticated writes need the CSRF token.
enum class AuthKind { kSession, kToken };

/// The credential itself: a session row or an API token row.
struct Credential {
  AuthKind kind = AuthKind::kSession;
  std::int64_t id = 0;
};

/// Called after a commit with each event the transaction wrote (wakes live streams, the notifier).
using EventPublisher = std::function<void(const storage::EventRecord& event)>;

/// A service that writes events and hands each to the publisher after its commit.
class PublishesEvents {
 public:
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

 protected:
  void Publish(const storage::EventRecord& event) const {
    if (publish_) publish_(event);
  }

 private:
  EventPublisher publish_;
};

/// True while the credential still authenticates at `now`: the session exists and is within its idle
/// and absolute lifetimes (config.session_*), or the token exists and is not revoked.
bool CredentialAlive(storage::Connection& c, const Credential& credential, UnixSeconds now, const Config& config);

/// Writes an `auth.changed` event addressed to `user` (data: {"reason": reason}) and returns it for
/// publishing after the commit. Reasons: logout, token_revoked, password_changed, deactivated,
/// role_changed, access_changed.
storage::EventRecord RecordAuthChanged(storage::Connection& c, TenantId tenant, UserId user, std::string_view reason,
                                       UnixSeconds now);

}  // namespace portico::services
