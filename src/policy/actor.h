// The actor: who is making a request, resolved once per request by authentication.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "domain/roles.h"

namespace portico::policy {

/// A customer user's access to one customer organisation.
struct CustomerGrant {
  CustomerId customer;
  std::string name;
  domain::CustomerAccess access = domain::CustomerAccess::kViewer;
  bool is_primary_contact = false;
  /// Approvers only: the largest amount (cents) it may approve; nullopt = no limit (issue 10).
  std::optional<std::int64_t> approval_limit;
};

/// The authenticated user of a request, with everything policy needs to decide.
struct Actor {
  UserId user;
  TenantId tenant;
  std::string tenant_slug;
  std::string tenant_name;
  /// The tenant's language for users who chose none ("en" or "es"; branding `default_language`).
  std::string tenant_default_language = "en";
  domain::Role role = domain::Role::kCustomer;
  std::string name;
  std::string email;
  std::string handle;  // the @handle (issue 11)
  /// "en", "es" or none chosen (API.md "Users (additions)": null = the browser's, else the tenant's).
  std::optional<std::string> language;
  /// Customer users only: the organisations it has access to (empty for staff).
  std::vector<CustomerGrant> customers;

  bool IsStaff() const { return domain::IsStaff(role); }
  /// The access this actor has to `customer` (customer users only; nullopt for staff or no access).
  std::optional<domain::CustomerAccess> AccessTo(CustomerId customer) const;
};

}  // namespace portico::policy
