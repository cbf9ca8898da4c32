// Figures for the dashboards (API.md, "Figures for the dashboards"), within the caller's row scope.
#include "storage/repairs_repository.h"
#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

constexpr Sql kCompletedPerTechnician{"completed_per_technician",
                                      "SELECT technician_id, COUNT(*) FROM repairs WHERE tenant_id = $1 "
                                      "AND status = 'COMPLETED' AND technician_id IS NOT NULL GROUP BY technician_id"};

}  // namespace

std::vector<UnitFigure> UnitFigures(Connection& c, const policy::CustomerScope& scope,
                                    std::optional<CustomerId> customer) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "u.tenant_id", "u.customer_id");
  if (customer) {
    p.emplace_back(customer->value);
    where += " AND u.customer_id = " + Param(p);
  }
  const Sql& sql = ComposedSql(
      "unit_figures",
      "SELECT u.id, u.unit_number, u.repair_count, "
      "COALESCE((SELECT SUM(r.cost_cents) FROM repairs r WHERE r.unit_id = u.id AND r.status = 'COMPLETED'), 0) "
      "FROM units u " + where + " ORDER BY u.unit_number, u.id LIMIT 10000");
  std::vector<UnitFigure> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back({UnitId(r.Int(0)), r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

std::vector<PeriodFigure> MonthFigures(Connection& c, const policy::CustomerScope& scope,
                                       std::optional<CustomerId> customer, const std::optional<std::string>& from,
                                       const std::optional<std::string>& to) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id");
  if (customer) {
    p.emplace_back(customer->value);
    where += " AND r.customer_id = " + Param(p);
  }
  if (from) {
    p.emplace_back(*from);
    where += " AND r.repair_date >= " + Param(p);
  }
  if (to) {
    p.emplace_back(*to);
    where += " AND r.repair_date <= " + Param(p);
  }
  const Sql& sql = ComposedSql(
      "month_figures",
      "SELECT substr(r.repair_date, 1, 7) AS period, COUNT(*), "
      "SUM(CASE WHEN r.status = 'COMPLETED' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN r.status = 'COMPLETED' THEN r.cost_cents ELSE 0 END) FROM repairs r " +
          where + " GROUP BY period ORDER BY period");
  std::vector<PeriodFigure> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back({r.Text(0), r.Int(1), r.Int(2), r.Int(3)});
  return out;
}

std::optional<std::string> RecentMonthsStart(Connection& c, const policy::CustomerScope& scope,
                                             std::optional<CustomerId> customer, int months,
                                             const std::optional<std::string>& to) {
  // One index seek per month (repairs_*_repair_date): the newest repair date before the cursor, whose
  // month start becomes the next cursor. `months` is small (the caller bounds it), the history is not.
  std::optional<std::string> cursor;  // exclusive upper bound, 'YYYY-MM-DD'
  std::optional<std::string> start;
  for (int i = 0; i < months; ++i) {
    std::vector<Value> p;
    BindScope(p, scope);
    std::string where = "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id");
    if (customer) {
      p.emplace_back(customer->value);
      where += " AND r.customer_id = " + Param(p);
    }
    if (to) {
      p.emplace_back(*to);
      where += " AND r.repair_date <= " + Param(p);
    }
    if (cursor) {
      p.emplace_back(*cursor);
      where += " AND r.repair_date < " + Param(p);
    }
    const Sql& sql = ComposedSql("newest_repair_date", "SELECT MAX(r.repair_date) FROM repairs r " + where);
    auto rows = c.QueryV(sql, p);
    if (rows.empty() || rows.front().IsNull(0)) break;
    std::string date = rows.front().Text(0);
    if (date.size() < 7) break;
    start = date.substr(0, 7) + "-01";
    cursor = start;
  }
  return start;
}

std::vector<std::pair<std::string, std::int64_t>> StatusCounts(Connection& c, const policy::CustomerScope& scope) {
  std::vector<Value> p;
  BindScope(p, scope);
  const Sql& sql = ComposedSql("status_counts", "SELECT k.status, SUM(k.n) FROM repair_counts k WHERE " +
                                                    ScopeWhere(scope, "k.tenant_id", "k.customer_id") +
                                                    " GROUP BY k.status");
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : c.QueryV(sql, p)) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

std::vector<ShopFigure> ShopFigures(Connection& c, const policy::CustomerScope& scope,
                                    std::optional<CustomerId> customer, const std::optional<std::string>& from,
                                    const std::optional<std::string>& to, int limit) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id") + " AND r.technician_ref IS NOT NULL";
  if (customer) {
    p.emplace_back(customer->value);
    where += " AND r.customer_id = " + Param(p);
  }
  if (from) {
    p.emplace_back(*from);
    where += " AND r.repair_date >= " + Param(p);
  }
  if (to) {
    p.emplace_back(*to);
    where += " AND r.repair_date <= " + Param(p);
  }
  p.emplace_back(std::int64_t{limit});
  const Sql& sql = ComposedSql(
      "shop_figures",
      "SELECT r.technician_ref, COUNT(*), SUM(CASE WHEN r.status = 'COMPLETED' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN r.status = 'COMPLETED' THEN r.cost_cents ELSE 0 END) FROM repairs r " +
          where + " GROUP BY r.technician_ref ORDER BY COUNT(*) DESC, r.technician_ref LIMIT " + Param(p));
  std::vector<ShopFigure> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back({r.Text(0), r.Int(1), r.Int(2), r.Int(3)});
  return out;
}

std::vector<std::pair<UserId, std::int64_t>> CompletedPerTechnician(Connection& c, TenantId tenant) {
  std::vector<std::pair<UserId, std::int64_t>> out;
  for (const auto& r : c.Query(kCompletedPerTechnician, {tenant.value})) out.emplace_back(UserId(r.Int(0)), r.Int(1));
  return out;
}

}  // namespace portico::storage
