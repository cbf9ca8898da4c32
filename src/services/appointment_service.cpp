#include "services/appointment_service.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <set>

#include "core/crypto.h"
#include "core/error.h"
#include "policy/policy.h"
#include "policy/shop_policy.h"
#include "services/ical_feed.h"
#include "services/shop_service.h"
#include "services/support_service.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/notifications_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::AppointmentMove;
using domain::AppointmentStatus;

namespace {

constexpr std::size_t kMaxNotes = 2000;
constexpr std::size_t kMaxUnitNumber = 50;
constexpr UnixSeconds kReminderLead = 24 * 3600;

struct Zone {
  ShopSettings settings;
  domain::ShopZone zone;
};

Zone LoadZone(storage::Connection& c, TenantId tenant) {
  auto settings = LoadShopSettings(c, tenant);
  auto zone = domain::ShopZone::Find(settings.time_zone);
  if (!zone) throw Error::Internal("stored time zone unknown: " + settings.time_zone);
  return {settings, *zone};
}

/// The free slot at `starts_at` for a service of `duration` minutes, re-read inside the transaction.
std::optional<domain::Slot> FreeSlotAt(storage::Connection& c, TenantId tenant, const Zone& z, UnixSeconds starts_at,
                                       std::int64_t duration, UnixSeconds now, std::int64_t except_id) {
  const std::string day = z.zone.ToLocal(starts_at).date;
  auto in = AvailabilityFor(c, tenant, z.settings, z.zone, day, 1, duration, now, except_id);
  return domain::FindFreeSlot(in, starts_at);
}

void CheckNotes(FieldErrors& errors, const std::string& notes) {
  if (CountCharacters(notes) > kMaxNotes) errors["notes"].push_back("At most 2000 characters.");
}

/// In-app notifications (and e-mail, per the customer's preferences) to every user of the appointment's
/// customer, each with its notification.created event. Returns the events to publish.
std::vector<storage::EventRecord> NotifyCustomer(storage::Connection& c, const Config& config,
                                                 const storage::AppointmentRecord& a, std::int64_t event_id,
                                                 const std::string& type, const std::string& title, UnixSeconds now,
                                                 std::optional<UserId> except) {
  std::vector<storage::EventRecord> out;
  const bool email = !config.smtp_host.empty() && storage::CustomerWantsEmail(c, a.customer);
  for (auto user : storage::CustomerUsers(c, a.customer, std::nullopt)) {
    if (except && *except == user) continue;
    storage::NotificationRecord n;
    n.tenant = a.tenant;
    n.user = user;
    n.event_id = event_id;
    n.type = type;
    n.repair = a.repair;
    n.title = title;
    n.created_at = now;
    auto nid = storage::InsertNotification(c, n, email);
    if (!nid) continue;
    storage::EventRecord ev;
    ev.tenant = a.tenant;
    ev.type = "notification.created";
    ev.repair = a.repair;
    ev.user = user;
    ev.data = json::serialize(json::object{{"notification_id", *nid}, {"type", type}, {"title", title},
                                           {"appointment_id", a.id}});
    ev.occurred_at = now;
    ev.id = storage::InsertEvent(c, ev);
    out.push_back(ev);
  }
  return out;
}

std::string ConfirmationTitle(const Zone& z, const storage::AppointmentRecord& a) {
  return "Your visit on " + z.zone.LocalStamp(a.starts_at).replace(10, 1, " at ") + " is confirmed";
}

}  // namespace

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

std::string AppointmentService::CreateFeedToken(const policy::Actor& actor) {
  const std::string token = RandomToken(32);
  auto tx = deps_.db.Write();
  storage::SetCalendarToken(tx->conn(), actor.tenant, actor.user, HashToken(token), deps_.clock.Now());
  tx->Commit();
  std::string base = deps_.config.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/technicians/" + std::to_string(actor.user.value) + "/calendar.ics?token=" + token;
}

void AppointmentService::RevokeFeedToken(const policy::Actor& actor) {
  auto tx = deps_.db.Write();
  if (!storage::DeleteCalendarToken(tx->conn(), actor.user)) throw Error::NotFound("You have no calendar feed.");
  tx->Commit();
}

std::string AppointmentService::Feed(std::int64_t technician, const std::string& token) {
  if (token.empty() || token.size() > 200) throw Error::NotFound("No such calendar feed.");
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  auto owner = storage::FindCalendarToken(c, HashToken(token));
  if (!owner) throw Error::NotFound("No such calendar feed.");
  auto user = storage::FindUser(c, owner->first, owner->second);
  auto tech = storage::FindUser(c, owner->first, UserId(technician));
  if (!user || !tech || tech->role != domain::Role::kTechnician) throw Error::NotFound("No such calendar feed.");
  policy::Actor actor;
  actor.user = user->id;
  actor.tenant = user->tenant;
  actor.role = user->role;
  if (!policy::CanReadCalendarFeed(actor, tech->id)) throw Error::NotFound("No such calendar feed.");
  storage::AppointmentFilter f;
  f.technician = tech->id;
  f.statuses = {"confirmed"};
  f.from = deps_.clock.Now() - 90 * 86400;
  policy::CustomerScope scope;
  scope.tenant = owner->first;
  scope.all_of_tenant = true;
  std::vector<FeedEvent> events;
  for (const auto& a : storage::ListAppointments(c, scope, f)) {
    FeedEvent e;
    e.uid = "appointment-" + std::to_string(a.id) + "@portico";
    e.starts_at = a.starts_at;
    e.ends_at = a.ends_at;
    e.updated_at = a.updated_at;
    auto type = storage::FindServiceType(c, a.tenant, a.service_type);
    auto unit = storage::FindUnit(c, scope, a.unit);
    e.summary = (type ? type->name : std::string("Appointment")) + (unit ? " - unit " + unit->unit_number : "");
    e.description = a.notes;
    events.push_back(std::move(e));
  }
  return CalendarText(tech->name, events, deps_.clock.Now());
}

std::int64_t AppointmentService::SendDueReminders() {
  const UnixSeconds now = deps_.clock.Now();
  {
    auto rx = deps_.db.Read();
    if (storage::DueReminders(rx->conn(), now, now + kReminderLead, 1).empty()) return 0;
  }
  std::vector<storage::EventRecord> events;
  std::int64_t n = 0;
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    for (const auto& a : storage::DueReminders(c, now, now + kReminderLead, 100)) {
      // The claim is a conditional update: one transaction, on one instance, ever wins it.
      if (!storage::ClaimReminder(c, a.id, now)) continue;
      auto z = LoadZone(c, a.tenant);
      auto e = Event(a, "appointment.updated", UserId(0));
      e.data = json::serialize(json::object{{"appointment_id", a.id}, {"status", a.status},
                                            {"starts_at", FormatTimestamp(a.starts_at)}, {"reminder", true}});
      e.id = storage::InsertEvent(c, e);
      events.push_back(e);
      auto told = NotifyCustomer(c, deps_.config, a, e.id, "appointment_reminder",
                                 "Reminder: your visit on " + z.zone.LocalStamp(a.starts_at).replace(10, 1, " at "),
                                 now, std::nullopt);
      events.insert(events.end(), told.begin(), told.end());
      ++n;
    }
    if (n == 0) return 0;
    tx->Commit();
  }
  Publish(events);
  return n;
}

ReminderWorker::~ReminderWorker() { Stop(); }

void ReminderWorker::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
        if (stopping_) return;
      }
      try {
        service_.SendDueReminders();
      } catch (const std::exception& e) {
        spdlog::warn("reminder worker: {}", e.what());
      }
    }
  });
}

void ReminderWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace portico::services
