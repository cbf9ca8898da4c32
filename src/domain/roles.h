// Who a user is: the staff roles of a tenant and a customer user's access to one customer organisation.
// Source: PRODUCT.md, "Users and roles"; the wire names are those of API.md, "Authentication" (GET /me).
#pragma once

#include <optional>
#include <string_view>

namespace portico::domain {

/// A user's role within its tenant. Admin, manager and technician are staff; customer users act only for
/// the customer organisations they have access to (PRODUCT.md, "Users and roles").
enum class Role { kAdmin, kManager, kTechnician, kCustomer };

/// A customer user's access role on one customer organisation: approver (approve/deny, request, comment),
/// requester (request, comment), viewer (read only). PRODUCT.md, "Users and roles".
enum class CustomerAccess { kApprover, kRequester, kViewer };

/// The wire name of a role: "admin", "manager", "technician", "customer" (API.md, GET /me).
std::string_view ToString(Role role);

/// The role with this exact wire name (lower case, no surrounding space); nullopt for anything else.
std::optional<Role> ParseRole(std::string_view text);

/// The wire name of an access role: "approver", "requester", "viewer" (API.md, customer access).
std::string_view ToString(CustomerAccess access);

/// The access role with this exact wire name (lower case, no surrounding space); nullopt otherwise.
std::optional<CustomerAccess> ParseCustomerAccess(std::string_view text);

/// True for the staff roles admin, manager and technician; false for customer.
/// PRODUCT.md, "Users and roles".
bool IsStaff(Role role);

}  // namespace portico::domain
