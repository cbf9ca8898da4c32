#include "services/event_service.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/identity_epoch.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace {

bool SameAccess(const policy::Actor& fresh, const policy::Actor& actor) {
  auto same = [](const policy::CustomerGrant& a, const policy::CustomerGrant& b) {
    return a.customer == b.customer && a.access == b.access;
  };
  return fresh.role == actor.role &&
         std::is_permutation(fresh.customers.begin(), fresh.customers.end(), actor.customers.begin(),
                             actor.customers.end(), same);
}

/// Issue 16 (fan-out to many streams): the last passed check of a credential (its user active, the
/// credential alive, the user's role and access), shared by the live streams of that credential. It is
/// trusted while storage::IdentityEpoch is what it was before that check's read (every committed write
/// to users, sessions, tokens or access advances it: a revocation, deactivation or logout is seen at the
/// next wake-up) and for at most 2 s (bounds what the epoch does not hear: a session expiring by time,
/// the CLI writing the same SQLite file). Without an exact epoch (PostgreSQL) nothing is kept.
class StreamChecks {
 public:
  std::optional<policy::Actor> Find(const Credential& credential, UserId user, std::uint64_t epoch,
                                    std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(Key(credential));
    if (it == entries_.end() || it->second.epoch != epoch || it->second.fresh.user != user ||
        now - it->second.at >= kTimeToLive) {
      return std::nullopt;
    }
    return it->second.fresh;
  }
  void Store(const Credential& credential, const policy::Actor& fresh, std::uint64_t epoch,
             std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) {
      std::erase_if(entries_, [&](const auto& e) { return e.second.epoch != epoch || now - e.second.at >= kTimeToLive; });
      if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    entries_.insert_or_assign(Key(credential), Entry{fresh, epoch, now});
  }

 private:
  static constexpr std::chrono::milliseconds kTimeToLive{2000};
  static constexpr std::size_t kMaxEntries = 4096;
  struct Entry {
    policy::Actor fresh;
    std::uint64_t epoch = 0;
    std::chrono::steady_clock::time_point at;
  };
  static std::int64_t Key(const Credential& c) { return c.id * 2 + (c.kind == AuthKind::kToken ? 1 : 0); }
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Entry> entries_;
};

StreamChecks& Checks() {
  static StreamChecks checks;
  return checks;
}

}  // namespace

std::optional<policy::Actor> EventService::Fresh(storage::Connection& c, const policy::Actor& actor,
                                                 const Credential& credential, StreamEnd& ended) {
  auto user = storage::FindUser(c, actor.tenant, actor.user);
  if (!user || !user->is_active || !CredentialAlive(c, credential, deps_.clock.Now(), deps_.config)) {
    ended = StreamEnd::kCredentialEnded;
    return std::nullopt;
  }
  policy::Actor fresh = actor;
  fresh.role = user->role;
  fresh.customers.clear();
  if (user->role == domain::Role::kCustomer) {
    for (const auto& g : storage::ListAccessOfUser(c, user->id)) {
      fresh.customers.push_back({g.customer, g.customer_name, g.access, g.is_primary_contact});
    }
  }
  if (!SameAccess(fresh, actor)) {
    ended = StreamEnd::kAccessChanged;
    return std::nullopt;
  }
  return fresh;
}

std::vector<storage::EventRecord> EventService::After(const policy::Actor& actor, const Credential& credential,
                                                      std::int64_t after, std::int64_t limit, StreamEnd& ended) {
  // The epoch is read before the transaction: a change committed after this read advances it again.
  const auto epoch = storage::IdentityEpoch(deps_.db);
  const auto now = std::chrono::steady_clock::now();
  std::optional<policy::Actor> fresh;
  if (epoch) fresh = Checks().Find(credential, actor.user, *epoch, now);
  auto tx = deps_.db.Read();
  if (fresh) {
    if (!SameAccess(*fresh, actor)) {  // checked for another stream of this credential, opened later
      ended = StreamEnd::kAccessChanged;
      return {};
    }
  } else {
    fresh = Fresh(tx->conn(), actor, credential, ended);
    if (!fresh) return {};
    if (epoch) Checks().Store(credential, *fresh, *epoch, now);
  }
  return storage::ListEventsAfter(tx->conn(), policy::ScopeOf(*fresh), fresh->user, std::max<std::int64_t>(after, 0),
                                  std::clamp<std::int64_t>(limit, 1, kMaxBatch));
}

std::int64_t EventService::Backlog(const policy::Actor& actor, const Credential& credential, std::int64_t after,
                                   std::int64_t cap) {
  std::int64_t total = 0;
  // Counted in batches through the same visibility query: bounded work (cap / kMaxBatch queries).
  while (total <= cap) {
    StreamEnd ended = StreamEnd::kNone;
    auto batch = After(actor, credential, after, kMaxBatch, ended);
    if (ended != StreamEnd::kNone) return 0;
    total += static_cast<std::int64_t>(batch.size());
    if (static_cast<std::int64_t>(batch.size()) < kMaxBatch) break;
    after = batch.back().id;
  }
  return total;
}

std::int64_t EventService::LastId(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::LastEventId(tx->conn(), actor.tenant);
}

}  // namespace portico::services
