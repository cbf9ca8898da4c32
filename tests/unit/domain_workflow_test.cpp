// The workflow decisions against a literal copy of PRODUCT.md, "The repair workflow" and API.md, "Repairs",
// written out here by hand (never derived from src/domain/workflow.*), over every (from, to, actor).
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/repair_status.h"
#include "domain/roles.h"
#include "domain/workflow.h"

namespace portico::domain {
namespace {

constexpr RepairStatus kReq = RepairStatus::kRequested;
constexpr RepairStatus kPen = RepairStatus::kPending;
constexpr RepairStatus kApp = RepairStatus::kApproved;
constexpr RepairStatus kDen = RepairStatus::kDenied;
constexpr RepairStatus kInP = RepairStatus::kInProgress;
constexpr RepairStatus kCom = RepairStatus::kCompleted;
constexpr RepairStatus kCan = RepairStatus::kCancelled;

struct NamedActor {
  const char* name;
  MoveActor actor;
};

// The columns of every expectation string below, in this order.
const std::array<NamedActor, 9> kActors{{
    {"admin", {Role::kAdmin, std::nullopt, false, false}},
    {"manager", {Role::kManager, std::nullopt, false, false}},
    {"technician_assigned", {Role::kTechnician, std::nullopt, true, true}},
    {"technician_repair_unassigned", {Role::kTechnician, std::nullopt, false, false}},
    {"technician_other_assigned", {Role::kTechnician, std::nullopt, false, true}},
    {"customer_approver", {Role::kCustomer, CustomerAccess::kApprover, false, false}},
    {"customer_requester", {Role::kCustomer, CustomerAccess::kRequester, false, false}},
    {"customer_viewer", {Role::kCustomer, CustomerAccess::kViewer, false, false}},
    {"customer_no_access", {Role::kCustomer, std::nullopt, false, false}},
}};

// A = kAllowed, C = kConflict (409), F = kForbidden (403); one letter per actor of kActors.
struct ExpectedMove {
  RepairStatus from;
  RepairStatus to;
  std::string_view decisions;
};

void PrintTo(const ExpectedMove& row, std::ostream* os) {
  *os << ToString(row.from) << "->" << ToString(row.to) << " " << row.decisions;
}

//                   admin, manager, tech assigned, tech (repair unassigned), tech (other assigned),
//                   approver, requester, viewer, no access
const std::array<ExpectedMove, 49> kExpectedMoves{{
    {kReq, kReq, "CCCCCCCCC"},  // from == to
    {kReq, kPen, "CCCCCCCCC"},
    {kReq, kApp, "AAFFFFFFF"},  // accept: manager, admin
    {kReq, kDen, "AAFFFFFFF"},  // deny: manager, admin
    {kReq, kInP, "CCCCCCCCC"},
    {kReq, kCom, "CCCCCCCCC"},
    {kReq, kCan, "AAFFFAAFF"},  // customer requester/approver; manager, admin

    {kPen, kReq, "CCCCCCCCC"},
    {kPen, kPen, "CCCCCCCCC"},
    {kPen, kApp, "FFFFFFFFF"},  // the approver's decision, made with /approval: 403 on /status for all
    {kPen, kDen, "FFFFFFFFF"},
    {kPen, kInP, "CCCCCCCCC"},
    {kPen, kCom, "CCCCCCCCC"},
    {kPen, kCan, "AAFFFAAFF"},

    {kApp, kReq, "CCCCCCCCC"},
    {kApp, kPen, "CCCCCCCCC"},
    {kApp, kApp, "CCCCCCCCC"},
    {kApp, kDen, "CCCCCCCCC"},
    {kApp, kInP, "AAAAFFFFF"},  // claim: a technician unless assigned to another; manager, admin
    {kApp, kCom, "CCCCCCCCC"},
    {kApp, kCan, "AAFFFFFFF"},

    {kDen, kReq, "CCCCCCCCC"},  // final
    {kDen, kPen, "CCCCCCCCC"},
    {kDen, kApp, "CCCCCCCCC"},
    {kDen, kDen, "CCCCCCCCC"},
    {kDen, kInP, "CCCCCCCCC"},
    {kDen, kCom, "CCCCCCCCC"},
    {kDen, kCan, "CCCCCCCCC"},

    {kInP, kReq, "CCCCCCCCC"},
    {kInP, kPen, "CCCCCCCCC"},
    {kInP, kApp, "AAAFFFFFF"},  // release: the assigned technician, manager, admin
    {kInP, kDen, "CCCCCCCCC"},
    {kInP, kInP, "CCCCCCCCC"},
    {kInP, kCom, "AAAFFFFFF"},  // complete: the assigned technician, manager, admin
    {kInP, kCan, "AAFFFFFFF"},

    {kCom, kReq, "CCCCCCCCC"},  // final
    {kCom, kPen, "CCCCCCCCC"},
    {kCom, kApp, "CCCCCCCCC"},
    {kCom, kDen, "CCCCCCCCC"},
    {kCom, kInP, "CCCCCCCCC"},
    {kCom, kCom, "CCCCCCCCC"},
    {kCom, kCan, "CCCCCCCCC"},

    {kCan, kReq, "CCCCCCCCC"},  // final
    {kCan, kPen, "CCCCCCCCC"},
    {kCan, kApp, "CCCCCCCCC"},
    {kCan, kDen, "CCCCCCCCC"},
    {kCan, kInP, "CCCCCCCCC"},
    {kCan, kCom, "CCCCCCCCC"},
    {kCan, kCan, "CCCCCCCCC"},
}};

char Letter(MoveDecision decision) {
  switch (decision) {
    case MoveDecision::kAllowed: return 'A';
    case MoveDecision::kConflict: return 'C';
    case MoveDecision::kForbidden: return 'F';
  }
  return '?';
}

const ExpectedMove& Expected(RepairStatus from, RepairStatus to) {
  for (const ExpectedMove& row : kExpectedMoves) {
    if (row.from == from && row.to == to) return row;
  }
  ADD_FAILURE() << "no expectation for " << ToString(from) << "->" << ToString(to);
  return kExpectedMoves.front();
}

TEST(DomainWorkflowTest, ExpectationTableCoversEveryPairOnce) {
  for (RepairStatus from : kAllRepairStatuses) {
    for (RepairStatus to : kAllRepairStatuses) {
      int count = 0;
      for (const ExpectedMove& row : kExpectedMoves) count += (row.from == from && row.to == to) ? 1 : 0;
      EXPECT_EQ(count, 1) << ToString(from) << "->" << ToString(to);
    }
  }
  for (const ExpectedMove& row : kExpectedMoves) EXPECT_EQ(row.decisions.size(), kActors.size());
}

class DomainDecideMoveTest : public ::testing::TestWithParam<ExpectedMove> {};

TEST_P(DomainDecideMoveTest, MatchesProductTableForEveryActor) {
  const ExpectedMove& row = GetParam();
  for (std::size_t i = 0; i < kActors.size(); ++i) {
    EXPECT_EQ(Letter(DecideMove(row.from, row.to, kActors[i].actor)), row.decisions[i])
        << ToString(row.from) << "->" << ToString(row.to) << " by " << kActors[i].name;
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, DomainDecideMoveTest, ::testing::ValuesIn(kExpectedMoves),
                         [](const ::testing::TestParamInfo<ExpectedMove>& info) {
                           return std::string(ToString(info.param.from)) + "_to_" +
                                  std::string(ToString(info.param.to));
                         });

TEST(DomainWorkflowTest, ManagerAndAdminDoNotDependOnAssignment) {
  for (const ExpectedMove& row : kExpectedMoves) {
    for (bool assigned : {false, true}) {
      const MoveActor admin{Role::kAdmin, std::nullopt, false, assigned};
      const MoveActor manager{Role::kManager, std::nullopt, false, assigned};
      EXPECT_EQ(Letter(DecideMove(row.from, row.to, admin)), row.decisions[0]);
      EXPECT_EQ(Letter(DecideMove(row.from, row.to, manager)), row.decisions[1]);
    }
  }
}

TEST(DomainWorkflowTest, AccessCountsOnlyForCustomerUsers) {
  // A staff user carrying an access value (a caller's bug) gets no customer rights from it.
  const MoveActor technician_with_access{Role::kTechnician, CustomerAccess::kApprover, false, true};
  EXPECT_EQ(DecideMove(kReq, kCan, technician_with_access), MoveDecision::kForbidden);
  EXPECT_EQ(DecideApproval(kPen, technician_with_access), MoveDecision::kForbidden);
  EXPECT_FALSE(IsParty(technician_with_access, Party::kCustomerApprover));
  EXPECT_TRUE(IsParty(kActors[5].actor, Party::kCustomerApprover));
  EXPECT_FALSE(IsParty(kActors[5].actor, Party::kAnyStaff));
}

TEST(DomainWorkflowTest, IsWorkflowMoveIsExactlyThePairsOfTheTable) {
  for (const ExpectedMove& row : kExpectedMoves) {
    EXPECT_EQ(IsWorkflowMove(row.from, row.to), row.decisions != "CCCCCCCCC")
        << ToString(row.from) << "->" << ToString(row.to);
  }
}

TEST(DomainWorkflowTest, AllowedTargetsAreTheAllowedCellsInColumnOrder) {
  for (std::size_t i = 0; i < kActors.size(); ++i) {
    for (RepairStatus from : kAllRepairStatuses) {
      std::vector<RepairStatus> expected;
      for (RepairStatus to : kAllRepairStatuses) {
        if (Expected(from, to).decisions[i] == 'A') expected.push_back(to);
      }
      EXPECT_EQ(AllowedTargets(from, kActors[i].actor), expected)
          << ToString(from) << " by " << kActors[i].name;
    }
  }
}

TEST(DomainWorkflowTest, AllowedTargetsExamples) {
  const MoveActor manager{Role::kManager, std::nullopt, false, true};
  EXPECT_EQ(AllowedTargets(kInP, manager), (std::vector<RepairStatus>{kApp, kCom, kCan}));
  EXPECT_EQ(AllowedTargets(kApp, kActors[3].actor), (std::vector<RepairStatus>{kInP}));
  EXPECT_EQ(AllowedTargets(kApp, kActors[4].actor), (std::vector<RepairStatus>{}));
  EXPECT_EQ(AllowedTargets(kPen, kActors[5].actor), (std::vector<RepairStatus>{kCan}));
  EXPECT_TRUE(AllowedTargets(kCom, manager).empty());
}

// Customer approver (column 5) may decide a PENDING repair; on any other status it is a conflict.
// Everyone else is forbidden whatever the status.
TEST(DomainWorkflowTest, DecideApprovalForEveryStatusAndActor) {
  const std::array<std::pair<RepairStatus, std::string_view>, 7> expected{{
      {kReq, "FFFFFCFFF"},
      {kPen, "FFFFFAFFF"},
      {kApp, "FFFFFCFFF"},
      {kDen, "FFFFFCFFF"},
      {kInP, "FFFFFCFFF"},
      {kCom, "FFFFFCFFF"},
      {kCan, "FFFFFCFFF"},
  }};
  for (const auto& [status, decisions] : expected) {
    for (std::size_t i = 0; i < kActors.size(); ++i) {
      EXPECT_EQ(Letter(DecideApproval(status, kActors[i].actor)), decisions[i])
          << ToString(status) << " by " << kActors[i].name;
    }
  }
}

TEST(DomainWorkflowTest, ApprovalTarget) {
  EXPECT_EQ(ApprovalTarget(true), kApp);
  EXPECT_EQ(ApprovalTarget(false), kDen);
}

TEST(DomainWorkflowTest, InitialStatusForEveryActor) {
  const std::array<std::optional<RepairStatus>, 9> expected{kPen, kPen, kPen, kPen, kPen,
                                                            kReq, kReq, std::nullopt, std::nullopt};
  for (std::size_t i = 0; i < kActors.size(); ++i) {
    EXPECT_EQ(InitialStatusFor(kActors[i].actor), expected[i]) << kActors[i].name;
  }
}

TEST(DomainWorkflowTest, OnlyRequestedToDeniedRequiresNotes) {
  for (RepairStatus from : kAllRepairStatuses) {
    for (RepairStatus to : kAllRepairStatuses) {
      EXPECT_EQ(MoveRequiresNotes(from, to), from == kReq && to == kDen)
          << ToString(from) << "->" << ToString(to);
    }
  }
}

TEST(DomainWorkflowTest, ApprovalRecordsAreWrittenOnAcceptAndOnTheCustomersDecision) {
  for (RepairStatus from : kAllRepairStatuses) {
    for (RepairStatus to : kAllRepairStatuses) {
      const bool expected = (from == kReq && to == kApp) || (from == kPen && (to == kApp || to == kDen));
      EXPECT_EQ(MoveWritesApproval(from, to), expected) << ToString(from) << "->" << ToString(to);
    }
  }
}

TEST(DomainWorkflowTest, OnlyCompletionIncrementsUnitCount) {
  for (RepairStatus from : kAllRepairStatuses) {
    for (RepairStatus to : kAllRepairStatuses) {
      EXPECT_EQ(IncrementsUnitCount(from, to), from == kInP && to == kCom)
          << ToString(from) << "->" << ToString(to);
    }
  }
}

TEST(DomainWorkflowTest, OnlyATechniciansClaimOfAnUnassignedRepairAssigns) {
  for (RepairStatus from : kAllRepairStatuses) {
    for (RepairStatus to : kAllRepairStatuses) {
      for (std::size_t i = 0; i < kActors.size(); ++i) {
        const bool expected = from == kApp && to == kInP && std::string_view(kActors[i].name) ==
                                                                "technician_repair_unassigned";
        EXPECT_EQ(AssignsTechnicianOnMove(from, to, kActors[i].actor), expected)
            << ToString(from) << "->" << ToString(to) << " by " << kActors[i].name;
      }
    }
  }
}

TEST(DomainWorkflowTest, TableShape) {
  int creation_rows = 0;
  for (const Transition& row : kTransitions) {
    if (!row.from) {
      ++creation_rows;
      EXPECT_EQ(row.channel, MoveChannel::kCreate);
      continue;
    }
    EXPECT_NE(row.channel, MoveChannel::kCreate);
    EXPECT_FALSE(IsFinal(*row.from)) << "a row leaves final status " << ToString(*row.from);
    EXPECT_NE(*row.from, row.to);
  }
  EXPECT_EQ(creation_rows, 2);
}

TEST(DomainRepairStatusTest, WireNamesRoundTrip) {
  const std::array<std::string_view, 7> names{"REQUESTED", "PENDING",   "APPROVED", "DENIED",
                                              "IN_PROGRESS", "COMPLETED", "CANCELLED"};
  ASSERT_EQ(kAllRepairStatuses.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(ToString(kAllRepairStatuses[i]), names[i]);
    EXPECT_EQ(ParseRepairStatus(names[i]), kAllRepairStatuses[i]);
  }
}

TEST(DomainRepairStatusTest, ParseRejectsAnythingButExactNames) {
  for (std::string_view text : {"", "requested", "Requested", " PENDING", "PENDING ", "IN PROGRESS",
                                "INPROGRESS", "CANCELED", "UNKNOWN"}) {
    EXPECT_EQ(ParseRepairStatus(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(DomainRepairStatusTest, FinalStatuses) {
  EXPECT_TRUE(IsFinal(kDen));
  EXPECT_TRUE(IsFinal(kCom));
  EXPECT_TRUE(IsFinal(kCan));
  EXPECT_FALSE(IsFinal(kReq));
  EXPECT_FALSE(IsFinal(kPen));
  EXPECT_FALSE(IsFinal(kApp));
  EXPECT_FALSE(IsFinal(kInP));
}

TEST(DomainRolesTest, RoleNamesRoundTrip) {
  const std::array<std::pair<Role, std::string_view>, 4> roles{{
      {Role::kAdmin, "admin"},
      {Role::kManager, "manager"},
      {Role::kTechnician, "technician"},
      {Role::kCustomer, "customer"},
  }};
  for (const auto& [role, name] : roles) {
    EXPECT_EQ(ToString(role), name);
    EXPECT_EQ(ParseRole(name), role);
  }
  for (std::string_view text : {"", "Admin", "ADMIN", " admin", "staff", "approver"}) {
    EXPECT_EQ(ParseRole(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(DomainRolesTest, AccessNamesRoundTrip) {
  const std::array<std::pair<CustomerAccess, std::string_view>, 3> accesses{{
      {CustomerAccess::kApprover, "approver"},
      {CustomerAccess::kRequester, "requester"},
      {CustomerAccess::kViewer, "viewer"},
  }};
  for (const auto& [access, name] : accesses) {
    EXPECT_EQ(ToString(access), name);
    EXPECT_EQ(ParseCustomerAccess(name), access);
  }
  for (std::string_view text : {"", "Approver", "viewer ", "admin", "read"}) {
    EXPECT_EQ(ParseCustomerAccess(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(DomainRolesTest, StaffRoles) {
  EXPECT_TRUE(IsStaff(Role::kAdmin));
  EXPECT_TRUE(IsStaff(Role::kManager));
  EXPECT_TRUE(IsStaff(Role::kTechnician));
  EXPECT_FALSE(IsStaff(Role::kCustomer));
}

}  // namespace
}  // namespace portico::domain
