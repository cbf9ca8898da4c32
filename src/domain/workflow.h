// The repair workflow: the one transition table of PRODUCT.md ("The repair workflow") as data, and the
// decisions built on it. Every module that asks "may this status change happen" asks here; nothing else
// keeps its own copy of the table. Pure: no I/O, no database, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "domain/repair_status.h"
#include "domain/roles.h"

namespace portico::domain {

/// One kind of party that a row of the transition table names in its "who" column
/// (PRODUCT.md, "The repair workflow").
enum class Party : std::uint8_t {
  kAdmin,               // a user with role admin
  kManager,             // a user with role manager
  kAnyStaff,            // admin, manager or technician (creating a repair)
  kClaimingTechnician,  // a technician, unless the repair is assigned to another technician ("claim")
  kAssignedTechnician,  // the technician assigned to the repair
  kCustomerRequester,   // a customer user with requester access to the repair's customer
  kCustomerApprover,    // a customer user with approver access to the repair's customer
};

/// A set of parties (the "who" column of one row). Built from a braced list: `{Party::kManager, ...}`.
class PartySet {
 public:
  constexpr PartySet(std::initializer_list<Party> parties) {
    for (Party party : parties) bits_ = static_cast<std::uint16_t>(bits_ | Bit(party));
  }
  /// True when `party` is in the set.
  constexpr bool Contains(Party party) const { return (bits_ & Bit(party)) != 0; }

 private:
  static constexpr std::uint16_t Bit(Party party) {
    return static_cast<std::uint16_t>(1u << static_cast<unsigned>(party));
  }
  std::uint16_t bits_ = 0;
};

/// The request a move is made with (API.md, "Repairs"): creating the repair (POST /repairs), the generic
/// status change (POST /repairs/{id}/status) or the customer's decision (POST /repairs/{id}/approval).
enum class MoveChannel { kCreate, kStatus, kApproval };

/// What accepting a move implies besides the status change and its log entry and event
/// (PRODUCT.md, "The repair workflow", column "effect").
struct MoveEffects {
  bool requires_notes = false;               // the notes are the reason and may not be empty
  bool writes_approval = false;              // an approval record is written (who decided, when, notes)
  bool assigns_claiming_technician = false;  // a technician claiming an unassigned repair becomes assigned
  bool completes = false;                    // the unit's repair count goes up by one; the cost is fixed
};

/// One row of the transition table. `from` is nullopt for the creation rows ("(new)").
struct Transition {
  std::optional<RepairStatus> from;
  RepairStatus to;
  PartySet who;
  MoveChannel channel;
  MoveEffects effects;
};

/// THE transition table of PRODUCT.md, "The repair workflow", one row per (from, to, channel, who);
/// the multi-source rows ("REQUESTED, PENDING -> CANCELLED", "any non-final -> CANCELLED") are written out
/// per source status. A (from, to) pair listed here is "a move of the workflow"; any other pair is a
/// conflict whoever asks. PENDING -> APPROVED/DENIED is only made on the approval channel (API.md).
inline constexpr std::array kTransitions{
    // (new) -> REQUESTED: customer-initiated request.
    Transition{.from = std::nullopt,
               .to = RepairStatus::kRequested,
               .who = {Party::kCustomerRequester, Party::kCustomerApprover},
               .channel = MoveChannel::kCreate,
               .effects = {}},
    // (new) -> PENDING: staff-initiated repair, waits for the customer.
    Transition{.from = std::nullopt,
               .to = RepairStatus::kPending,
               .who = {Party::kAnyStaff},
               .channel = MoveChannel::kCreate,
               .effects = {}},
    // REQUESTED -> APPROVED ("accept"): an approval record decided by the staff user.
    Transition{.from = RepairStatus::kRequested,
               .to = RepairStatus::kApproved,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {.writes_approval = true}},
    // REQUESTED -> DENIED: reason required.
    Transition{.from = RepairStatus::kRequested,
               .to = RepairStatus::kDenied,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {.requires_notes = true}},
    // PENDING -> APPROVED / DENIED: the customer approver's decision, approval record with notes.
    Transition{.from = RepairStatus::kPending,
               .to = RepairStatus::kApproved,
               .who = {Party::kCustomerApprover},
               .channel = MoveChannel::kApproval,
               .effects = {.writes_approval = true}},
    Transition{.from = RepairStatus::kPending,
               .to = RepairStatus::kDenied,
               .who = {Party::kCustomerApprover},
               .channel = MoveChannel::kApproval,
               .effects = {.writes_approval = true}},
    // APPROVED -> IN_PROGRESS ("claim"): a technician assigns itself if unassigned.
    Transition{.from = RepairStatus::kApproved,
               .to = RepairStatus::kInProgress,
               .who = {Party::kClaimingTechnician, Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {.assigns_claiming_technician = true}},
    // IN_PROGRESS -> APPROVED ("release").
    Transition{.from = RepairStatus::kInProgress,
               .to = RepairStatus::kApproved,
               .who = {Party::kAssignedTechnician, Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    // IN_PROGRESS -> COMPLETED: the unit's repair count goes up by one, the final cost is fixed.
    Transition{.from = RepairStatus::kInProgress,
               .to = RepairStatus::kCompleted,
               .who = {Party::kAssignedTechnician, Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {.completes = true}},
    // REQUESTED, PENDING -> CANCELLED: customer requester or approver of that customer.
    Transition{.from = RepairStatus::kRequested,
               .to = RepairStatus::kCancelled,
               .who = {Party::kCustomerRequester, Party::kCustomerApprover},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    Transition{.from = RepairStatus::kPending,
               .to = RepairStatus::kCancelled,
               .who = {Party::kCustomerRequester, Party::kCustomerApprover},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    // any non-final -> CANCELLED: manager, admin.
    Transition{.from = RepairStatus::kRequested,
               .to = RepairStatus::kCancelled,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    Transition{.from = RepairStatus::kPending,
               .to = RepairStatus::kCancelled,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    Transition{.from = RepairStatus::kApproved,
               .to = RepairStatus::kCancelled,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {}},
    Transition{.from = RepairStatus::kInProgress,
               .to = RepairStatus::kCancelled,
               .who = {Party::kManager, Party::kAdmin},
               .channel = MoveChannel::kStatus,
               .effects = {}},
};

/// The caller of a move, as far as the workflow needs to know it. Filled by the service from the session
/// and the (scoped) repair row.
struct MoveActor {
  Role role;
  /// Customer users: the access to the repair's customer; nullopt if none (and always for staff).
  std::optional<CustomerAccess> access;
  /// The caller is the technician assigned to the repair.
  bool is_assigned_technician = false;
  /// The repair has an assigned technician (the caller or someone else).
  bool repair_has_technician = false;
};

/// The outcome of a workflow decision, in the terms of API.md, "Repairs".
enum class MoveDecision {
  kAllowed,
  kConflict,   // not a move of the workflow from the current status, whoever asks: 409
  kForbidden,  // a move of the workflow, but not for this caller on this channel: 403
};

/// True when `actor` is `party` (e.g. kClaimingTechnician: a technician and the repair has no technician
/// or has this one). Staff never count as customer parties, customers never as staff parties.
bool IsParty(const MoveActor& actor, Party party);

/// True when (from, to) is a move of the workflow on any channel (a row of kTransitions). Final statuses
/// and from == to never are. PRODUCT.md, "The repair workflow".
bool IsWorkflowMove(RepairStatus from, RepairStatus to);

/// The decision for POST /repairs/{id}/status moving a repair from `from` to `to`.
/// kConflict: `from` is final, from == to, or the pair is not in the table (for everyone).
/// kForbidden: the pair is in the table but no row of the status channel admits `actor`; in particular
/// PENDING -> APPROVED/DENIED is kForbidden for every caller here (API.md: it is made with /approval).
/// PRODUCT.md, "The repair workflow"; API.md, "Repairs".
MoveDecision DecideMove(RepairStatus from, RepairStatus to, const MoveActor& actor);

/// The decision for POST /repairs/{id}/approval on a repair in status `current` (both answers, approved
/// and denied, have the same rule). kForbidden when `actor` may never decide an approval (anyone but a
/// customer approver of the repair's customer), whatever the status; otherwise kConflict when the repair is
/// not PENDING; otherwise kAllowed. PRODUCT.md, "The repair workflow"; API.md, POST /approval.
MoveDecision DecideApproval(RepairStatus current, const MoveActor& actor);

/// The status a customer's decision leads to: APPROVED when approved, else DENIED (API.md, POST /approval).
RepairStatus ApprovalTarget(bool approved);

/// The status a new repair created by `actor` starts in: REQUESTED for a customer requester or approver,
/// PENDING for any staff user, nullopt (the caller may not create: 403) for a customer viewer or a customer
/// user without access. PRODUCT.md, "The repair workflow", rows "(new)"; API.md, POST /repairs.
std::optional<RepairStatus> InitialStatusFor(const MoveActor& actor);

/// True when the move needs non-empty notes (its reason): REQUESTED -> DENIED. PRODUCT.md, "reason required".
bool MoveRequiresNotes(RepairStatus from, RepairStatus to);

/// True when the move writes an approval record: REQUESTED -> APPROVED (decided by the staff user) and
/// PENDING -> APPROVED/DENIED (the customer's decision). PRODUCT.md, "The repair workflow", column "effect".
bool MoveWritesApproval(RepairStatus from, RepairStatus to);

/// The statuses a repair in `from` may be moved to by `actor` on the status channel (DecideMove is
/// kAllowed), in kAllRepairStatuses order: the board's columns a card may be dropped on.
/// PRODUCT.md, "What the portals show" (board moves only along allowed moves).
std::vector<RepairStatus> AllowedTargets(RepairStatus from, const MoveActor& actor);

/// True when this allowed move makes the acting technician the repair's technician: a technician claiming
/// an unassigned APPROVED repair (APPROVED -> IN_PROGRESS). False for everything else, including a manager
/// or admin starting the work and moves DecideMove refuses.
/// PRODUCT.md, "The repair workflow" ("claim": assigns itself if unassigned).
bool AssignsTechnicianOnMove(RepairStatus from, RepairStatus to, const MoveActor& actor);

/// True when the move completes the repair: the unit's repair count goes up by one and the final cost is
/// fixed (IN_PROGRESS -> COMPLETED). PRODUCT.md, "The repair workflow" and "Pricing".
bool IncrementsUnitCount(RepairStatus from, RepairStatus to);

}  // namespace portico::domain
