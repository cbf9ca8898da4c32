#include "services/parts_service.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "domain/money.h"
#include "domain/stock.h"
#include "policy/shop_policy.h"
#include "services/support_service.h"
#include "storage/notifications_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;

namespace {

void CheckText(FieldErrors& errors, const char* field, const std::optional<std::string>& v, std::size_t min,
               std::size_t max) {
  if (!v) return;
  auto n = CountCharacters(*v);
  if (n < min || n > max || (min > 0 && v->find_first_not_of(" \t") == std::string::npos)) {
    errors[field].push_back(std::to_string(min) + " to " + std::to_string(max) + " characters.");
  }
}

/// Notifies the managers and admins, and writes part.low_stock (staff only), when a change reaches the
/// reorder level.
void LowStock(storage::Connection& c, const Config& config, const storage::PartRecord& p, std::int64_t before,
              std::int64_t after, UnixSeconds now, std::vector<storage::EventRecord>& events) {
  if (!domain::CrossesReorderLevel(before, after, p.reorder_level_milli)) return;
  storage::EventRecord e;
  e.tenant = p.tenant;
  e.type = "part.low_stock";
  e.internal = true;
  e.data = json::serialize(json::object{{"part_id", p.id}, {"sku", p.sku}, {"name", p.name},
                                        {"quantity_on_hand", domain::FromMilli(after)},
                                        {"reorder_level", domain::FromMilli(p.reorder_level_milli)}});
  e.occurred_at = now;
  e.id = storage::InsertEvent(c, e);
  events.push_back(e);
  const std::string title = "Low stock: " + p.name + " (" + p.sku + ")";
  for (auto user : storage::UsersWithRoles(c, p.tenant, {"manager", "admin"})) {
    storage::NotificationRecord n;
    n.tenant = p.tenant;
    n.user = user;
    n.event_id = e.id;
    n.type = "part_low_stock";
    n.title = title;
    n.created_at = now;
    auto nid = storage::InsertNotification(c, n, !config.smtp_host.empty());
    if (!nid) continue;
    storage::EventRecord ev;
    ev.tenant = p.tenant;
    ev.type = "notification.created";
    ev.user = user;
    ev.data = json::serialize(json::object{{"notification_id", *nid}, {"type", n.type}, {"title", title}});
    ev.occurred_at = now;
    ev.id = storage::InsertEvent(c, ev);
    events.push_back(ev);
  }
}

}  // namespace

std::vector<storage::PartRecord> PartsService::List(const policy::Actor& actor, const std::optional<std::string>& q,
                                                    bool low_stock) {
  if (!policy::CanReadParts(actor)) throw Error::Forbidden("Parts are for the shop's staff.");
  if (q && q->size() > 200) throw Error::Field("q", "At most 200 characters.");
  auto tx = deps_.db.Read();
  return storage::ListParts(tx->conn(), actor.tenant, q, low_stock);
}

storage::PartRecord PartsService::Get(const policy::Actor& actor, std::int64_t id) {
  if (!policy::CanReadParts(actor)) throw Error::Forbidden("Parts are for the shop's staff.");
  auto tx = deps_.db.Read();
  auto p = storage::FindPart(tx->conn(), actor.tenant, id);
  if (!p) throw Error::NotFound("No such part.");
  return *p;
}

storage::PartRecord PartsService::Create(const policy::Actor& actor, const PartInput& in) {
  if (!policy::CanManageParts(actor)) throw Error::Forbidden("Only admins and managers manage parts.");
  FieldErrors errors;
  if (!in.sku) errors["sku"].push_back("Required.");
  if (!in.name) errors["name"].push_back("Required.");
  if (!in.unit_cost) errors["unit_cost"].push_back("Required.");
  CheckText(errors, "sku", in.sku, 1, 64);
  CheckText(errors, "name", in.name, 1, 200);
  CheckText(errors, "location", in.location, 0, 100);
  storage::PartRecord p;
  if (in.unit_cost) {
    auto cents = domain::ParseMoney(*in.unit_cost);
    if (!cents || *cents < 0 || *cents > 100000000) errors["unit_cost"].push_back("An amount like \"12.50\", not negative.");
    else p.unit_cost_cents = *cents;
  }
  if (in.reorder_level) {
    auto m = domain::ToMilli(*in.reorder_level);
    if (!m || *m < 0) errors["reorder_level"].push_back("A number >= 0 with at most 3 decimals.");
    else p.reorder_level_milli = *m;
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  p.tenant = actor.tenant;
  p.sku = *in.sku;
  p.name = *in.name;
  p.location = in.location.value_or("");
  p.active = in.active.value_or(true);
  p.created_at = p.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  try {
    p.id = storage::InsertPart(tx->conn(), p);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) throw Error::Conflict("A part with this SKU exists.");
    throw;
  }
  tx->Commit();
  return p;
}

storage::PartRecord PartsService::Update(const policy::Actor& actor, std::int64_t id, const PartInput& in) {
  if (!policy::CanReadParts(actor)) throw Error::Forbidden("Parts are for the shop's staff.");
  auto tx = deps_.db.Write();
  auto p = storage::FindPart(tx->conn(), actor.tenant, id);
  if (!p) throw Error::NotFound("No such part.");
  if (!policy::CanManageParts(actor)) throw Error::Forbidden("Only admins and managers manage parts.");
  FieldErrors errors;
  CheckText(errors, "sku", in.sku, 1, 64);
  CheckText(errors, "name", in.name, 1, 200);
  CheckText(errors, "location", in.location, 0, 100);
  if (in.unit_cost) {
    auto cents = domain::ParseMoney(*in.unit_cost);
    if (!cents || *cents < 0 || *cents > 100000000) errors["unit_cost"].push_back("An amount like \"12.50\", not negative.");
    else p->unit_cost_cents = *cents;
  }
  if (in.reorder_level) {
    auto m = domain::ToMilli(*in.reorder_level);
    if (!m || *m < 0) errors["reorder_level"].push_back("A number >= 0 with at most 3 decimals.");
    else p->reorder_level_milli = *m;
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  if (in.sku) p->sku = *in.sku;
  if (in.name) p->name = *in.name;
  if (in.location) p->location = *in.location;
  if (in.active) p->active = *in.active;
  p->updated_at = deps_.clock.Now();
  try {
    storage::UpdatePart(tx->conn(), *p);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) throw Error::Conflict("A part with this SKU exists.");
    throw;
  }
  tx->Commit();
  return *p;
}

std::vector<storage::PartMovementRecord> PartsService::Movements(const policy::Actor& actor, std::int64_t id) {
  if (!policy::CanReadParts(actor)) throw Error::Forbidden("Parts are for the shop's staff.");
  auto tx = deps_.db.Read();
  if (!storage::FindPart(tx->conn(), actor.tenant, id)) throw Error::NotFound("No such part.");
  return storage::ListMovements(tx->conn(), actor.tenant, id);
}

storage::PartMovementRecord PartsService::AddMovement(const policy::Actor& actor, std::int64_t id,
                                                      const NewMovement& in) {
  if (!policy::CanReadParts(actor)) throw Error::Forbidden("Parts are for the shop's staff.");
  const UnixSeconds now = deps_.clock.Now();
  std::vector<storage::EventRecord> events;
  storage::PartMovementRecord m;
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    auto p = storage::FindPart(c, actor.tenant, id);
    if (!p) throw Error::NotFound("No such part.");
    if (!policy::CanManageParts(actor)) throw Error::Forbidden("Only admins and managers move stock.");
    FieldErrors errors;
    auto q = domain::ToMilli(in.quantity);
    if (in.kind != "received" && in.kind != "adjusted") errors["kind"].push_back("Either received or adjusted.");
    if (!q || *q == 0) errors["quantity"].push_back("A non-zero number with at most 3 decimals.");
    else if (in.kind == "received" && *q < 0) errors["quantity"].push_back("Received stock is positive.");
    if (in.kind == "adjusted" && in.reason.find_first_not_of(" \t") == std::string::npos) {
      errors["reason"].push_back("An adjustment needs a reason.");
    }
    if (CountCharacters(in.reason) > 500) errors["reason"].push_back("At most 500 characters.");
    if (!errors.empty()) throw Error::Validation(std::move(errors));
    auto after = storage::MoveStock(c, actor.tenant, id, *q, domain::kMaxStockMilli, now);
    if (!after) throw Error::Conflict("Stock never goes below zero (" + std::to_string(domain::FromMilli(p->quantity_milli)) + " on hand).");
    m.part = id;
    m.kind = in.kind;
    m.quantity_milli = *q;
    m.reason = in.reason;
    m.by = actor.user;
    m.by_name = actor.name;
    m.created_at = now;
    m.id = storage::InsertMovement(c, actor.tenant, m);
    LowStock(c, deps_.config, *p, p->quantity_milli, *after, now, events);
    tx->Commit();
  }
  if (publish_) {
    for (const auto& e : events) publish_(e);
  }
  return m;
}

PartTaken TakePart(storage::Connection& c, const Config& config, TenantId tenant, std::int64_t part_id,
                   double quantity, RepairId repair, UserId by, UnixSeconds now,
                   std::vector<storage::EventRecord>& events) {
  auto p = storage::FindPart(c, tenant, part_id);
  if (!p || !p->active) throw Error::Field("part_id", "No such active part.");
  auto q = domain::ToMilli(quantity);
  if (!q || *q <= 0) throw Error::Field("quantity", "Greater than 0, with at most 3 decimals.");
  auto after = storage::MoveStock(c, tenant, part_id, -*q, domain::kMaxStockMilli, now);
  if (!after) throw Error::Conflict("Not enough " + p->name + " in stock.");
  storage::PartMovementRecord m;
  m.part = part_id;
  m.kind = "used";
  m.quantity_milli = -*q;
  m.repair = repair;
  m.by = by;
  m.created_at = now;
  storage::InsertMovement(c, tenant, m);
  LowStock(c, config, *p, p->quantity_milli, *after, now, events);
  return {p->name + " (" + p->sku + ")", p->unit_cost_cents};
}

void ReturnPart(storage::Connection& c, TenantId tenant, RepairId repair, std::int64_t material_id, UserId by,
                UnixSeconds now) {
  auto mp = storage::FindMaterialPart(c, repair, material_id);
  if (!mp) return;
  auto q = domain::ToMilli(mp->quantity);
  if (!q || *q <= 0) return;
  if (!storage::MoveStock(c, tenant, mp->part, *q, domain::kMaxStockMilli, now)) {
    throw Error::Conflict("The part's stock would exceed its limit.");
  }
  storage::PartMovementRecord m;
  m.part = mp->part;
  m.kind = "returned";
  m.quantity_milli = *q;
  m.repair = repair;
  m.by = by;
  m.created_at = now;
  storage::InsertMovement(c, tenant, m);
}

}  // namespace portico::services
