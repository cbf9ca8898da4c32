#include "domain/roles.h"

#include <array>

namespace portico::domain {

namespace {

constexpr std::array kAllRoles{Role::kAdmin, Role::kManager, Role::kTechnician, Role::kCustomer};
constexpr std::array kAllAccesses{CustomerAccess::kApprover, CustomerAccess::kRequester,
                                  CustomerAccess::kViewer};

}  // namespace

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kManager: return "manager";
    case Role::kTechnician: return "technician";
    case Role::kCustomer: return "customer";
  }
  return {};
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : kAllRoles) {
    if (ToString(role) == text) return role;
  }
  return std::nullopt;
}

std::string_view ToString(CustomerAccess access) {
  switch (access) {
    case CustomerAccess::kApprover: return "approver";
    case CustomerAccess::kRequester: return "requester";
    case CustomerAccess::kViewer: return "viewer";
  }
  return {};
}

std::optional<CustomerAccess> ParseCustomerAccess(std::string_view text) {
  for (CustomerAccess access : kAllAccesses) {
    if (ToString(access) == text) return access;
  }
  return std::nullopt;
}

bool IsStaff(Role role) { return role != Role::kCustomer; }

}  // namespace portico::domain
