// Shop operations (issue 12): shop settings, service types, appointments and calendar-feed tokens.
// Every query is limited to one tenant; appointment reads also to the caller's customers (CustomerScope).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/availability.h"
#include "policy/policy.h"
#include "storage/db.h"

namespace portico::storage {

struct ShopSettingsRecord {
  TenantId tenant;
  std::string time_zone = "UTC";
  std::int64_t bays = 1;
  std::string opening_hours;  // JSON text {"mon": [["08:00","17:00"]], ...}; "" = the default
  std::int64_t slot_minutes = 30;
  UnixSeconds updated_at = 0;
};

struct ServiceTypeRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string name;
  std::int64_t duration_minutes = 30;
  bool active = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct AppointmentRecord {
  std::int64_t id = 0;
  TenantId tenant;
  CustomerId customer;
  UnitId unit;
  std::int64_t service_type = 0;
  std::optional<RepairId> repair;
  std::optional<UserId> technician;
  UnixSeconds starts_at = 0;
  UnixSeconds ends_at = 0;
  std::string status;  // requested | confirmed | cancelled | completed | no_show
  std::string notes;
  std::string cancel_reason;
  std::optional<UnixSeconds> reminder_sent_at;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct AppointmentFilter {
  std::optional<UnixSeconds> from, to;  // starts_at in [from, to)
  std::optional<CustomerId> customer;
  std::optional<UserId> technician;
  std::vector<std::string> statuses;  // empty: any
};

// ---- settings ----
std::optional<ShopSettingsRecord> FindShopSettings(Connection& c, TenantId tenant);
void UpsertShopSettings(Connection& c, const ShopSettingsRecord& s);
/// Serialises bookings of one tenant across instances (PostgreSQL: a row lock on the tenant inside the
/// write transaction; SQLite has a single writer already).
void LockTenantForBooking(Connection& c, TenantId tenant);

// ---- service types ----
std::vector<ServiceTypeRecord> ListServiceTypes(Connection& c, TenantId tenant, bool active_only);
std::optional<ServiceTypeRecord> FindServiceType(Connection& c, TenantId tenant, std::int64_t id);
std::int64_t InsertServiceType(Connection& c, const ServiceTypeRecord& s);
void UpdateServiceType(Connection& c, const ServiceTypeRecord& s);

// ---- appointments ----
/// Appointments in `scope` matching `filter`, by start time (at most 1000).
std::vector<AppointmentRecord> ListAppointments(Connection& c, const policy::CustomerScope& scope,
                                                const AppointmentFilter& filter);
std::optional<AppointmentRecord> FindAppointment(Connection& c, const policy::CustomerScope& scope, std::int64_t id);
std::int64_t InsertAppointment(Connection& c, const AppointmentRecord& a);
void UpdateAppointment(Connection& c, const AppointmentRecord& a);
/// The tenant's requested and confirmed appointments overlapping [from, to), except `except_id`.
std::vector<domain::Booking> HoldingAppointments(Connection& c, TenantId tenant, UnixSeconds from, UnixSeconds to,
                                                 std::int64_t except_id);
/// The tenant's schedule entries on local dates [from_date, to_date] (YYYY-MM-DD), of active technicians.
std::vector<domain::ScheduleEntry> SchedulesBetween(Connection& c, TenantId tenant, const std::string& from_date,
                                                    const std::string& to_date);
/// Confirmed appointments starting in (now, until] whose reminder has not been sent (any tenant).
std::vector<AppointmentRecord> DueReminders(Connection& c, UnixSeconds now, UnixSeconds until, std::int64_t limit);
/// Claims an appointment's reminder: true for exactly one caller, ever (a conditional update).
bool ClaimReminder(Connection& c, std::int64_t id, UnixSeconds now);

// ---- calendar-feed tokens ----
/// Sets (replacing any earlier one) the feed token hash of `user`.
void SetCalendarToken(Connection& c, TenantId tenant, UserId user, const std::string& token_hash, UnixSeconds now);
/// Removes it; false when there was none.
bool DeleteCalendarToken(Connection& c, UserId user);
/// The tenant and user of a feed token hash.
std::optional<std::pair<TenantId, UserId>> FindCalendarToken(Connection& c, const std::string& token_hash);

// ---- board order ----
/// " ORDER BY ..." of a board column: cards not placed yet first (a new card, or one just moved in from
/// another column; among them the board's old order: most urgent, then oldest), then the placed ones by
/// rank in byte order (PostgreSQL COLLATE "C", SQLite BINARY). The repairs alias is `r`.
std::string BoardOrderBy(Dialect dialect);
struct BoardCard {
  RepairId id;
  std::optional<std::string> rank;
};
/// The cards of one column (status) of a tenant in board order (at most 100,000).
std::vector<BoardCard> BoardColumn(Connection& c, TenantId tenant, const std::string& status);
/// Sets a repair's rank (and updated_at) without touching its version.
void SetBoardRank(Connection& c, TenantId tenant, RepairId id, const std::string& rank, UnixSeconds now);

}  // namespace portico::storage
