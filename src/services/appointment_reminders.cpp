// Appointments, what runs beside the requests (issue 12): the technicians' iCalendar feeds with hashed feed
// tokens, and the reminder job (exactly once: a conditional update claims each reminder).
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
