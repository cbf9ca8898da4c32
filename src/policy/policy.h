// Who may do what. Every role check of Portico lives here and nowhere else (deny by default).
// Two questions, as in DRF: Can(actor, action) — may this caller use this endpoint at all — and the
// object-level Can*(actor, action, record) — may it touch this row. Rows outside the caller's scope are
// answered 404 by the services, which load them through the scopes below.
// Source of the rules: PRODUCT.md "Users and roles", API.md per endpoint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "policy/actor.h"

namespace portico::policy {

enum class Action {
  kManageUsers,        // list, read, create, update users (admin)
  kCreateCustomer,     // admin, manager
  kUpdateCustomer,     // all fields: admin, manager; address and phone: customer approver of it
  kReadCustomerAccess, // staff
  kManageAccess,       // grant and revoke customer access (admin, manager)
  kReadPreferences,    // staff; customer users with any access to the customer
  kWritePreferences,   // admin, manager; customer approver of the customer
  kEditBranding,       // admin of the tenant
  kManageOwnTokens,    // any authenticated user
  kEditPricing,        // admin
};

/// Endpoint-level permission: may `actor` use `action` at all (before any record is looked at)?
bool Can(const Actor& actor, Action action);

/// Object-level permission on one customer organisation already known to be in the actor's scope.
bool CanOnCustomer(const Actor& actor, Action action, CustomerId customer);

/// The customer fields `actor` may change on `customer` with PATCH (empty: none).
std::vector<std::string> EditableCustomerFields(const Actor& actor, CustomerId customer);

/// Which customers' rows an actor may see: all of its tenant's (staff), or exactly a list (customer
/// users; an empty list sees nothing). Repositories turn this into SQL; there is no unscoped variant.
struct CustomerScope {
  TenantId tenant;
  bool all_of_tenant = false;
  std::vector<CustomerId> customers;

  bool Contains(CustomerId id) const;
};

/// The row scope of an actor (deny by default: a customer user without grants gets an empty list).
CustomerScope ScopeOf(const Actor& actor);

}  // namespace portico::policy
