// Appointments, status moves and staff changes (issue 12; API.md "Appointments"): confirm, reschedule (the
// new slot re-checked in the write transaction), cancel, complete, no-show, and PATCH.
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

AppointmentView AppointmentService::Move(const policy::Actor& actor, std::int64_t id, AppointmentMove move,
                                         const std::optional<std::string>& starts_at, const std::string& reason) {
  std::optional<UnixSeconds> new_start;
  if (move == AppointmentMove::kReschedule) {
    if (!starts_at) throw Error::Field("starts_at", "Required.");
    new_start = ParseTimestamp(*starts_at);
    if (!new_start) throw Error::Field("starts_at", "An RFC 3339 timestamp, e.g. 2026-03-09T14:30:00Z.");
  }
  if (CountCharacters(reason) > kMaxNotes) throw Error::Field("reason", "At most 2000 characters.");
  const UnixSeconds now = deps_.clock.Now();
  std::vector<storage::EventRecord> events;
  storage::AppointmentRecord a;
  std::string local;
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    storage::LockTenantForBooking(c, actor.tenant);
    auto found = storage::FindAppointment(c, policy::ScopeOf(actor), id);
    if (!found) throw Error::NotFound("No such appointment.");
    a = *found;
    auto from = domain::ParseAppointmentStatus(a.status).value_or(AppointmentStatus::kCancelled);
    switch (domain::DecideAppointmentMove(from, move, policy::AppointmentActorFor(actor, a.customer), now,
                                          a.starts_at)) {
      case domain::MoveDecision::kForbidden:
        throw Error::Forbidden("You may not make this change to this appointment.");
      case domain::MoveDecision::kConflict:
        throw Error::Conflict("An appointment that is " + a.status + " cannot be changed this way.");
      case domain::MoveDecision::kAllowed:
        break;
    }
    auto z = LoadZone(c, a.tenant);
    if (new_start) {
      auto type = storage::FindServiceType(c, a.tenant, a.service_type);
      const std::int64_t duration = type ? type->duration_minutes : (a.ends_at - a.starts_at) / 60;
      auto slot = FreeSlotAt(c, a.tenant, z, *new_start, duration, now, a.id);
      if (!slot) throw Error::Conflict("This slot is not free (or not on the shop's grid).");
      bool keep = a.technician && std::find(slot->technicians.begin(), slot->technicians.end(),
                                            a.technician->value) != slot->technicians.end();
      if (!keep) a.technician = UserId(slot->technicians.front());
      a.starts_at = slot->starts_at;
      a.ends_at = slot->ends_at;
      a.reminder_sent_at.reset();  // a new time gets its own reminder
    }
    a.status = std::string(domain::ToString(domain::MoveTarget(from, move)));
    if (move == AppointmentMove::kCancel) a.cancel_reason = reason;
    a.updated_at = now;
    storage::UpdateAppointment(c, a);
    auto e = Event(a, "appointment.updated", actor.user);
    e.id = storage::InsertEvent(c, e);
    events.push_back(e);
    if (move == AppointmentMove::kConfirm) {
      auto told = NotifyCustomer(c, deps_.config, a, e.id, "appointment_confirmed", ConfirmationTitle(z, a), now,
                                 actor.user);
      events.insert(events.end(), told.begin(), told.end());
    }
    local = z.zone.LocalStamp(a.starts_at);
    tx->Commit();
  }
  Publish(events);
  return {a, local};
}

AppointmentView AppointmentService::Update(const policy::Actor& actor, std::int64_t id, const AppointmentPatch& p) {
  if (p.notes) {
    FieldErrors errors;
    CheckNotes(errors, *p.notes);
    if (!errors.empty()) throw Error::Validation(std::move(errors));
  }
  const UnixSeconds now = deps_.clock.Now();
  std::vector<storage::EventRecord> events;
  storage::AppointmentRecord a;
  std::string local;
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    storage::LockTenantForBooking(c, actor.tenant);
    auto found = storage::FindAppointment(c, policy::ScopeOf(actor), id);
    if (!found) throw Error::NotFound("No such appointment.");
    a = *found;
    if (!policy::CanManageAppointments(actor)) throw Error::Forbidden("Only staff change appointments.");
    FieldErrors errors;
    if (p.repair && *p.repair) {
      auto r = storage::FindRepair(c, policy::ScopeOf(actor), **p.repair);
      if (!r || r->customer != a.customer) errors["repair_id"].push_back("No such repair of this customer.");
    }
    if (p.technician) {
      auto tech = storage::FindUser(c, actor.tenant, *p.technician);
      if (!tech || tech->role != domain::Role::kTechnician || !tech->is_active) {
        errors["technician_id"].push_back("No such technician.");
      }
    }
    if (!errors.empty()) throw Error::Validation(std::move(errors));
    auto z = LoadZone(c, a.tenant);
    if (p.technician && a.technician != p.technician) {
      auto status = domain::ParseAppointmentStatus(a.status).value_or(AppointmentStatus::kCancelled);
      if (domain::HoldsCapacity(status)) {
        auto in = AvailabilityFor(c, a.tenant, z.settings, z.zone, z.zone.ToLocal(a.starts_at).date, 1,
                                  (a.ends_at - a.starts_at) / 60, 0, a.id);
        in.hours.fill({{0, 1440}});  // the slot is already the shop's; only the technician is checked
        in.slot_minutes = 1;
        auto slot = domain::FindFreeSlot(in, a.starts_at);
        if (!slot || std::find(slot->technicians.begin(), slot->technicians.end(), p.technician->value) ==
                         slot->technicians.end()) {
          throw Error::Conflict("This technician is not free for the whole appointment.");
        }
      }
      a.technician = p.technician;
    }
    if (p.repair) a.repair = *p.repair;
    if (p.notes) a.notes = *p.notes;
    a.updated_at = now;
    storage::UpdateAppointment(c, a);
    auto e = Event(a, "appointment.updated", actor.user);
    e.id = storage::InsertEvent(c, e);
    events.push_back(e);
    local = z.zone.LocalStamp(a.starts_at);
    tx->Commit();
  }
  Publish(events);
  return {a, local};
}

}  // namespace portico::services
