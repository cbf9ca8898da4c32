#include "services/event_service.h"

#include <algorithm>

#include "policy/policy.h"
#include "storage/repairs_repository.h"

namespace portico::services {

std::vector<storage::EventRecord> EventService::After(const policy::Actor& actor, std::int64_t after,
                                                      std::int64_t limit) {
  auto tx = deps_.db.Read();
  return storage::ListEventsAfter(tx->conn(), policy::ScopeOf(actor), actor.user, std::max<std::int64_t>(after, 0),
                                  std::clamp<std::int64_t>(limit, 1, kMaxBatch));
}

std::int64_t EventService::LastId(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::LastEventId(tx->conn(), actor.tenant);
}

}  // namespace portico::services
