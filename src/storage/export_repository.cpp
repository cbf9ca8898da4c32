#include "storage/export_repository.h"

#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

/// SQLite: the connection's page cache held to 2 MB while it reads a chunk of an export, then set back.
/// An export reads every page of the scope once; with the pool's 32 MB cache per connection, each pooled
/// connection that served a chunk kept up to 32 MB of them (two exports peaked at 78 MiB above idle on
/// the real data; issue 14's goal is under 64 MB). PostgreSQL: nothing to do (the server's buffers).
class SmallPageCache {
 public:
  explicit SmallPageCache(Connection& c) : c_(c) {
    if (c_.dialect() != Dialect::kSqlite) return;
    static constexpr Sql kCacheSize{"cache_size", "PRAGMA cache_size"};
    before_ = c_.Query(kCacheSize).front().Int(0);
    c_.ExecuteScript("PRAGMA cache_size=-2000");
  }
  ~SmallPageCache() {
    if (!before_) return;
    try {
      c_.ExecuteScript("PRAGMA cache_size=" + std::to_string(*before_));
    } catch (...) {  // a destructor does not throw; the connection keeps the small cache
    }
  }
  SmallPageCache(const SmallPageCache&) = delete;
  SmallPageCache& operator=(const SmallPageCache&) = delete;

 private:
  Connection& c_;
  std::optional<std::int64_t> before_;
};

}  // namespace

std::vector<ExportRow> ExportRepairsAfter(Connection& c, const policy::CustomerScope& scope, const RepairFilter& f,
                                          const ExportCursor& cursor, std::int64_t limit) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id");
  where += RepairFilterSql(c, p, f);  // the list's filter, so the export and the list cannot drift
  p.emplace_back(cursor.created_at);
  const std::string after_created = Param(p);
  p.emplace_back(cursor.id);
  const std::string after_id = Param(p);
  // Row-value comparison: both SQLite (3.15+) and PostgreSQL walk the (tenant_id, created_at) index.
  where += " AND (r.created_at, r.id) > (" + after_created + ", " + after_id + ")";
  p.emplace_back(limit);
  const Sql& sql = ComposedSql(
      "export_repairs",
      "SELECT r.id, c.name, u.unit_number, r.status, r.description, r.damage_type, r.priority, r.created_at, "
      "r.repair_date, t.name, r.cost_cents, r.materials_cents, CASE WHEN r.external_ref IS NULL THEN 0 ELSE 1 END "
      "FROM repairs r JOIN customers c ON c.id = r.customer_id JOIN units u ON u.id = r.unit_id "
      "LEFT JOIN users t ON t.id = r.technician_id " +
          where + " ORDER BY r.created_at, r.id LIMIT " + Param(p));
  std::vector<ExportRow> out;
  std::vector<Row> rows;
  {
    SmallPageCache small(c);
    rows = c.QueryV(sql, p);
  }
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ExportRow e;
    e.id = r.Int(0);
    e.customer = r.Text(1);
    e.unit_number = r.Text(2);
    e.status = r.Text(3);
    e.description = r.Text(4);
    e.damage_type = r.Text(5);
    e.priority = r.Int(6);
    e.created_at = r.Int(7);
    e.repair_date = r.Text(8);
    e.technician = r.Text(9);
    e.cost_cents = r.Int(10);
    e.materials_cents = r.Int(11);
    e.imported = r.Bool(12);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace portico::storage
