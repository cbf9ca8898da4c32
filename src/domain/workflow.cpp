#include "domain/workflow.h"

namespace portico::domain {

namespace {

bool Admits(const Transition& row, const MoveActor& actor) {
  for (Party party : {Party::kAdmin, Party::kManager, Party::kAnyStaff, Party::kClaimingTechnician,
                      Party::kAssignedTechnician, Party::kCustomerRequester, Party::kCustomerApprover}) {
    if (row.who.Contains(party) && IsParty(actor, party)) return true;
  }
  return false;
}

bool IsRow(const Transition& row, RepairStatus from, RepairStatus to) {
  return row.from.has_value() && *row.from == from && row.to == to;
}

}  // namespace

bool IsParty(const MoveActor& actor, Party party) {
  const bool technician = actor.role == Role::kTechnician;
  const bool customer = actor.role == Role::kCustomer;
  switch (party) {
    case Party::kAdmin: return actor.role == Role::kAdmin;
    case Party::kManager: return actor.role == Role::kManager;
    case Party::kAnyStaff: return IsStaff(actor.role);
    case Party::kClaimingTechnician:
      return technician && (actor.is_assigned_technician || !actor.repair_has_technician);
    case Party::kAssignedTechnician: return technician && actor.is_assigned_technician;
    case Party::kCustomerRequester: return customer && actor.access == CustomerAccess::kRequester;
    case Party::kCustomerApprover: return customer && actor.access == CustomerAccess::kApprover;
  }
  return false;
}

bool IsWorkflowMove(RepairStatus from, RepairStatus to) {
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to)) return true;
  }
  return false;
}

MoveDecision DecideMove(RepairStatus from, RepairStatus to, const MoveActor& actor) {
  if (IsFinal(from) || from == to || !IsWorkflowMove(from, to)) return MoveDecision::kConflict;
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to) && row.channel == MoveChannel::kStatus && Admits(row, actor)) {
      return MoveDecision::kAllowed;
    }
  }
  return MoveDecision::kForbidden;
}

MoveDecision DecideApproval(RepairStatus current, const MoveActor& actor) {
  bool may_ever_decide = false;
  for (const Transition& row : kTransitions) {
    if (row.channel != MoveChannel::kApproval || !Admits(row, actor)) continue;
    may_ever_decide = true;
    if (row.from == current) return MoveDecision::kAllowed;
  }
  return may_ever_decide ? MoveDecision::kConflict : MoveDecision::kForbidden;
}

RepairStatus ApprovalTarget(bool approved) {
  return approved ? RepairStatus::kApproved : RepairStatus::kDenied;
}

std::optional<RepairStatus> InitialStatusFor(const MoveActor& actor) {
  for (const Transition& row : kTransitions) {
    if (row.channel == MoveChannel::kCreate && Admits(row, actor)) return row.to;
  }
  return std::nullopt;
}

bool MoveRequiresNotes(RepairStatus from, RepairStatus to) {
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to) && row.effects.requires_notes) return true;
  }
  return false;
}

bool MoveWritesApproval(RepairStatus from, RepairStatus to) {
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to) && row.effects.writes_approval) return true;
  }
  return false;
}

std::vector<RepairStatus> AllowedTargets(RepairStatus from, const MoveActor& actor) {
  std::vector<RepairStatus> targets;
  for (RepairStatus to : kAllRepairStatuses) {
    if (DecideMove(from, to, actor) == MoveDecision::kAllowed) targets.push_back(to);
  }
  return targets;
}

bool AssignsTechnicianOnMove(RepairStatus from, RepairStatus to, const MoveActor& actor) {
  if (actor.role != Role::kTechnician || actor.repair_has_technician || actor.is_assigned_technician) {
    return false;
  }
  if (DecideMove(from, to, actor) != MoveDecision::kAllowed) return false;
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to) && row.channel == MoveChannel::kStatus &&
        row.effects.assigns_claiming_technician && row.who.Contains(Party::kClaimingTechnician)) {
      return true;
    }
  }
  return false;
}

bool IncrementsUnitCount(RepairStatus from, RepairStatus to) {
  for (const Transition& row : kTransitions) {
    if (IsRow(row, from, to) && row.effects.completes) return true;
  }
  return false;
}

}  // namespace portico::domain
