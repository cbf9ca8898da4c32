// Units, repairs and what hangs off a repair (approval, log, materials, notes), technician schedules,
// the event log and the dashboard figures. Every read of units and repairs is limited by a CustomerScope.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page.h"
#include "policy/policy.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

// ---- units ----
std::optional<UnitRecord> FindUnit(Connection& c, const policy::CustomerScope& scope, UnitId id);
std::optional<UnitRecord> FindUnitByNumber(Connection& c, TenantId tenant, CustomerId customer,
                                           const std::string& unit_number);
/// Units in scope, by customer then unit number; `customer` and `q` (unit number or description) filter.
PageOf<UnitRecord> ListUnits(Connection& c, const policy::CustomerScope& scope, std::optional<CustomerId> customer,
                             const std::optional<std::string>& q, const PageRequest& page);
/// Throws Error(kConflict) when the customer already has this unit number.
UnitId InsertUnit(Connection& c, const UnitRecord& unit);
/// Sets the count (replacement: 0, with replaced_at) and updated_at.
void SetUnitRepairCount(Connection& c, UnitId unit, std::int64_t count, std::optional<UnixSeconds> replaced_at,
                        UnixSeconds now);
/// Adds one to the unit's repair count (and sets updated_at) where it is, whatever another writer did since it
/// was read; returns the new count. Throws Error(kInternal) if the unit does not exist.
std::int64_t IncrementUnitRepairCount(Connection& c, UnitId unit, UnixSeconds now);

// ---- repairs ----
struct RepairFilter {
  std::vector<std::string> statuses;  // empty: any
  std::optional<CustomerId> customer;
  std::optional<UnitId> unit;
  std::optional<UserId> technician;
  std::optional<std::string> q;       // full-text over description, unit number, damage type
  std::string ordering = "-created_at";  // one of RepairOrderings(), optionally with '-'
};

/// The fields `ordering` may name.
const std::vector<std::string>& RepairOrderings();

std::optional<RepairRecord> FindRepair(Connection& c, const policy::CustomerScope& scope, RepairId id);
/// The filter's conditions on repairs `r` (status, customer, unit, technician, `q` full text), each
/// " AND ...", their values bound into `p`; `search` (optional) says whether `q` added a full-text
/// condition. The repair list and the CSV export (issue 14) both use it, so they cannot drift.
std::string RepairFilterSql(Connection& c, std::vector<Value>& p, const RepairFilter& f, bool* search = nullptr);
PageOf<RepairRecord> ListRepairs(Connection& c, const policy::CustomerScope& scope, const RepairFilter& filter,
                                 const PageRequest& page);
/// Inserts a repair (version 1) and its search entry; returns its id.
RepairId InsertRepair(Connection& c, const RepairRecord& r);
/// Writes every mutable field of `r` if its version is still `r.version`; the stored version becomes
/// r.version + 1. False when someone else changed it first. `search_changed`: description or damage type
/// changed, so the full-text entry is rewritten (status moves leave it alone).
bool UpdateRepair(Connection& c, const RepairRecord& r, UnixSeconds now, bool search_changed = false);
/// The row as a successful UpdateRepair(`written`, `now`) leaves it, without reading it back: version + 1,
/// updated_at = now, the board rank cleared when the status changed from `stored_status` (the update's SQL).
RepairRecord AsUpdated(RepairRecord written, const std::string& stored_status, UnixSeconds now);

/// The technician assigned to a repair (no scope: for the notification worker).
std::optional<UserId> RepairTechnician(Connection& c, RepairId id);
/// The tenant's customers with the most repairs, largest first (the demo's picks).
std::vector<CustomerId> LargestCustomers(Connection& c, TenantId tenant, std::int64_t limit);

void InsertApproval(Connection& c, RepairId repair, bool approved, UserId by, UnixSeconds at, const std::string& notes);
void InsertLog(Connection& c, TenantId tenant, RepairId repair, const std::optional<std::string>& previous,
               const std::string& next, std::optional<UserId> by, const std::string& notes, UnixSeconds at);
std::vector<LogEntry> ListLog(Connection& c, RepairId repair);

std::int64_t InsertMaterial(Connection& c, TenantId tenant, const MaterialRecord& m, UserId by);
std::vector<MaterialRecord> ListMaterials(Connection& c, RepairId repair);
bool DeleteMaterial(Connection& c, RepairId repair, std::int64_t material_id);
std::int64_t SumMaterials(Connection& c, RepairId repair);

std::int64_t InsertNote(Connection& c, TenantId tenant, const NoteRecord& n);
/// Notes oldest first; internal ones only when `include_internal`.
std::vector<NoteRecord> ListNotes(Connection& c, RepairId repair, bool include_internal);

// ---- schedules ----
/// Throws Error(kConflict) for the same technician, date and start time.
std::int64_t InsertSchedule(Connection& c, TenantId tenant, const ScheduleEntry& e, UnixSeconds now);
std::vector<ScheduleEntry> ListSchedule(Connection& c, TenantId tenant, UserId technician,
                                        const std::optional<std::string>& from, const std::optional<std::string>& to);

// ---- events ----
/// Appends an event; returns its id. On PostgreSQL the insert also sends NOTIFY portico_events (delivered
/// at commit) with the payload "id,tenant,customer,internal,user,all_customers,wakes_workers" (empty fields
/// for NULL, booleans 0/1).
std::int64_t InsertEvent(Connection& c, const EventRecord& e);
/// Whether a background worker (notifications, webhooks) acts on events of this type: every type but
/// `notification.created`, which only users' live streams read (no webhook sends it, and the notification
/// worker makes it, from other events). A commit of only such events wakes no worker.
bool EventWakesWorkers(std::string_view type);
/// An events row read as `SELECT id, tenant_id, type, repair_id, customer_id, internal, data, occurred_at,
/// user_id, all_customers` (the order every event read uses).
EventRecord ReadEvent(const Row& r);
/// Events after `after_id` that `scope` may see (customer scopes: only their customers' events and
/// never internal ones; events addressed to one user: only that user), oldest first, at most `limit`.
/// The SQL form of policy::MaySeeEvent (policy/event_visibility.h): the two must stay the same rule.
std::vector<EventRecord> ListEventsAfter(Connection& c, const policy::CustomerScope& scope, UserId viewer,
                                         std::int64_t after_id, std::int64_t limit);
/// Events of every tenant after `after_id` (the notification worker), oldest first.
std::vector<EventRecord> ListAllEventsAfter(Connection& c, std::int64_t after_id, std::int64_t limit);
/// The events after a worker's cursor (worker_cursors; 0 when it has none), oldest first, at most `limit`:
/// GetCursor and ListAllEventsAfter in one statement.
std::vector<EventRecord> ListEventsAfterCursor(Connection& c, const std::string& cursor, std::int64_t limit);
std::int64_t LastEventId(Connection& c, TenantId tenant);
/// The newest event id of every tenant (0 without events).
std::int64_t LastEventIdOfAll(Connection& c);
/// Deletes events older than `before` whose id is at most `up_to_id` (never ones a worker has yet to
/// read), at most `limit` per call; returns how many.
std::int64_t PruneEvents(Connection& c, UnixSeconds before, std::int64_t up_to_id, std::int64_t limit);

// ---- figures ----
struct UnitFigure {
  UnitId unit;
  std::string unit_number;
  std::int64_t repair_count = 0;
  std::int64_t total_cost_cents = 0;
};
struct PeriodFigure {
  std::string period;  // YYYY-MM
  std::int64_t count = 0;
  std::int64_t completed = 0;
  std::int64_t cost_cents = 0;
};
std::vector<UnitFigure> UnitFigures(Connection& c, const policy::CustomerScope& scope,
                                    std::optional<CustomerId> customer);
std::vector<PeriodFigure> MonthFigures(Connection& c, const policy::CustomerScope& scope,
                                       std::optional<CustomerId> customer, const std::optional<std::string>& from,
                                       const std::optional<std::string>& to);
/// The first day ('YYYY-MM-DD') of the oldest of the `months` most recent months that have repairs in
/// scope (by repair_date, on or before `to` when given); nullopt when there are none. Months without
/// repairs do not count, so a history that ended years ago still yields its last `months` months.
std::optional<std::string> RecentMonthsStart(Connection& c, const policy::CustomerScope& scope,
                                             std::optional<CustomerId> customer, int months,
                                             const std::optional<std::string>& to);
std::vector<std::pair<std::string, std::int64_t>> StatusCounts(Connection& c, const policy::CustomerScope& scope);
struct ShopFigure {
  std::string shop;  // the imported technician_ref
  std::int64_t count = 0;
  std::int64_t completed = 0;
  std::int64_t cost_cents = 0;
};
/// Repairs, completions and completed cost per imported shop (technician_ref) in scope, between `from`
/// and `to` (repair_date, inclusive); repairs without one are left out. Most repairs first, at most `limit`.
std::vector<ShopFigure> ShopFigures(Connection& c, const policy::CustomerScope& scope,
                                    std::optional<CustomerId> customer, const std::optional<std::string>& from,
                                    const std::optional<std::string>& to, int limit);
/// Completed repairs per technician of the tenant.
std::vector<std::pair<UserId, std::int64_t>> CompletedPerTechnician(Connection& c, TenantId tenant);

/// Turns free text into a safe FTS5 query: each word quoted, prefix-matched, all required.
std::string FtsQuery(const std::string& text);
/// The PostgreSQL form of FtsQuery: "'word':* & 'other':*" for to_tsquery('simple', ...); "" when no word.
std::string TsQuery(const std::string& text);

}  // namespace portico::storage
