#include "policy/event_visibility.h"

#include <algorithm>

namespace portico::policy {

bool MaySeeEvent(const CustomerScope& scope, UserId viewer, const EventAudience& audience) {
  if (audience.tenant != scope.tenant) return false;
  if (audience.user) return *audience.user == viewer;
  if (scope.all_of_tenant) return true;
  if (audience.internal || scope.customers.empty()) return false;
  if (audience.all_customers) return true;
  return audience.customer &&
         std::find(scope.customers.begin(), scope.customers.end(), *audience.customer) != scope.customers.end();
}

}  // namespace portico::policy
