// Customer organisations, customer access and preferences. Every read is limited by a CustomerScope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "policy/policy.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

/// The visible customer ids of a scope as a JSON array ("[3,7]"), the form the scoped queries bind.
std::string ScopeList(const policy::CustomerScope& scope);

/// The customer with `id` if it lies inside `scope`; nullopt otherwise (the caller answers 404).
std::optional<CustomerRecord> FindCustomer(Connection& c, const policy::CustomerScope& scope, CustomerId id);
/// Customers inside `scope`, by name; `q` (optional) matches name or e-mail.
PageOf<CustomerRecord> ListCustomers(Connection& c, const policy::CustomerScope& scope,
                                     const std::optional<std::string>& q, const PageRequest& page);
/// Throws Error(kConflict) for a duplicate e-mail in the tenant.
CustomerId InsertCustomer(Connection& c, const CustomerRecord& customer,
                          const std::optional<std::string>& external_ref = std::nullopt);
void UpdateCustomer(Connection& c, const CustomerRecord& customer);
void UpdatePreferences(Connection& c, TenantId tenant, CustomerId id, const Preferences& p, UnixSeconds now);
std::optional<CustomerId> FindCustomerByExternalRef(Connection& c, TenantId tenant, const std::string& ref);

/// Customer access of one user (for the actor and /me), with customer names.
std::vector<AccessRecord> ListAccessOfUser(Connection& c, UserId user);
/// The users with access to one customer.
std::vector<AccessRecord> ListAccessOfCustomer(Connection& c, TenantId tenant, CustomerId customer);
/// Grants or changes access (upsert).
void UpsertAccess(Connection& c, TenantId tenant, CustomerId customer, UserId user, domain::CustomerAccess access,
                  bool is_primary_contact, UnixSeconds now);
/// Sets an approver's approval limit (cents; nullopt: no limit). Issue 10.
void SetApprovalLimit(Connection& c, CustomerId customer, UserId user, std::optional<std::int64_t> limit_cents);
/// False if the user had no access to the customer.
bool DeleteAccess(Connection& c, TenantId tenant, CustomerId customer, UserId user);

}  // namespace portico::storage
