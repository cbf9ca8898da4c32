// Appointments (issue 12; API.md "Appointments"): booking with the slot re-checked inside the write
// transaction (two customers racing for the last bay get one 201 and one 409), the status moves of
// domain/appointment.h, the technicians' iCalendar feeds (libical) with hashed feed tokens, and the
// reminder job (exactly once: a conditional update claims each reminder).
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/appointment.h"
#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/shop_repository.h"

namespace portico::services {

struct NewAppointment {
  CustomerId customer;
  std::optional<UnitId> unit;
  std::optional<std::string> unit_number;
  std::int64_t service_type = 0;
  std::string starts_at;  // RFC 3339
  std::optional<UserId> technician;
  std::string notes;
};

struct AppointmentPatch {
  std::optional<std::optional<RepairId>> repair;  // inner nullopt: unlink
  std::optional<UserId> technician;
  std::optional<std::string> notes;
};

struct AppointmentQuery {
  std::optional<std::string> from, to;  // local dates
  std::optional<CustomerId> customer;
  std::optional<UserId> technician;
  std::optional<std::string> status;  // comma-separated
};

/// An appointment with its local start in the shop's zone.
struct AppointmentView {
  storage::AppointmentRecord record;
  std::string local_start;
};

class AppointmentService {
 public:
  explicit AppointmentService(Deps deps) : deps_(deps) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  std::vector<AppointmentView> List(const policy::Actor& actor, const AppointmentQuery& q);
  AppointmentView Get(const policy::Actor& actor, std::int64_t id);
  /// 400 for invalid fields or ids the caller cannot see; 403 for viewers and for a customer naming a
  /// technician; 409 when the slot is not free (re-checked in the write transaction).
  AppointmentView Create(const policy::Actor& actor, const NewAppointment& in);
  /// One move of domain/appointment.h. `starts_at` for reschedule, `reason` for cancel.
  AppointmentView Move(const policy::Actor& actor, std::int64_t id, domain::AppointmentMove move,
                       const std::optional<std::string>& starts_at, const std::string& reason);
  /// Staff: link a repair of the same customer, change the technician (must be free), notes.
  AppointmentView Update(const policy::Actor& actor, std::int64_t id, const AppointmentPatch& patch);

  /// A new feed token for the caller (replacing any earlier one); returns the feed's URL (shown once).
  std::string CreateFeedToken(const policy::Actor& actor);
  /// 404 when the caller has none.
  void RevokeFeedToken(const policy::Actor& actor);
  /// The iCalendar text of technician `technician`'s confirmed appointments; 404 for an unknown or
  /// revoked token, or a token whose user may not read that feed.
  std::string Feed(std::int64_t technician, const std::string& token);

  /// The reminder job's step: every confirmed appointment starting within 24 hours whose reminder is not
  /// sent gets one notification (and e-mail) per customer user, exactly once. Returns how many appointments.
  std::int64_t SendDueReminders();

 private:
  AppointmentView View(storage::Connection& c, const storage::AppointmentRecord& a);
  storage::EventRecord Event(const storage::AppointmentRecord& a, const char* type, UserId by);
  void Publish(const std::vector<storage::EventRecord>& events);
  Deps deps_;
  EventPublisher publish_;
};

/// Runs AppointmentService::SendDueReminders every few seconds on its own thread.
class ReminderWorker {
 public:
  explicit ReminderWorker(AppointmentService& service) : service_(service) {}
  ~ReminderWorker();
  void Start();
  void Stop();

 private:
  AppointmentService& service_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portico::services
