#include "services/event_service.h"

#include <algorithm>

#include "core/error.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {

policy::Actor EventService::Fresh(storage::Connection& c, const policy::Actor& actor) {
  auto user = storage::FindUser(c, actor.tenant, actor.user);
  if (!user || !user->is_active) throw Error(ErrorCode::kUnauthenticated, "The user is no longer active.");
  policy::Actor fresh = actor;
  fresh.role = user->role;
  fresh.customers.clear();
  if (user->role == domain::Role::kCustomer) {
    for (const auto& g : storage::ListAccessOfUser(c, user->id)) {
      fresh.customers.push_back({g.customer, g.customer_name, g.access, g.is_primary_contact});
    }
  }
  return fresh;
}

std::vector<storage::EventRecord> EventService::After(const policy::Actor& actor, std::int64_t after,
                                                      std::int64_t limit) {
  auto tx = deps_.db.Read();
  auto fresh = Fresh(tx->conn(), actor);
  return storage::ListEventsAfter(tx->conn(), policy::ScopeOf(fresh), fresh.user, std::max<std::int64_t>(after, 0),
                                  std::clamp<std::int64_t>(limit, 1, kMaxBatch));
}

std::int64_t EventService::Backlog(const policy::Actor& actor, std::int64_t after, std::int64_t cap) {
  std::int64_t total = 0;
  // Counted in batches through the same visibility query: bounded work (cap / kMaxBatch queries).
  while (total <= cap) {
    auto batch = After(actor, after, kMaxBatch);
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
