// Issue 10: the client-request and change-order tables (every status x action x caller), the cost with
// change orders, the approval-limit rule, and the permit/forbid matrices of the policy.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "domain/client_requests.h"
#include "domain/pricing.h"
#include "policy/policy.h"

namespace portico {
namespace {

using domain::ChangeOrderAction;
using domain::ChangeOrderStatus;
using domain::CustomerAccess;
using domain::RequestAction;
using domain::RequestStatus;
using domain::Role;
using domain::Verdict;

policy::Actor Make(Role role, std::optional<CustomerAccess> access = std::nullopt,
                   std::optional<std::int64_t> limit = std::nullopt) {
  policy::Actor a;
  a.user = UserId(1);
  a.tenant = TenantId(7);
  a.role = role;
  if (access) a.customers.push_back({CustomerId(10), "Own", *access, false, limit});
  return a;
}

const std::map<std::string, policy::Actor>& Everyone() {
  static const std::map<std::string, policy::Actor> kAll = {
      {"admin", Make(Role::kAdmin)},
      {"manager", Make(Role::kManager)},
      {"technician", Make(Role::kTechnician)},
      {"approver", Make(Role::kCustomer, CustomerAccess::kApprover)},
      {"requester", Make(Role::kCustomer, CustomerAccess::kRequester)},
      {"viewer", Make(Role::kCustomer, CustomerAccess::kViewer)},
      {"customer-no-access", Make(Role::kCustomer)}};
  return kAll;
}

TEST(RequestTable, EveryStatusActionAndCaller) {
  // Who may ever do each action (creator or not); then only from pending.
  const std::map<RequestAction, std::set<std::string>> deciders = {
      {RequestAction::kApprove, {"admin", "manager"}},
      {RequestAction::kReject, {"admin", "manager"}},
      {RequestAction::kConvert, {"admin", "manager"}},
      {RequestAction::kEdit, {}},
      {RequestAction::kWithdraw, {}},
  };
  for (bool creator : {false, true}) {
    for (const auto& [name, actor] : Everyone()) {
      auto ra = policy::RequestActorFor(actor, creator ? std::optional<UserId>(actor.user) : UserId(99));
      for (auto action : domain::kAllRequestActions) {
        const bool creator_action = action == RequestAction::kEdit || action == RequestAction::kWithdraw;
        const bool may = creator_action ? creator : deciders.at(action).contains(name);
        for (auto status : domain::kAllRequestStatuses) {
          auto v = domain::DecideRequest(status, action, ra);
          Verdict want = !may ? Verdict::kForbidden
                         : status == RequestStatus::kPending ? Verdict::kAllowed
                                                             : Verdict::kConflict;
          EXPECT_EQ(v, want) << name << " creator=" << creator << " action=" << static_cast<int>(action)
                             << " status=" << domain::ToString(status);
        }
      }
    }
  }
}

TEST(RequestTable, ACustomerNeverDecidesItsOwnRequest) {
  domain::RequestActor own{Role::kCustomer, true};
  for (auto action : {RequestAction::kApprove, RequestAction::kReject, RequestAction::kConvert}) {
    EXPECT_EQ(domain::DecideRequest(RequestStatus::kPending, action, own), Verdict::kForbidden);
  }
}

TEST(RequestTable, TargetsAndNames) {
  EXPECT_EQ(domain::RequestTarget(RequestAction::kApprove), RequestStatus::kApproved);
  EXPECT_EQ(domain::RequestTarget(RequestAction::kReject), RequestStatus::kRejected);
  EXPECT_EQ(domain::RequestTarget(RequestAction::kConvert), RequestStatus::kConverted);
  EXPECT_EQ(domain::RequestTarget(RequestAction::kWithdraw), RequestStatus::kWithdrawn);
  EXPECT_EQ(domain::RequestTarget(RequestAction::kEdit), RequestStatus::kPending);
  for (auto s : domain::kAllRequestStatuses) {
    EXPECT_EQ(domain::ParseRequestStatus(domain::ToString(s)), s);
    EXPECT_EQ(domain::IsFinal(s), s != RequestStatus::kPending);
  }
  EXPECT_FALSE(domain::ParseRequestStatus("PENDING"));
  EXPECT_EQ(domain::ParseRequestType("change_order"), domain::RequestType::kChangeOrder);
  EXPECT_FALSE(domain::ParseRequestType("Material"));
  bool reason = false;
  for (const auto& row : domain::kRequestTransitions) reason = reason || (row.action == RequestAction::kReject && row.requires_reason);
  EXPECT_TRUE(reason);
}

TEST(ChangeOrderTable, EveryStatusActionAndCaller) {
  const std::map<ChangeOrderAction, std::set<std::string>> who = {
      {ChangeOrderAction::kApprove, {"approver"}},
      {ChangeOrderAction::kDecline, {"approver"}},
      {ChangeOrderAction::kWithdraw, {"admin", "manager", "technician"}},
  };
  for (const auto& [name, actor] : Everyone()) {
    auto ca = policy::ChangeOrderActorFor(actor, CustomerId(10));
    for (auto action : domain::kAllChangeOrderActions) {
      for (auto status : domain::kAllChangeOrderStatuses) {
        Verdict want = !who.at(action).contains(name)            ? Verdict::kForbidden
                       : status == ChangeOrderStatus::kProposed ? Verdict::kAllowed
                                                                : Verdict::kConflict;
        EXPECT_EQ(domain::DecideChangeOrder(status, action, ca), want)
            << name << " action=" << static_cast<int>(action) << " status=" << domain::ToString(status);
      }
    }
    // An approver of another customer is no approver here.
    auto other = policy::ChangeOrderActorFor(actor, CustomerId(11));
    if (!actor.IsStaff()) {
      EXPECT_EQ(domain::DecideChangeOrder(ChangeOrderStatus::kProposed, ChangeOrderAction::kApprove, other),
                Verdict::kForbidden);
    }
  }
}

TEST(ChangeOrderTable, TargetsNamesAndLimit) {
  EXPECT_EQ(domain::ChangeOrderTarget(ChangeOrderAction::kApprove), ChangeOrderStatus::kApproved);
  EXPECT_EQ(domain::ChangeOrderTarget(ChangeOrderAction::kDecline), ChangeOrderStatus::kDeclined);
  EXPECT_EQ(domain::ChangeOrderTarget(ChangeOrderAction::kWithdraw), ChangeOrderStatus::kWithdrawn);
  EXPECT_TRUE(domain::BoundedByLimit(ChangeOrderAction::kApprove));
  EXPECT_FALSE(domain::BoundedByLimit(ChangeOrderAction::kDecline));
  EXPECT_FALSE(domain::BoundedByLimit(ChangeOrderAction::kWithdraw));
  for (auto s : domain::kAllChangeOrderStatuses) {
    EXPECT_EQ(domain::ParseChangeOrderStatus(domain::ToString(s)), s);
    EXPECT_EQ(domain::IsFinal(s), s != ChangeOrderStatus::kProposed);
  }
}

TEST(ApprovalLimit, UnderEqualOverAndNoLimit) {
  EXPECT_TRUE(domain::WithinApprovalLimit(50000, 49999));
  EXPECT_TRUE(domain::WithinApprovalLimit(50000, 50000));
  EXPECT_FALSE(domain::WithinApprovalLimit(50000, 50001));
  EXPECT_TRUE(domain::WithinApprovalLimit(std::nullopt, domain::kMaxMoneyCents));
  EXPECT_TRUE(domain::WithinApprovalLimit(0, 0));
  EXPECT_FALSE(domain::WithinApprovalLimit(0, 1));
}

TEST(ApprovalLimit, PolicyReadsTheGrant) {
  auto limited = Make(Role::kCustomer, CustomerAccess::kApprover, 50000);
  EXPECT_EQ(policy::ApprovalLimitOf(limited, CustomerId(10)), 50000);
  EXPECT_EQ(policy::ApprovalLimitOf(limited, CustomerId(11)), std::nullopt);
  EXPECT_EQ(policy::ApprovalLimitOf(Make(Role::kCustomer, CustomerAccess::kApprover), CustomerId(10)), std::nullopt);
  EXPECT_EQ(policy::ApprovalLimitOf(Make(Role::kManager), CustomerId(10)), std::nullopt);
}

TEST(RepairCostWithChangeOrders, AddsApprovedChangeOrders) {
  EXPECT_EQ(domain::RepairCost(5000, std::nullopt, 1200, 0), 6200);
  EXPECT_EQ(domain::RepairCost(5000, std::nullopt, 1200, 12000), 18200);
  EXPECT_EQ(domain::RepairCost(5000, 4500, 0, 12000), 16500);
  EXPECT_EQ(domain::RepairCost(5000, 4500, 300, 0), domain::RepairCost(5000, 4500, 300));
}

TEST(RequestPolicyMatrix, CreateAndPropose) {
  const std::set<std::string> create = {"admin", "manager", "technician", "approver", "requester"};
  const std::set<std::string> propose = {"admin", "manager", "technician"};
  for (const auto& [name, actor] : Everyone()) {
    EXPECT_EQ(policy::CanCreateRequestFor(actor, CustomerId(10)), create.contains(name)) << name;
    EXPECT_EQ(policy::CanProposeChangeOrder(actor), propose.contains(name)) << name;
    if (!actor.IsStaff()) {
      EXPECT_FALSE(policy::CanCreateRequestFor(actor, CustomerId(11))) << name;
    }
  }
}

}  // namespace
}  // namespace portico
