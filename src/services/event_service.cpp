#include "services/event_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <spdlog/spdlog.h>

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
/// Refreshed ahead: from 1 s on, a worker's read (After) checks again, and the first in-memory read
/// (AfterInMemory) is sent to a worker to do so while the others still use the check, so that streams
/// woken regularly do not all fall back to the workers when it expires.
class StreamChecks {
 public:
  using Clock = std::chrono::steady_clock;
  /// The check if it is valid for `epoch` and younger than `max_age`. `claim_refresh`: from kRefreshAfter
  /// on, the first caller gets nullptr (it goes to check again) and the next ones the check.
  std::shared_ptr<const policy::Actor> Find(const Credential& credential, UserId user, std::uint64_t epoch,
                                            Clock::time_point now, Clock::duration max_age, bool claim_refresh) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(Key(credential));
    if (it == entries_.end() || it->second.epoch != epoch || it->second.fresh->user != user ||
        now - it->second.at >= std::min<Clock::duration>(max_age, kTimeToLive)) {
      return nullptr;
    }
    if (claim_refresh && now - it->second.at >= kRefreshAfter && !it->second.refreshing) {
      it->second.refreshing = true;
      return nullptr;
    }
    return it->second.fresh;
  }
  void Store(const Credential& credential, const policy::Actor& fresh, std::uint64_t epoch, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) {
      std::erase_if(entries_, [&](const auto& e) { return e.second.epoch != epoch || now - e.second.at >= kTimeToLive; });
      if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    entries_.insert_or_assign(Key(credential), Entry{std::make_shared<const policy::Actor>(fresh), epoch, now, false});
  }
  /// The credential's check failed (its stream ends): the other streams of it check again too.
  void Erase(const Credential& credential) {
    std::lock_guard lock(mutex_);
    entries_.erase(Key(credential));
  }

  static constexpr std::chrono::milliseconds kTimeToLive{2000};
  static constexpr std::chrono::milliseconds kRefreshAfter{1000};

 private:
  static constexpr std::size_t kMaxEntries = 4096;
  struct Entry {
    std::shared_ptr<const policy::Actor> fresh;
    std::uint64_t epoch = 0;
    Clock::time_point at;
    bool refreshing = false;
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
  after = std::max<std::int64_t>(after, 0);
  limit = std::clamp<std::int64_t>(limit, 1, kMaxBatch);
  CatchUp(std::nullopt, kMaxRingAge);
  // The epoch is read before the transaction: a change committed after this read advances it again.
  const auto epoch = storage::IdentityEpoch(deps_.db);
  // Events the ring holds now committed before the check below reads: none committed after a change of
  // access that the check does not see.
  const auto up_to = ring_.covered();
  const auto now = std::chrono::steady_clock::now();
  std::shared_ptr<const policy::Actor> cached;
  if (epoch) cached = Checks().Find(credential, actor.user, *epoch, now, StreamChecks::kRefreshAfter, false);
  std::unique_ptr<storage::Transaction> tx;
  std::optional<policy::Actor> fresh;
  if (cached) {
    if (!SameAccess(*cached, actor)) {  // checked for another stream of this credential, opened later
      ended = StreamEnd::kAccessChanged;
      return {};
    }
    fresh = *cached;
  } else {
    tx = deps_.db.Read();
    fresh = Fresh(tx->conn(), actor, credential, ended);
    if (!fresh) {
      Checks().Erase(credential);
      return {};
    }
    if (epoch) Checks().Store(credential, *fresh, *epoch, now);
  }
  const auto scope = policy::ScopeOf(*fresh);
  if (auto recent = ring_.Read(scope, fresh->user, after, up_to, limit)) return std::move(*recent);
  if (!tx) tx = deps_.db.ReadEach();  // one statement
  return storage::ListEventsAfter(tx->conn(), scope, fresh->user, after, limit);
}

std::optional<std::vector<storage::EventRecord>> EventService::AfterInMemory(const policy::Actor& actor,
                                                                             const Credential& credential,
                                                                             std::int64_t after, std::int64_t limit,
                                                                             StreamEnd& ended) {
  const auto epoch = storage::IdentityEpoch(deps_.db);
  if (!epoch) return std::nullopt;  // no exact epoch (PostgreSQL): every check reads the database
  const auto up_to = ring_.covered();  // see After()
  auto fresh = Checks().Find(credential, actor.user, *epoch, std::chrono::steady_clock::now(),
                             StreamChecks::kTimeToLive, true);
  if (!fresh) return std::nullopt;
  if (!SameAccess(*fresh, actor)) {
    ended = StreamEnd::kAccessChanged;
    return std::vector<storage::EventRecord>{};
  }
  auto recent = ring_.Read(policy::ScopeOf(*fresh), fresh->user, std::max<std::int64_t>(after, 0), up_to,
                           std::clamp<std::int64_t>(limit, 1, kMaxBatch));
  // An identity change meanwhile: let After() check again from the database.
  if (recent && storage::IdentityEpoch(deps_.db) != epoch) return std::nullopt;
  return recent;
}

void EventService::Publish(const EventAudience& audience, std::int64_t last_id) {
  {
    std::lock_guard lock(local_mutex_);
    if (local_ids_.insert(last_id).second) {
      local_order_.push_back(last_id);
      if (local_order_.size() > kRecentLocal) {
        local_ids_.erase(local_order_.front());
        local_order_.pop_front();
      }
    }
  }
  CatchUp(last_id, {});
  broker_.Publish(audience, last_id);
}

void EventService::PublishHeard(const EventAudience& audience, std::int64_t id) {
  {
    // Heard before the local Publish recorded it (the listener can win that race): woken twice, as before.
    std::lock_guard lock(local_mutex_);
    if (local_ids_.contains(id)) return;
  }
  CatchUp(id, {});
  broker_.Publish(audience, id);
}

void EventService::WakeAll() {
  CatchUp(std::nullopt, {});
  broker_.WakeAll();
}

void EventService::CatchUp(std::optional<std::int64_t> target, std::chrono::steady_clock::duration max_age) {
  auto fresh_enough = [&] {
    if (!ring_.started() || ring_.stale()) return false;
    if (target) return ring_.covered() >= *target;
    return std::chrono::steady_clock::now() - ring_.filled_at() < max_age;
  };
  if (fresh_enough()) return;
  std::lock_guard lock(fill_mutex_);
  if (fresh_enough()) return;  // the fill this caller waited for covered it
  try {
    auto tx = deps_.db.ReadEach();  // polls of the append-only log: no common snapshot needed
    auto& c = tx->conn();
    if (!ring_.started()) ring_.Reset(storage::LastEventIdOfAll(c));
    // More than the ring holds arrived at once: start again at the newest (older ones from the database).
    constexpr int kMaxRounds = static_cast<int>(EventRing::kMaxEvents / kFillBatch) + 1;
    for (int round = 1;; ++round) {
      auto batch = storage::ListAllEventsAfter(c, ring_.covered(), kFillBatch);
      const bool more = static_cast<std::int64_t>(batch.size()) == kFillBatch;
      ring_.Append(std::move(batch));
      if (!more) break;
      if (round == kMaxRounds) {
        ring_.Reset(storage::LastEventIdOfAll(c));
        break;
      }
    }
  } catch (const std::exception& e) {
    ring_.MarkStale();
    spdlog::warn("event ring: fill failed ({}); live streams read the database", e.what());
  }
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
  auto tx = deps_.db.ReadEach();
  return storage::LastEventId(tx->conn(), actor.tenant);
}

}  // namespace portico::services
