// Status changes of a repair: a move (POST /status) and a customer approver's decision (POST /approval).
// PRODUCT.md "The repair workflow"; API.md "Repairs".
#include <boost/json.hpp>

#include "core/error.h"
#include "domain/workflow.h"
#include "policy/policy.h"
#include "services/repair_service.h"
#include "services/repair_service_internal.h"
#include "storage/identity_epoch.h"

namespace portico::services {
namespace json = boost::json;
using domain::RepairStatus;
using namespace repair_detail;

namespace {

/// A status move decided on a repair as read (PRODUCT.md, the workflow's state table).
struct MoveDecided {
  RepairStatus from;
  RepairStatus to;
  domain::MoveActor mover;
};

/// Decides a move: throws Error(kInvalidInput) for an unknown status or missing notes, kForbidden and
/// kConflict as domain::DecideMove says.
MoveDecided DecideMoveOf(const policy::Actor& actor, const storage::RepairRecord& r, const std::string& status_text,
                         const std::string& notes) {
  auto to = domain::ParseRepairStatus(status_text);
  if (!to) {
    throw Error::Field("status", "Unknown status; one of REQUESTED, PENDING, APPROVED, DENIED, IN_PROGRESS, "
                                 "COMPLETED, CANCELLED.");
  }
  auto from = StatusOf(r);
  auto mover = policy::MoveActorFor(actor, r.customer, r.technician);
  switch (domain::DecideMove(from, *to, mover)) {
    case domain::MoveDecision::kAllowed:
      break;
    case domain::MoveDecision::kForbidden:
      if (from == RepairStatus::kPending && (*to == RepairStatus::kApproved || *to == RepairStatus::kDenied)) {
        throw Error::Forbidden("Approving or denying pending work is the customer approver's decision (/approval).");
      }
      throw Error::Forbidden("You may not move this repair from " + r.status + " to " + status_text + ".");
    case domain::MoveDecision::kConflict:
      throw Error::Conflict("A repair cannot move from " + r.status + " to " + status_text + ".");
  }
  if (notes.size() > kMaxNotesOnMove) throw Error::Field("notes", "At most 2000 characters.");
  if (domain::MoveRequiresNotes(from, *to) && Trimmed(notes).empty()) {
    throw Error::Field("notes", "Give a reason.");
  }
  return MoveDecided{from, *to, mover};
}

}  // namespace

RepairView RepairService::Move(const policy::Actor& actor, RepairId id, const std::string& status_text,
                               const std::string& notes) {
  // Read and decided inside the write transaction. Reading before the writer is taken (and checking the
  // version in the update) was measured: about 10% more moves/s on PostgreSQL, up to 14% fewer on SQLite (a
  // reader transaction more per move); not worth the retry it needs (bench/RESULTS.md, "Tried and not kept").
  const UnixSeconds now = deps_.clock.Now();
  const auto epoch = storage::IdentityEpoch(deps_.db);  // before the transaction: see ReadPricing
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  const auto [from, to, mover] = DecideMoveOf(actor, r, status_text, notes);
  if (domain::AssignsTechnicianOnMove(from, to, mover)) {
    r.technician = actor.user;
    r.technician_name = actor.name;
  }
  const bool writes_approval = domain::MoveWritesApproval(from, to);
  if (writes_approval) storage::InsertApproval(c, r.id, to == RepairStatus::kApproved, actor.user, now, notes);
  std::optional<domain::PricingSettings> pricing;
  if (domain::IncrementsUnitCount(from, to)) {
    pricing = Pricing(c, actor.tenant);  // the price fixed now: read in the transaction
    r.unit_repair_count = storage::IncrementUnitRepairCount(c, r.unit, now);
    r.labour_cents = domain::LabourPrice(*pricing, static_cast<int>(r.unit_repair_count));
    r.materials_cents = storage::SumMaterials(c, r.id);
    r.cost_cents = domain::RepairCost(*r.labour_cents, r.price_override_cents, r.materials_cents,
                                      r.change_orders_cents);
    r.repair_date = Today(now);
  }
  std::string previous = r.status;
  r.status = std::string(domain::ToString(to));
  if (!storage::UpdateRepair(c, r, now)) throw Error::Conflict("The repair was changed by someone else; reload it.");
  storage::InsertLog(c, actor.tenant, r.id, previous, r.status, actor.user, notes, now);
  auto event = Emit(c, actor, r, "repair.status_changed",
       json::serialize(json::object{{"previous_status", previous}, {"status", r.status}, {"by", actor.name}}));
  // The answer: the row as the update wrote it (storage::AsUpdated: version + 1, updated_at, the board rank
  // cleared on a change of column), without reading it back inside the writer's hold; read back when the
  // move recorded an approval, which the row's answer shows.
  auto moved = writes_approval ? Load(c, actor, id) : storage::AsUpdated(std::move(r), previous, now);
  // The answer's estimate, as a read would give it (one query fewer per move when the tenant is cached).
  if (!pricing) pricing = ReadPricing(c, actor.tenant, epoch);
  tx->Commit();
  Published(event);
  return View(actor, std::move(moved), *pricing);
}

RepairView RepairService::Approve(const policy::Actor& actor, RepairId id, bool approved, const std::string& notes) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  auto from = StatusOf(r);
  switch (domain::DecideApproval(from, policy::MoveActorFor(actor, r.customer, r.technician))) {
    case domain::MoveDecision::kAllowed:
      break;
    case domain::MoveDecision::kForbidden:
      throw Error::Forbidden("Only an approver of this customer may approve or deny its repairs.");
    case domain::MoveDecision::kConflict:
      throw Error::Conflict("Only a PENDING repair can be approved or denied; this one is " + r.status + ".");
  }
  if (approved) {
    // An approver may not approve a repair whose estimate is above its limit (issue 10; denying is free).
    auto limit = policy::ApprovalLimitOf(actor, r.customer);
    auto estimate = View(actor, r, Pricing(c, actor.tenant)).estimated_cost;
    if (!domain::WithinApprovalLimit(limit, estimate)) {
      throw Error::Forbidden("This repair's estimate (" + domain::FormatMoney(estimate) +
                             ") is above your approval limit of " + domain::FormatMoney(*limit) +
                             "; ask an approver with a higher limit.");
    }
  }
  if (notes.size() > kMaxNotesOnMove) throw Error::Field("notes", "At most 2000 characters.");
  auto to = domain::ApprovalTarget(approved);
  storage::InsertApproval(c, r.id, approved, actor.user, now, notes);
  std::string previous = r.status;
  r.status = std::string(domain::ToString(to));
  if (!storage::UpdateRepair(c, r, now)) throw Error::Conflict("The repair was changed by someone else; reload it.");
  storage::InsertLog(c, actor.tenant, r.id, previous, r.status, actor.user, notes, now);
  auto event = Emit(c, actor, r, "repair.approval",
       json::serialize(json::object{
           {"approved", approved}, {"previous_status", previous}, {"status", r.status}, {"by", actor.name}}));
  auto decided = Load(c, actor, id);
  auto pricing = Pricing(c, actor.tenant);
  tx->Commit();
  Published(event);
  return View(actor, std::move(decided), pricing);
}

}  // namespace portico::services
