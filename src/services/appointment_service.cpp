// Appointments, booking and reading (issue 12): list, get, and create with the slot re-checked inside the
// write transaction. Moves and staff changes: appointment_moves.cpp; feeds and reminders:
// appointment_reminders.cpp.
#include "services/appointment_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/error.h"
#include "policy/policy.h"
#include "policy/shop_policy.h"
#include "services/appointment_detail.h"
#include "services/ical_feed.h"
#include "services/shop_service.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::AppointmentMove;
using domain::AppointmentStatus;
using namespace appointment_detail;

AppointmentView AppointmentService::View(storage::Connection& c, const storage::AppointmentRecord& a) {
  auto z = LoadZone(c, a.tenant);
  return {a, z.zone.LocalStamp(a.starts_at)};
}

storage::EventRecord AppointmentService::Event(const storage::AppointmentRecord& a, const char* type, UserId by) {
  storage::EventRecord e;
  e.tenant = a.tenant;
  e.type = type;
  e.repair = a.repair;
  e.customer = a.customer;
  e.data = json::serialize(json::object{{"appointment_id", a.id}, {"status", a.status},
                                        {"starts_at", FormatTimestamp(a.starts_at)}, {"by_id", by.value}});
  e.occurred_at = deps_.clock.Now();
  return e;
}

void AppointmentService::Publish(const std::vector<storage::EventRecord>& events) {
  if (!publish_) return;
  for (const auto& e : events) publish_(e);
}

std::vector<AppointmentView> AppointmentService::List(const policy::Actor& actor, const AppointmentQuery& q) {
  FieldErrors errors;
  storage::AppointmentFilter f;
  if (q.from && !ParseDate(*q.from)) errors["from"].push_back("A date YYYY-MM-DD.");
  if (q.to && !ParseDate(*q.to)) errors["to"].push_back("A date YYYY-MM-DD.");
  if (q.status) {
    std::size_t start = 0;
    for (;;) {
      auto comma = q.status->find(',', start);
      auto s = q.status->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!domain::ParseAppointmentStatus(s)) {
        errors["status"].push_back("Statuses among requested, confirmed, cancelled, completed, no_show.");
        break;
      }
      f.statuses.push_back(s);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  auto z = LoadZone(c, actor.tenant);
  if (q.from) f.from = z.zone.EdgeToUtc(*q.from, 0);
  if (q.to) f.to = z.zone.EdgeToUtc(domain::AddDays(*q.to, 1), 0);
  f.customer = q.customer;
  f.technician = q.technician;
  std::vector<AppointmentView> out;
  for (auto& a : storage::ListAppointments(c, policy::ScopeOf(actor), f)) {
    out.push_back({a, z.zone.LocalStamp(a.starts_at)});
  }
  return out;
}

AppointmentView AppointmentService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto a = storage::FindAppointment(tx->conn(), policy::ScopeOf(actor), id);
  if (!a) throw Error::NotFound("No such appointment.");
  return View(tx->conn(), *a);
}

AppointmentView AppointmentService::Create(const policy::Actor& actor, const NewAppointment& in) {
  FieldErrors errors;
  auto starts = ParseTimestamp(in.starts_at);
  if (!starts) errors["starts_at"].push_back("An RFC 3339 timestamp, e.g. 2026-03-09T14:30:00Z.");
  CheckNotes(errors, in.notes);
  const UnixSeconds now = deps_.clock.Now();
  std::vector<storage::EventRecord> events;
  storage::AppointmentRecord a;
  Zone z{DefaultShopSettings(), *domain::ShopZone::Find("UTC")};
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    storage::LockTenantForBooking(c, actor.tenant);
    auto scope = policy::ScopeOf(actor);
    if (!storage::FindCustomer(c, scope, in.customer)) throw Error::Field("customer_id", "No such customer.");
    if (!policy::CanBookFor(actor, in.customer)) {
      throw Error::Forbidden("Your access to this customer does not allow booking visits.");
    }
    if (in.technician && !policy::CanManageAppointments(actor)) {
      throw Error::Forbidden("Only staff choose the technician.");
    }
    auto type = storage::FindServiceType(c, actor.tenant, in.service_type);
    if (!type || !type->active) errors["service_type_id"].push_back("No such active service type.");
    if (in.technician) {
      auto tech = storage::FindUser(c, actor.tenant, *in.technician);
      if (!tech || tech->role != domain::Role::kTechnician || !tech->is_active) {
        errors["technician_id"].push_back("No such technician.");
      }
    }
    std::optional<storage::UnitRecord> unit;
    if (in.unit) {
      unit = storage::FindUnit(c, scope, *in.unit);
      if (!unit || unit->customer != in.customer) errors["unit_id"].push_back("No such unit for this customer.");
    } else if (in.unit_number) {
      std::string number = *in.unit_number;
      if (number.empty() || number.size() > kMaxUnitNumber) {
        errors["unit_number"].push_back("1 to 50 characters.");
      } else if (!(unit = storage::FindUnitByNumber(c, actor.tenant, in.customer, number)) && errors.empty()) {
        storage::UnitRecord u;
        u.tenant = actor.tenant;
        u.customer = in.customer;
        u.unit_number = number;
        u.created_at = u.updated_at = now;
        u.id = storage::InsertUnit(c, u);
        unit = u;
      }
    } else {
      errors["unit_number"].push_back("Give unit_number or unit_id.");
    }
    if (!errors.empty()) throw Error::Validation(std::move(errors));
    z = LoadZone(c, actor.tenant);
    auto slot = FreeSlotAt(c, actor.tenant, z, *starts, type->duration_minutes, now, 0);
    if (!slot) throw Error::Conflict("This slot is not free (or not on the shop's grid).");
    std::optional<UserId> technician;
    if (in.technician) {
      if (std::find(slot->technicians.begin(), slot->technicians.end(), in.technician->value) ==
          slot->technicians.end()) {
        throw Error::Conflict("This technician is not free for the whole slot.");
      }
      technician = in.technician;
    } else {
      technician = UserId(slot->technicians.front());
    }
    a.tenant = actor.tenant;
    a.customer = in.customer;
    a.unit = unit->id;
    a.service_type = type->id;
    a.technician = technician;
    a.starts_at = slot->starts_at;
    a.ends_at = slot->ends_at;
    a.status = actor.IsStaff() ? "confirmed" : "requested";
    a.notes = in.notes;
    a.created_at = a.updated_at = now;
    a.id = storage::InsertAppointment(c, a);
    auto e = Event(a, "appointment.created", actor.user);
    e.id = storage::InsertEvent(c, e);
    events.push_back(e);
    if (a.status == "confirmed") {
      auto told = NotifyCustomer(c, deps_.config, a, e.id, "appointment_confirmed", ConfirmationTitle(z, a), now,
                                 actor.user);
      events.insert(events.end(), told.begin(), told.end());
    }
    tx->Commit();
  }
  Publish(events);
  return {a, z.zone.LocalStamp(a.starts_at)};
}

}  // namespace portico::services
