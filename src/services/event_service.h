// Reading the event log as one caller may see it (API.md, "Live updates"): staff see their tenant's
// events, customer users only those about their customers' repairs and never internal ones; no event
// ever crosses tenants. The filter runs in SQL through the caller's CustomerScope.
#pragma once

#include <optional>
#include <vector>

#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/records.h"

namespace portico::services {

/// Why a live stream must end (issue 18): its credential ended (logout, token revoked, password changed,
/// user deactivated or gone: close 1008 / answer 401), or the user's role or customer access changed
/// since it opened (the client reconnects so that it waits for what it may now see: close 4001).
enum class StreamEnd { kNone, kCredentialEnded, kAccessChanged };

class EventService {
 public:
  static constexpr std::int64_t kMaxBatch = 200;

  explicit EventService(Deps deps) : deps_(deps) {}
  /// Visible events with id > after, oldest first, at most `limit` (<= kMaxBatch), for a live stream
  /// opened by `actor` with `credential`. The credential and the actor's access are read again from the
  /// database first (a stream must not outlive either): when the stream must end, `*ended` is set and
  /// nothing is returned.
  std::vector<storage::EventRecord> After(const policy::Actor& actor, const Credential& credential,
                                          std::int64_t after, std::int64_t limit, StreamEnd& ended);
  /// How many visible events lie after `after`, counted up to `cap` (for the slow-consumer rule); 0 once
  /// the stream must end (the next fetch says so).
  std::int64_t Backlog(const policy::Actor& actor, const Credential& credential, std::int64_t after,
                       std::int64_t cap);
  /// The newest event id of the caller's tenant (a starting point for a new client).
  std::int64_t LastId(const policy::Actor& actor);

 private:
  /// The actor as the database has it now, or nullopt with `ended` set.
  std::optional<policy::Actor> Fresh(storage::Connection& c, const policy::Actor& actor, const Credential& credential,
                                     StreamEnd& ended);
  Deps deps_;
};

}  // namespace portico::services
