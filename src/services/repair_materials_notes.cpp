// RepairService: a repair's materials (with the inventory of issue 12) and notes.
#include "services/repair_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.h"
#include "domain/money.h"
#include "domain/workflow.h"
#include "policy/policy.h"
#include "services/repair_service_internal.h"
#include "services/parts_service.h"  // issue 12
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/parts_repository.h"  // issue 12
#include "storage/support_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::RepairStatus;
using policy::Action;
using namespace repair_detail;

std::vector<storage::MaterialRecord> RepairService::Materials(const policy::Actor& actor, RepairId id) {
  auto tx = deps_.db.Read();
  Load(tx->conn(), actor, id);
  auto list = storage::ListMaterials(tx->conn(), id);
  for (auto& m : list) m.total_cents = domain::MaterialLineTotal(m.quantity, m.unit_cost_cents);
  return list;
}

storage::MaterialRecord RepairService::AddMaterial(const policy::Actor& actor, RepairId id, const NewMaterial& request) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  if (!policy::Can(actor, Action::kEditMaterials)) throw Error::Forbidden("Only the shop records materials.");
  NewMaterial in = request;
  std::vector<storage::EventRecord> stock_events;  // issue 12: a part's stock goes down with the material
  if (in.part_id) {
    if (domain::IsFinal(StatusOf(r))) throw Error::Conflict("The repair is " + r.status + "; materials are fixed.");
    auto taken = TakePart(c, deps_.config, actor.tenant, *in.part_id, in.quantity, id, actor.user, now, stock_events);
    in.material_type = taken.material_type;
    in.unit_cost = domain::FormatMoney(taken.unit_cost_cents);
  }
  FieldErrors errors;
  std::string type = Trimmed(in.material_type);
  if (type.empty() || type.size() > 200) errors["material_type"].push_back("1 to 200 characters.");
  if (!(in.quantity > 0) || in.quantity > 1e6) errors["quantity"].push_back("Greater than 0 (at most 1000000).");
  auto unit_cost = domain::ParseMoney(in.unit_cost);
  if (!unit_cost || *unit_cost < 0 || *unit_cost > 100000000) {
    errors["unit_cost"].push_back("An amount like \"12.50\", not negative.");
  }
  std::optional<domain::Cents> line;
  if (errors.empty()) {
    line = domain::TryMaterialLineTotal(in.quantity, *unit_cost);
    if (!line) errors["quantity"].push_back("Quantity times unit cost is out of range.");
  }
  Throw(errors);
  if (domain::IsFinal(StatusOf(r))) throw Error::Conflict("The repair is " + r.status + "; materials are fixed.");
  storage::MaterialRecord m;
  m.repair = id;
  m.material_type = type;
  m.quantity = in.quantity;
  m.unit_cost_cents = *unit_cost;
  m.total_cents = *line;
  m.created_at = now;
  m.id = storage::InsertMaterial(c, actor.tenant, m, actor.user);
  if (in.part_id) storage::SetMaterialPart(c, m.id, *in.part_id);
  m.part_id = in.part_id;
  r.materials_cents = storage::SumMaterials(c, id);
  if (!storage::UpdateRepair(c, r, now)) throw Error::Conflict("The repair was changed by someone else; reload it.");
  auto event = Emit(c, actor, r, "repair.material_added",
       json::serialize(json::object{{"material_id", m.id},
                                    {"material_type", m.material_type},
                                    {"materials_total", domain::FormatMoney(r.materials_cents)},
                                    {"by", actor.name}}));
  tx->Commit();
  Published(event);
  for (const auto& e : stock_events) Published(e);
  return m;
}

void RepairService::RemoveMaterial(const policy::Actor& actor, RepairId id, std::int64_t material_id) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  if (!policy::Can(actor, Action::kEditMaterials)) throw Error::Forbidden("Only the shop records materials.");
  if (domain::IsFinal(StatusOf(r))) throw Error::Conflict("The repair is " + r.status + "; materials are fixed.");
  ReturnPart(c, actor.tenant, id, material_id, actor.user, now);  // issue 12: its part's stock comes back
  if (!storage::DeleteMaterial(c, id, material_id)) throw Error::NotFound("No such material on this repair.");
  r.materials_cents = storage::SumMaterials(c, id);
  if (!storage::UpdateRepair(c, r, now)) throw Error::Conflict("The repair was changed by someone else; reload it.");
  auto event = Emit(c, actor, r, "repair.updated",
       json::serialize(json::object{{"fields", json::array{"materials"}},
                                    {"materials_total", domain::FormatMoney(r.materials_cents)},
                                    {"by", actor.name}}));
  tx->Commit();
  Published(event);
}

std::vector<storage::NoteRecord> RepairService::Notes(const policy::Actor& actor, RepairId id) {
  auto tx = deps_.db.Read();
  Load(tx->conn(), actor, id);
  return storage::ListNotes(tx->conn(), id, policy::Can(actor, Action::kReadInternalNotes));
}

storage::NoteRecord RepairService::AddNote(const policy::Actor& actor, RepairId id, const std::string& body,
                                           const std::string& visibility) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  const std::string vis = visibility.empty() ? policy::DefaultNoteVisibility(actor) : visibility;
  if (vis != "internal" && vis != "customer") {
    throw Error::Field("visibility", "Either \"internal\" (staff only) or \"customer\".");
  }
  if (!policy::CanWriteNote(actor, r.customer, vis)) {
    throw Error::Forbidden(actor.IsStaff() ? "You may not write notes." : "You may not write this note.");
  }
  std::string text = Trimmed(body);
  if (text.empty() || text.size() > kMaxNote) throw Error::Field("body", "1 to 10000 characters.");
  storage::NoteRecord n;
  n.repair = id;
  n.author = actor.user;
  n.author_name = actor.name;
  n.body = text;
  n.visibility = vis;
  n.created_at = now;
  n.id = storage::InsertNote(c, actor.tenant, n);
  auto event = Emit(c, actor, r, "repair.note_added",
       json::serialize(json::object{{"note_id", n.id}, {"visibility", vis}, {"by", actor.name}}),
       vis == "internal");
  tx->Commit();
  Published(event);
  return n;
}

// ---- units ----

}  // namespace portico::services
