#include "policy/policy.h"

#include <algorithm>

namespace portico::policy {

using domain::CustomerAccess;
using domain::Role;

bool Can(const Actor& actor, Action action) {
  const Role r = actor.role;
  switch (action) {
    case Action::kManageUsers:
    case Action::kEditBranding:
    case Action::kEditPricing:
      return r == Role::kAdmin;
    case Action::kCreateCustomer:
    case Action::kManageAccess:
      return r == Role::kAdmin || r == Role::kManager;
    case Action::kReadCustomerAccess:
      return actor.IsStaff();
    case Action::kUpdateCustomer:
    case Action::kWritePreferences:
      // Customer approvers may, on their own customers: decided per record.
      return r == Role::kAdmin || r == Role::kManager || r == Role::kCustomer;
    case Action::kReadPreferences:
    case Action::kManageOwnTokens:
      return true;
  }
  return false;
}

bool CanOnCustomer(const Actor& actor, Action action, CustomerId customer) {
  if (!Can(actor, action)) return false;
  if (actor.IsStaff()) return true;  // Can() above already limited staff by role
  auto access = actor.AccessTo(customer);
  if (!access) return false;
  switch (action) {
    case Action::kReadPreferences:
      return true;
    case Action::kUpdateCustomer:
    case Action::kWritePreferences:
      return *access == CustomerAccess::kApprover;
    default:
      return false;
  }
}

std::vector<std::string> EditableCustomerFields(const Actor& actor, CustomerId customer) {
  if (actor.role == Role::kAdmin || actor.role == Role::kManager) {
    return {"name", "address", "phone", "email", "is_active"};
  }
  if (actor.role == Role::kCustomer && actor.AccessTo(customer) == CustomerAccess::kApprover) {
    return {"address", "phone"};
  }
  return {};
}

bool CustomerScope::Contains(CustomerId id) const {
  return all_of_tenant || std::find(customers.begin(), customers.end(), id) != customers.end();
}

CustomerScope ScopeOf(const Actor& actor) {
  CustomerScope scope;
  scope.tenant = actor.tenant;
  if (actor.IsStaff()) {
    scope.all_of_tenant = true;
    return scope;
  }
  for (const auto& g : actor.customers) scope.customers.push_back(g.customer);
  return scope;
}

}  // namespace portico::policy
