// Units and technician schedules (declared in repairs_repository.h). Every read of units is limited by a
// CustomerScope.
#include "core/error.h"
#include "storage/repairs_repository.h"
#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

constexpr const char* kUnitColumns =
    "SELECT u.id, u.tenant_id, u.customer_id, u.unit_number, u.description, u.repair_count, u.replaced_at, "
    "u.created_at, u.updated_at FROM units u ";

UnitRecord ReadUnit(const Row& r) {
  UnitRecord u;
  u.id = UnitId(r.Int(0));
  u.tenant = TenantId(r.Int(1));
  u.customer = CustomerId(r.Int(2));
  u.unit_number = r.Text(3);
  u.description = r.Text(4);
  u.repair_count = r.Int(5);
  u.replaced_at = r.OptInt(6);
  u.created_at = r.Int(7);
  u.updated_at = r.Int(8);
  return u;
}

constexpr Sql kFindUnitByNumber{"find_unit_by_number",
                                "SELECT u.id, u.tenant_id, u.customer_id, u.unit_number, u.description, u.repair_count, "
                                "u.replaced_at, u.created_at, u.updated_at FROM units u "
                                "WHERE u.tenant_id = $1 AND u.customer_id = $2 AND u.unit_number = $3"};
constexpr Sql kInsertUnit{"insert_unit",
                          "INSERT INTO units (tenant_id, customer_id, unit_number, description, repair_count, created_at, "
                          "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"};
constexpr Sql kSetUnitCount{"set_unit_count",
                            "UPDATE units SET repair_count = $2, replaced_at = COALESCE($3, replaced_at), "
                            "updated_at = $4 WHERE id = $1"};
constexpr Sql kIncrementUnitCount{"increment_unit_count",
                                  "UPDATE units SET repair_count = repair_count + 1, updated_at = $2 WHERE id = $1 "
                                  "RETURNING repair_count",
                                  PlanChoice::kEither};

constexpr Sql kInsertSchedule{"insert_schedule",
                              "INSERT INTO schedules (tenant_id, technician_id, date, start_minute, end_minute, "
                              "is_available, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"};
constexpr Sql kListSchedule{"list_schedule",
                            "SELECT id, technician_id, date, start_minute, end_minute, is_available, notes FROM schedules "
                            "WHERE tenant_id = $1 AND technician_id = $2 AND (CAST($3 AS TEXT) IS NULL OR date >= $3) "
                            "AND (CAST($4 AS TEXT) IS NULL OR date <= $4) ORDER BY date, start_minute LIMIT 1000"};

}  // namespace

std::optional<UnitRecord> FindUnit(Connection& c, const policy::CustomerScope& scope, UnitId id) {
  std::vector<Value> p;
  BindScope(p, scope);
  p.emplace_back(id.value);
  const Sql& sql = ComposedSql("find_unit", std::string(kUnitColumns) + "WHERE " +
                                                ScopeWhere(scope, "u.tenant_id", "u.customer_id") + " AND u.id = " +
                                                Param(p));
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  return ReadUnit(rows.front());
}

std::optional<UnitRecord> FindUnitByNumber(Connection& c, TenantId tenant, CustomerId customer,
                                           const std::string& unit_number) {
  auto row = c.QueryOne(kFindUnitByNumber, {tenant.value, customer.value, unit_number});
  if (!row) return std::nullopt;
  return ReadUnit(*row);
}

PageOf<UnitRecord> ListUnits(Connection& c, const policy::CustomerScope& scope, std::optional<CustomerId> customer,
                             const std::optional<std::string>& q, const PageRequest& page) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "u.tenant_id", "u.customer_id");
  if (customer) {
    p.emplace_back(customer->value);
    where += " AND u.customer_id = " + Param(p);
  }
  if (q && !q->empty()) {
    p.emplace_back("%" + *q + "%");
    const char* like = c.dialect() == Dialect::kPostgres ? " ILIKE " : " LIKE ";  // SQLite's LIKE ignores ASCII case
    where += " AND (u.unit_number" + std::string(like) + Param(p) + " OR u.description" + like + Param(p) + ")";
  }
  PageOf<UnitRecord> out;
  out.count = c.QueryV(ComposedSql("count_units", "SELECT COUNT(*) FROM units u " + where), p).front().Int(0);
  p.emplace_back(page.page_size);
  std::string limit = " LIMIT " + Param(p);
  p.emplace_back(page.Offset());
  limit += " OFFSET " + Param(p);
  const Sql& sql = ComposedSql("list_units", kUnitColumns + where + " ORDER BY u.customer_id, u.unit_number, u.id" + limit);
  for (const auto& r : c.QueryV(sql, p)) out.results.push_back(ReadUnit(r));
  return out;
}

UnitId InsertUnit(Connection& c, const UnitRecord& u) {
  try {
    return UnitId(c.QueryOne(kInsertUnit, {u.tenant.value, u.customer.value, u.unit_number, u.description,
                                           u.repair_count, u.created_at})
                      ->Int(0));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) {
      throw Error::Conflict("This customer already has a unit numbered '" + u.unit_number + "'.");
    }
    throw;
  }
}

void SetUnitRepairCount(Connection& c, UnitId unit, std::int64_t count, std::optional<UnixSeconds> replaced_at,
                        UnixSeconds now) {
  c.Execute(kSetUnitCount, {unit.value, count, Nullable(replaced_at), now});
}

std::int64_t IncrementUnitRepairCount(Connection& c, UnitId unit, UnixSeconds now) {
  auto row = c.QueryOne(kIncrementUnitCount, {unit.value, now});
  if (!row) throw Error::Internal("increment_unit_count: no unit " + std::to_string(unit.value));
  return row->Int(0);
}

std::int64_t InsertSchedule(Connection& c, TenantId tenant, const ScheduleEntry& e, UnixSeconds now) {
  try {
    return c.QueryOne(kInsertSchedule, {tenant.value, e.technician.value, e.date, std::int64_t{e.start_minute},
                                        std::int64_t{e.end_minute}, std::int64_t{e.is_available}, e.notes, now})
        ->Int(0);
  } catch (const Error& err) {
    if (err.code() == ErrorCode::kConflict) {
      throw Error::Conflict("This technician already has a schedule entry starting then on that date.");
    }
    throw;
  }
}

std::vector<ScheduleEntry> ListSchedule(Connection& c, TenantId tenant, UserId technician,
                                        const std::optional<std::string>& from, const std::optional<std::string>& to) {
  std::vector<ScheduleEntry> out;
  for (const auto& r : c.Query(kListSchedule, {tenant.value, technician.value, Nullable(from), Nullable(to)})) {
    ScheduleEntry e;
    e.id = r.Int(0);
    e.technician = UserId(r.Int(1));
    e.date = r.Text(2);
    e.start_minute = static_cast<int>(r.Int(3));
    e.end_minute = static_cast<int>(r.Int(4));
    e.is_available = r.Bool(5);
    e.notes = r.Text(6);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace portico::storage
