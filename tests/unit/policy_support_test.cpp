// Permit/forbid matrix of the support content actions (issue 17; API.md "Support content"): one row per
// role and customer access, one column per action.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "policy/policy.h"

namespace portico::policy {
namespace {

using domain::CustomerAccess;
using domain::Role;

Actor Make(Role role, std::optional<CustomerAccess> access = std::nullopt) {
  Actor a;
  a.user = UserId(1);
  a.tenant = TenantId(7);
  a.role = role;
  if (access) a.customers.push_back({CustomerId(10), "Own", *access, false});
  return a;
}

const std::map<std::string, Actor>& Everyone() {
  static const std::map<std::string, Actor> kAll = {
      {"admin", Make(Role::kAdmin)},
      {"manager", Make(Role::kManager)},
      {"technician", Make(Role::kTechnician)},
      {"approver", Make(Role::kCustomer, CustomerAccess::kApprover)},
      {"requester", Make(Role::kCustomer, CustomerAccess::kRequester)},
      {"viewer", Make(Role::kCustomer, CustomerAccess::kViewer)},
      {"customer-no-access", Make(Role::kCustomer)}};
  return kAll;
}

TEST(SupportPolicyMatrix, EveryRoleAndAction) {
  const std::map<Action, std::set<std::string>> expected = {
      {Action::kManageSupportContent, {"admin", "manager"}},
      {Action::kReadUnpublishedFaq, {"admin", "manager", "technician"}},
      {Action::kReadAllAnnouncements, {"admin", "manager", "technician"}},
      {Action::kEditTechnicianProfile, {"admin"}},
      {Action::kReadTechnicianProfiles, {"admin", "manager", "technician"}},
  };
  for (const auto& [action, allowed] : expected) {
    for (const auto& [name, actor] : Everyone()) {
      EXPECT_EQ(Can(actor, action), allowed.contains(name)) << "action " << static_cast<int>(action) << " for " << name;
    }
  }
}

TEST(SupportPolicyMatrix, CustomerScopesNeverWidenToTheTenant) {
  for (const auto& [name, actor] : Everyone()) {
    auto scope = ScopeOf(actor);
    EXPECT_EQ(scope.all_of_tenant, actor.IsStaff()) << name;
    if (!actor.IsStaff()) {
      EXPECT_FALSE(scope.Contains(CustomerId(20))) << name;
    }
  }
}

}  // namespace
}  // namespace portico::policy
