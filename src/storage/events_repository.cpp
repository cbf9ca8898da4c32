// The event log (declared in repairs_repository.h): append (on PostgreSQL with a NOTIFY to every instance),
// read after a position within the caller's scope, prune.
#include "storage/repairs_repository.h"
#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

constexpr Sql kInsertEvent{"insert_event",
                           "INSERT INTO events (tenant_id, type, repair_id, customer_id, internal, data, occurred_at, "
                           "user_id, all_customers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"};
// PostgreSQL: the insert also notifies every instance (delivered at commit; payload
// "id,tenant,customer,internal,user,all_customers,wakes_workers" with empty fields for NULL; the last one is
// $10, EventWakesWorkers); see ParseEventNotice in cli/runtime.cpp.
constexpr Sql kInsertEventPg{
    "insert_event",
    "WITH e AS (INSERT INTO events (tenant_id, type, repair_id, customer_id, internal, data, occurred_at, user_id, "
    "all_customers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, tenant_id, customer_id, internal, user_id, "
    "all_customers) "
    "SELECT id, pg_notify('portico_events', id || ',' || tenant_id || ',' || COALESCE(customer_id::text, '') || ',' || "
    "internal || ',' || COALESCE(user_id::text, '') || ',' || all_customers || ',' || $10::int) FROM e",
    PlanChoice::kEither};
constexpr Sql kLastEvent{"last_event", "SELECT COALESCE(MAX(id), 0) FROM events WHERE tenant_id = $1"};
constexpr Sql kLastEventOfAll{"last_event_of_all", "SELECT COALESCE(MAX(id), 0) FROM events"};

}  // namespace

bool EventWakesWorkers(std::string_view type) { return type != "notification.created"; }

std::int64_t InsertEvent(Connection& c, const EventRecord& e) {
  std::vector<Value> p{e.tenant.value,
                       e.type,
                       e.repair ? Value(e.repair->value) : Value(nullptr),
                       e.customer ? Value(e.customer->value) : Value(nullptr),
                       std::int64_t{e.internal},
                       e.data,
                       e.occurred_at,
                       e.user ? Value(e.user->value) : Value(nullptr),
                       std::int64_t{e.all_customers}};
  if (c.dialect() == Dialect::kPostgres) {
    p.emplace_back(std::int64_t{EventWakesWorkers(e.type)});
    return c.QueryV(kInsertEventPg, p).front().Int(0);
  }
  return c.QueryV(kInsertEvent, p).front().Int(0);
}

EventRecord ReadEvent(const Row& r) {
  EventRecord e;
  e.id = r.Int(0);
  e.tenant = TenantId(r.Int(1));
  e.type = r.Text(2);
  if (auto id = r.OptInt(3)) e.repair = RepairId(*id);
  if (auto id = r.OptInt(4)) e.customer = CustomerId(*id);
  e.internal = r.Bool(5);
  e.data = r.Text(6);
  e.occurred_at = r.Int(7);
  if (auto id = r.OptInt(8)) e.user = UserId(*id);
  e.all_customers = r.Bool(9);
  return e;
}
namespace {
constexpr Sql kAllEventsAfter{"all_events_after",
                              "SELECT id, tenant_id, type, repair_id, customer_id, internal, data, occurred_at, user_id, "
                              "all_customers "
                              "FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                              // The primary key's order, whatever the values; left in plan_cache_mode auto
                              // PostgreSQL planned it anew at every call (0.1 ms, 5x its run time).
                              PlanChoice::kGeneric};
}  // namespace

std::vector<EventRecord> ListEventsAfterCursor(Connection& c, const std::string& cursor, std::int64_t limit) {
  static constexpr Sql kAfterCursor{
      "events_after_cursor",
      "SELECT id, tenant_id, type, repair_id, customer_id, internal, data, occurred_at, user_id, all_customers "
      "FROM events WHERE id > COALESCE((SELECT last_event_id FROM worker_cursors WHERE name = $1), 0) "
      "ORDER BY id LIMIT $2",
      PlanChoice::kGeneric};  // as kAllEventsAfter
  std::vector<EventRecord> out;
  for (const auto& r : c.Query(kAfterCursor, {cursor, limit})) out.push_back(ReadEvent(r));
  return out;
}

std::vector<EventRecord> ListAllEventsAfter(Connection& c, std::int64_t after_id, std::int64_t limit) {
  std::vector<EventRecord> out;
  for (const auto& r : c.Query(kAllEventsAfter, {after_id, limit})) out.push_back(ReadEvent(r));
  return out;
}

std::vector<EventRecord> ListEventsAfter(Connection& c, const policy::CustomerScope& scope, UserId viewer,
                                         std::int64_t after_id, std::int64_t limit) {
  std::vector<Value> p;
  BindScope(p, scope);
  // Events addressed to one user reach only that user; the others follow the row scope (an event for
  // every customer reaches customer users who have at least one customer). policy::MaySeeEvent is the
  // same rule in memory (services/event_ring.h); tests/unit/event_visibility_test.cpp holds both to it.
  std::string visible = scope.all_of_tenant ? std::string("user_id IS NULL")
                                            : "(user_id IS NULL AND internal = 0 AND (" +
                                                  std::string(scope.customers.empty() ? "" : "all_customers = 1 OR ") +
                                                  "(" + ScopeWhere(scope, "tenant_id", "customer_id") + ")))";
  p.emplace_back(viewer.value);
  std::string where = "WHERE tenant_id = $1 AND (" + visible + " OR user_id = " + Param(p) + ")";
  p.emplace_back(after_id);
  where += " AND id > " + Param(p);
  p.emplace_back(limit);
  const Sql& sql = ComposedSql("events_after",
                               "SELECT id, tenant_id, type, repair_id, customer_id, internal, data, occurred_at, user_id, "
                              "all_customers "
                               "FROM events " + where + " ORDER BY id LIMIT " + Param(p));
  std::vector<EventRecord> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back(ReadEvent(r));
  return out;
}

std::int64_t PruneEvents(Connection& c, UnixSeconds before, std::int64_t up_to_id, std::int64_t limit) {
  static constexpr Sql kPrune{"prune_events",
                              "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE occurred_at < $1 "
                              "AND id <= $2 ORDER BY id LIMIT $3)"};
  return c.Execute(kPrune, {before, up_to_id, limit});
}

std::int64_t LastEventId(Connection& c, TenantId tenant) { return c.Query(kLastEvent, {tenant.value}).front().Int(0); }

std::int64_t LastEventIdOfAll(Connection& c) { return c.Query(kLastEventOfAll, {}).front().Int(0); }

}  // namespace portico::storage
