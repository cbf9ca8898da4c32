#include "services/event_service.h"

#include <algorithm>

#include "core/error.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {

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
  auto same = [](const policy::CustomerGrant& a, const policy::CustomerGrant& b) {
    return a.customer == b.customer && a.access == b.access;
  };
  if (fresh.role != actor.role ||
      !std::is_permutation(fresh.customers.begin(), fresh.customers.end(), actor.customers.begin(),
                           actor.customers.end(), same)) {
    ended = StreamEnd::kAccessChanged;
    return std::nullopt;
  }
  return fresh;
}

std::vector<storage::EventRecord> EventService::After(const policy::Actor& actor, const Credential& credential,
                                                      std::int64_t after, std::int64_t limit, StreamEnd& ended) {
  auto tx = deps_.db.Read();
  auto fresh = Fresh(tx->conn(), actor, credential, ended);
  if (!fresh) return {};
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
