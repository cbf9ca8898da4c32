#include "services/repair_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "domain/client_requests.h"
#include "domain/money.h"
#include "domain/workflow.h"
#include "policy/policy.h"
#include "services/repair_service_internal.h"
#include "services/parts_service.h"  // issue 12
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/identity_epoch.h"
#include "storage/parts_repository.h"  // issue 12
#include "storage/support_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::RepairStatus;
using policy::Action;
using namespace repair_detail;

/// Issue 16: a tenant's pricing for the read paths (Get, List) and the estimate in a move's answer, kept
/// while storage::IdentityEpoch (which advances after every committed write to tenants) stays what it was
/// before the caller's transaction began; `epoch` nullopt (no epoch: a PostgreSQL instance whose listener is
/// down) reads it every time.
domain::PricingSettings repair_detail::ReadPricing(storage::Connection& c, TenantId tenant,
                                                   std::optional<std::uint64_t> epoch) {
  struct Entry {
    std::uint64_t epoch;
    domain::PricingSettings pricing;
  };
  static std::mutex mutex;
  static std::unordered_map<std::int64_t, Entry> cache;
  if (epoch) {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(tenant.value); it != cache.end() && it->second.epoch == *epoch) return it->second.pricing;
  }
  auto t = storage::FindTenant(c, tenant);
  auto pricing = t ? t->pricing : domain::PricingSettings{};
  if (epoch) {
    std::lock_guard lock(mutex);
    if (cache.size() > 10000) cache.clear();
    cache.insert_or_assign(tenant.value, Entry{*epoch, pricing});
  }
  return pricing;
}

std::string repair_detail::Today(UnixSeconds now) { return FormatDate(now); }

FieldErrors ValidateRepairFields(const std::string& description, const std::string& damage_type,
                                 std::int64_t priority) {
  FieldErrors errors;
  if (Trimmed(description).empty()) errors["description"].push_back("Describe the repair.");
  if (description.size() > kMaxDescription) {
    errors["description"].push_back("At most " + std::to_string(kMaxDescription) + " characters.");
  }
  if (damage_type.size() > kMaxDamageType) {
    errors["damage_type"].push_back("At most " + std::to_string(kMaxDamageType) + " characters.");
  }
  if (priority < 1 || priority > 4) errors["priority"].push_back("Must be 1 (highest) to 4.");
  return errors;
}

domain::PricingSettings RepairService::Pricing(storage::Connection& c, TenantId tenant) const {
  auto t = storage::FindTenant(c, tenant);
  return t ? t->pricing : domain::PricingSettings{};
}

storage::RepairRecord RepairService::Load(storage::Connection& c, const policy::Actor& actor, RepairId id) const {
  auto r = storage::FindRepair(c, policy::ScopeOf(actor), id);
  if (!r) throw Error::NotFound("No such repair.");
  return *r;
}

RepairView RepairService::View(const policy::Actor& actor, storage::RepairRecord r,
                               const domain::PricingSettings& pricing) const {
  RepairView v;
  auto status = StatusOf(r);
  if (status == RepairStatus::kCompleted) {
    v.estimated_cost = r.cost_cents;
  } else {
    v.estimated_cost = domain::RepairCost(domain::EstimatedLabour(pricing, static_cast<int>(r.unit_repair_count)),
                                          r.price_override_cents, r.materials_cents, r.change_orders_cents);
  }
  auto mover = policy::MoveActorFor(actor, r.customer, r.technician);
  v.allowed_moves = domain::AllowedTargets(status, mover);
  // PENDING -> APPROVED/DENIED happen through /approval, not /status.
  std::erase_if(v.allowed_moves, [&](RepairStatus to) {
    return domain::DecideMove(status, to, mover) != domain::MoveDecision::kAllowed;
  });
  for (auto to : v.allowed_moves) {
    if (domain::MoveRequiresNotes(status, to)) v.moves_needing_reason.push_back(to);
  }
  v.can_approve = domain::DecideApproval(status, mover) == domain::MoveDecision::kAllowed;
  v.within_approval_limit =
      domain::WithinApprovalLimit(policy::ApprovalLimitOf(actor, r.customer), v.estimated_cost);
  v.repair = std::move(r);
  return v;
}

storage::EventRecord RepairService::Emit(storage::Connection& c, const policy::Actor& actor, const storage::RepairRecord& r,
                         const char* type, std::string data, bool internal) {
  storage::EventRecord e;
  e.tenant = actor.tenant;
  e.type = type;
  e.repair = r.id;
  e.customer = r.customer;
  e.internal = internal;
  // Who caused it, so that notifications skip that person.
  json::error_code ec;
  auto parsed = json::parse(data, ec);
  if (!ec && parsed.is_object()) {
    parsed.as_object()["by_id"] = actor.user.value;
    data = json::serialize(parsed);
  }
  e.data = std::move(data);
  e.occurred_at = deps_.clock.Now();
  e.id = storage::InsertEvent(c, e);
  return e;
}

void RepairService::Published(const storage::EventRecord& event) {
  if (publish_) publish_(event);
}

// ---- repairs ----

RepairView RepairService::Create(const policy::Actor& actor, const NewRepair& in) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto scope = policy::ScopeOf(actor);
  // An id in the body that the caller cannot see is a 400 on that field (API.md, Precise rules).
  if (!storage::FindCustomer(c, scope, in.customer)) throw Error::Field("customer_id", "No such customer.");
  if (!policy::CanCreateRepairFor(actor, in.customer)) {
    throw Error::Forbidden("Your access to this customer does not allow requesting repairs.");
  }
  auto initial = domain::InitialStatusFor(policy::MoveActorFor(actor, in.customer, std::nullopt));
  if (!initial) throw Error::Forbidden("You may not create repairs.");

  FieldErrors errors = ValidateRepairFields(in.description, in.damage_type, in.priority);
  std::optional<storage::UnitRecord> unit;
  if (in.unit) {
    unit = storage::FindUnit(c, scope, *in.unit);
    if (!unit || unit->customer != in.customer) errors["unit_id"].push_back("No such unit for this customer.");
  } else if (in.unit_number) {
    std::string number = Trimmed(*in.unit_number);
    if (number.empty() || number.size() > kMaxUnitNumber) {
      errors["unit_number"].push_back("1 to " + std::to_string(kMaxUnitNumber) + " characters.");
    } else {
      unit = storage::FindUnitByNumber(c, actor.tenant, in.customer, number);
      if (!unit) {
        storage::UnitRecord u;
        u.tenant = actor.tenant;
        u.customer = in.customer;
        u.unit_number = number;
        u.created_at = u.updated_at = now;
        if (errors.empty()) {
          u.id = storage::InsertUnit(c, u);
          unit = u;
        }
      }
    }
  } else {
    errors["unit_number"].push_back("Give unit_number or unit_id.");
  }
  Throw(errors);

  storage::RepairRecord r;
  r.tenant = actor.tenant;
  r.customer = in.customer;
  r.unit = unit->id;
  r.unit_number = unit->unit_number;
  r.status = std::string(domain::ToString(*initial));
  r.description = Trimmed(in.description);
  r.damage_type = Trimmed(in.damage_type);
  r.priority = in.priority;
  r.repair_date = Today(now);
  r.created_at = r.updated_at = now;
  r.id = storage::InsertRepair(c, r);
  storage::InsertLog(c, actor.tenant, r.id, std::nullopt, r.status, actor.user, "", now);
  auto event = Emit(c, actor, r, "repair.created",
       json::serialize(json::object{{"status", r.status}, {"unit_number", r.unit_number}, {"by", actor.name}}));
  auto created = Load(c, actor, r.id);
  auto pricing = Pricing(c, actor.tenant);
  tx->Commit();
  Published(event);
  return View(actor, std::move(created), pricing);
}

RepairView RepairService::Get(const policy::Actor& actor, RepairId id) {
  const auto epoch = storage::IdentityEpoch(deps_.db);  // before the reads (ReadPricing)
  // One statement (the pricing comes from its cache): no snapshot to share, so no transaction block.
  auto tx = deps_.db.ReadEach();
  auto r = Load(tx->conn(), actor, id);
  return View(actor, std::move(r), ReadPricing(tx->conn(), actor.tenant, epoch));
}

PageOf<RepairView> RepairService::List(const policy::Actor& actor, const storage::RepairFilter& filter,
                                       const PageRequest& page) {
  FieldErrors errors;
  for (const auto& s : filter.statuses) {
    if (!domain::ParseRepairStatus(s)) errors["status"].push_back("Unknown status '" + s + "'.");
  }
  std::string field = !filter.ordering.empty() && filter.ordering.front() == '-' ? filter.ordering.substr(1)
                                                                                 : filter.ordering;
  const auto& allowed = storage::RepairOrderings();
  if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
    std::string names;
    for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
    errors["ordering"].push_back("Order by one of " + names + ", with '-' for descending.");
  }
  Throw(errors);
  const auto epoch = storage::IdentityEpoch(deps_.db);  // before the reads (ReadPricing)
  // The page and its count each see the data committed when they run, as a paginator in autocommit does:
  // a change between the two may make the count differ from the page by that change, which the next page
  // shows anyway. On PostgreSQL it saves the transaction's BEGIN, plan-mode SET and ROLLBACK.
  auto tx = deps_.db.ReadEach();
  auto rows = storage::ListRepairs(tx->conn(), policy::ScopeOf(actor), filter, page);
  auto pricing = ReadPricing(tx->conn(), actor.tenant, epoch);
  PageOf<RepairView> out;
  out.count = rows.count;
  out.results.reserve(rows.results.size());
  for (auto& r : rows.results) out.results.push_back(View(actor, std::move(r), pricing));
  return out;
}

RepairView RepairService::Update(const policy::Actor& actor, RepairId id, const RepairPatch& p) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  auto editable = policy::EditableRepairFields(actor, r.customer);
  for (const auto& f : p.present) {
    if (f == "version") continue;
    if (std::find(editable.begin(), editable.end(), f) == editable.end()) {
      throw Error::Forbidden(editable.empty() ? "You may not change this repair."
                                              : "You may not change the field '" + f + "'.");
    }
  }
  const auto status = StatusOf(r);
  // Customers may edit only while they may still cancel (REQUESTED, PENDING): afterwards they are not
  // allowed (403), as for cancelling. For staff, a final repair is a workflow conflict (409).
  if (!policy::MayEditInStatus(actor, status)) {
    throw Error::Forbidden("The repair is " + r.status + "; only the shop can change it now.");
  }
  FieldErrors errors;
  if (p.description) {
    if (Trimmed(*p.description).empty()) errors["description"].push_back("Describe the repair.");
    if (p.description->size() > kMaxDescription) errors["description"].push_back("Too long.");
  }
  if (p.damage_type && p.damage_type->size() > kMaxDamageType) errors["damage_type"].push_back("Too long.");
  if (p.priority && (*p.priority < 1 || *p.priority > 4)) errors["priority"].push_back("Must be 1 (highest) to 4.");
  if (p.repair_date && !ParseDate(*p.repair_date)) errors["repair_date"].push_back("A date written YYYY-MM-DD.");
  if (p.windshield_temperature && *p.windshield_temperature &&
      (**p.windshield_temperature < -100 || **p.windshield_temperature > 200)) {
    errors["windshield_temperature"].push_back("Between -100 and 200.");
  }
  if (p.windshield_temperature_unit && *p.windshield_temperature_unit && **p.windshield_temperature_unit != "C" &&
      **p.windshield_temperature_unit != "F") {
    errors["windshield_temperature_unit"].push_back("C or F.");
  }
  if (p.resin_viscosity && *p.resin_viscosity && (*p.resin_viscosity)->size() > 100) {
    errors["resin_viscosity"].push_back("At most 100 characters.");
  }
  std::optional<std::optional<domain::Cents>> override_cents;
  if (p.price_override) {
    if (!*p.price_override) {
      override_cents = std::optional<domain::Cents>{};
    } else {
      auto cents = domain::ParseMoney(**p.price_override);
      if (!cents || *cents < 0) {
        errors["price_override"].push_back("An amount like \"45.00\", not negative.");
      } else {
        override_cents = cents;
      }
    }
  }
  if (p.technician_id && *p.technician_id) {
    auto t = storage::FindUser(c, actor.tenant, UserId(**p.technician_id));
    if (!t || t->role != domain::Role::kTechnician || !t->is_active) {
      errors["technician_id"].push_back("No such technician.");
    }
  }
  Throw(errors);
  if (domain::IsFinal(status)) throw Error::Conflict("The repair is " + r.status + " and can no longer be changed.");
  if (p.version && *p.version != r.version) {
    throw Error::Conflict("The repair was changed by someone else (version " + std::to_string(r.version) +
                          "); reload it and try again.");
  }
  if (p.description) r.description = Trimmed(*p.description);
  if (p.damage_type) r.damage_type = Trimmed(*p.damage_type);
  if (p.priority) r.priority = *p.priority;
  if (p.repair_date) r.repair_date = *p.repair_date;
  if (p.drilled_before_repair) r.drilled_before_repair = *p.drilled_before_repair;
  if (p.windshield_temperature) r.windshield_temperature = *p.windshield_temperature;
  if (p.windshield_temperature_unit) r.windshield_temperature_unit = *p.windshield_temperature_unit;
  if (p.resin_viscosity) r.resin_viscosity = *p.resin_viscosity;
  if (p.technician_id) r.technician = *p.technician_id ? std::optional<UserId>(UserId(**p.technician_id)) : std::nullopt;
  if (override_cents) r.price_override_cents = *override_cents;
  const bool search_changed = p.description.has_value() || p.damage_type.has_value();
  if (!storage::UpdateRepair(c, r, now, search_changed)) throw Error::Conflict("The repair was changed by someone else; reload it.");
  json::array fields;
  for (const auto& f : p.present) {
    if (f != "version") fields.emplace_back(f);
  }
  auto event = Emit(c, actor, r, "repair.updated", json::serialize(json::object{{"fields", fields}, {"by", actor.name}}));
  auto updated = Load(c, actor, id);
  auto pricing = Pricing(c, actor.tenant);
  tx->Commit();
  Published(event);
  return View(actor, std::move(updated), pricing);
}

std::vector<storage::LogEntry> RepairService::Log(const policy::Actor& actor, RepairId id) {
  auto tx = deps_.db.Read();
  Load(tx->conn(), actor, id);
  return storage::ListLog(tx->conn(), id);
}

}  // namespace portico::services
