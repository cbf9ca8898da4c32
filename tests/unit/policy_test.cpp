// Permit/forbid matrices of src/policy: one row per role (and customer access), one column per action.
#include <gtest/gtest.h>

#include <map>

#include "policy/policy.h"

namespace portico::policy {
namespace {

using domain::CustomerAccess;
using domain::Role;

constexpr CustomerId kOwn{10};
constexpr CustomerId kOther{20};

Actor Make(Role role, std::optional<CustomerAccess> access = std::nullopt) {
  Actor a;
  a.user = UserId(1);
  a.tenant = TenantId(7);
  a.role = role;
  if (access) a.customers.push_back({kOwn, "Own", *access, false});
  return a;
}

struct Who {
  const char* name;
  Actor actor;
};

std::vector<Who> Everyone() {
  return {{"admin", Make(Role::kAdmin)},
          {"manager", Make(Role::kManager)},
          {"technician", Make(Role::kTechnician)},
          {"approver", Make(Role::kCustomer, CustomerAccess::kApprover)},
          {"requester", Make(Role::kCustomer, CustomerAccess::kRequester)},
          {"viewer", Make(Role::kCustomer, CustomerAccess::kViewer)},
          {"customer-no-access", Make(Role::kCustomer)}};
}

// Endpoint-level: expected[action] = the set of who may.
TEST(PolicyMatrix, EndpointLevel) {
  const std::map<Action, std::set<std::string>> expected = {
      {Action::kManageUsers, {"admin"}},
      {Action::kEditBranding, {"admin"}},
      {Action::kEditPricing, {"admin"}},
      {Action::kManageWebhooks, {"admin"}},  // issue 14
      {Action::kCreateCustomer, {"admin", "manager"}},
      {Action::kManageAccess, {"admin", "manager"}},
      {Action::kReadCustomerAccess, {"admin", "manager", "technician"}},
      {Action::kUpdateCustomer, {"admin", "manager", "approver", "requester", "viewer", "customer-no-access"}},
      {Action::kWritePreferences, {"admin", "manager", "approver", "requester", "viewer", "customer-no-access"}},
      {Action::kReadPreferences,
       {"admin", "manager", "technician", "approver", "requester", "viewer", "customer-no-access"}},
      {Action::kManageOwnTokens,
       {"admin", "manager", "technician", "approver", "requester", "viewer", "customer-no-access"}},
  };
  for (const auto& [action, allowed] : expected) {
    for (const auto& who : Everyone()) {
      EXPECT_EQ(Can(who.actor, action), allowed.contains(who.name))
          << "action " << static_cast<int>(action) << " for " << who.name;
    }
  }
}

// Object-level on the actor's own customer and on another one.
TEST(PolicyMatrix, CustomerLevel) {
  struct Row {
    Action action;
    std::set<std::string> own;    // may on kOwn
    std::set<std::string> other;  // may on kOther
  };
  const std::vector<Row> rows = {
      {Action::kUpdateCustomer, {"admin", "manager", "approver"}, {"admin", "manager"}},
      {Action::kWritePreferences, {"admin", "manager", "approver"}, {"admin", "manager"}},
      {Action::kReadPreferences,
       {"admin", "manager", "technician", "approver", "requester", "viewer"},
       {"admin", "manager", "technician"}},
      {Action::kManageAccess, {"admin", "manager"}, {"admin", "manager"}},
      {Action::kCreateCustomer, {"admin", "manager"}, {"admin", "manager"}},
  };
  for (const auto& row : rows) {
    for (const auto& who : Everyone()) {
      EXPECT_EQ(CanOnCustomer(who.actor, row.action, kOwn), row.own.contains(who.name))
          << "own, action " << static_cast<int>(row.action) << " for " << who.name;
      EXPECT_EQ(CanOnCustomer(who.actor, row.action, kOther), row.other.contains(who.name))
          << "other, action " << static_cast<int>(row.action) << " for " << who.name;
    }
  }
}

TEST(PolicyMatrix, EditableCustomerFields) {
  EXPECT_EQ(EditableCustomerFields(Make(Role::kAdmin), kOwn).size(), 5u);
  EXPECT_EQ(EditableCustomerFields(Make(Role::kManager), kOther).size(), 5u);
  EXPECT_TRUE(EditableCustomerFields(Make(Role::kTechnician), kOwn).empty());
  auto approver = EditableCustomerFields(Make(Role::kCustomer, CustomerAccess::kApprover), kOwn);
  EXPECT_EQ(approver, (std::vector<std::string>{"address", "phone"}));
  EXPECT_TRUE(EditableCustomerFields(Make(Role::kCustomer, CustomerAccess::kApprover), kOther).empty());
  EXPECT_TRUE(EditableCustomerFields(Make(Role::kCustomer, CustomerAccess::kRequester), kOwn).empty());
  EXPECT_TRUE(EditableCustomerFields(Make(Role::kCustomer, CustomerAccess::kViewer), kOwn).empty());
}

// Issue 18: whether a user id exists is staff knowledge; a customer user learns only its own.
TEST(PolicyMatrix, SeesUserId) {
  for (const auto& who : Everyone()) {
    const bool staff = who.actor.IsStaff();
    EXPECT_TRUE(SeesUserId(who.actor, who.actor.user)) << who.name << " sees itself";
    EXPECT_EQ(SeesUserId(who.actor, UserId(2)), staff) << who.name << " sees another user id";
  }
}

TEST(PolicyScope, StaffSeeTheirTenantCustomersSeeTheirGrants) {
  auto staff = ScopeOf(Make(Role::kTechnician));
  EXPECT_TRUE(staff.all_of_tenant);
  EXPECT_EQ(staff.tenant, TenantId(7));
  EXPECT_TRUE(staff.Contains(kOther));

  auto customer = ScopeOf(Make(Role::kCustomer, CustomerAccess::kViewer));
  EXPECT_FALSE(customer.all_of_tenant);
  EXPECT_TRUE(customer.Contains(kOwn));
  EXPECT_FALSE(customer.Contains(kOther));
}

TEST(PolicyScope, DenyByDefaultForCustomerWithoutGrants) {
  auto scope = ScopeOf(Make(Role::kCustomer));
  EXPECT_FALSE(scope.all_of_tenant);
  EXPECT_TRUE(scope.customers.empty());
  EXPECT_FALSE(scope.Contains(kOwn));
}

TEST(ActorTest, AccessToIsNulloptForStaffAndStrangers) {
  EXPECT_EQ(Make(Role::kAdmin).AccessTo(kOwn), std::nullopt);
  EXPECT_EQ(Make(Role::kCustomer, CustomerAccess::kRequester).AccessTo(kOwn), CustomerAccess::kRequester);
  EXPECT_EQ(Make(Role::kCustomer, CustomerAccess::kRequester).AccessTo(kOther), std::nullopt);
}

}  // namespace
}  // namespace portico::policy

namespace portico::policy {
namespace {
TEST(PolicyMatrix, EditWindowAndDefaultNoteVisibility) {
  using domain::RepairStatus;
  for (auto status : domain::kAllRepairStatuses) {
    for (const auto& who : Everyone()) {
      bool expected = who.actor.IsStaff() || status == RepairStatus::kRequested || status == RepairStatus::kPending;
      EXPECT_EQ(MayEditInStatus(who.actor, status), expected) << who.name << " " << domain::ToString(status);
    }
  }
  EXPECT_EQ(DefaultNoteVisibility(Make(Role::kTechnician)), "internal");
  EXPECT_EQ(DefaultNoteVisibility(Make(Role::kCustomer, CustomerAccess::kRequester)), "customer");
  EXPECT_TRUE(CanWriteNote(Make(Role::kTechnician), kOwn, "internal"));
  EXPECT_FALSE(CanWriteNote(Make(Role::kCustomer, CustomerAccess::kApprover), kOwn, "internal"));
  EXPECT_TRUE(CanWriteNote(Make(Role::kCustomer, CustomerAccess::kRequester), kOwn, "customer"));
  EXPECT_FALSE(CanWriteNote(Make(Role::kCustomer, CustomerAccess::kViewer), kOwn, "customer"));
  EXPECT_FALSE(CanWriteNote(Make(Role::kCustomer, CustomerAccess::kRequester), kOther, "customer"));
}
}  // namespace
}  // namespace portico::policy
