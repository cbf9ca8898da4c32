#include "storage/db_copy.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>

#include "core/error.h"

namespace portico::storage {
namespace {

// Parents before children, so that foreign keys hold while rows arrive; tables of later migrations that
// are not listed here follow in name order.
const std::vector<std::string> kOrder = {
    "tenants", "users",      "customers", "customer_access", "sessions",      "api_tokens",     "units",
    "repairs", "approvals",  "repair_log", "materials",      "notes",         "schedules",      "events",
    "notifications",         "worker_cursors",               "repair_counts",
    // Conversations (issue 11).
    "channels", "channel_members", "messages", "message_mentions", "message_notified", "channel_reads"};

constexpr Sql kSqliteTables{"copy_tables_sqlite",
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                            "AND name NOT LIKE 'repair_search%' AND name <> 'schema_migrations'"};
constexpr Sql kPgTables{"copy_tables_pg",
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() "
                        "AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'repair_search')"};
constexpr Sql kSqliteColumns{"copy_columns_sqlite", "SELECT name FROM pragma_table_info($1) ORDER BY cid"};
constexpr Sql kPgColumns{"copy_columns_pg",
                         "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = $1 ORDER BY ordinal_position"};
constexpr Sql kSearchSqlite{"copy_search_sqlite",
                            "INSERT INTO repair_search (rowid, description, unit_number, damage_type) "
                            "SELECT r.id, r.description, u.unit_number, r.damage_type FROM repairs r "
                            "JOIN units u ON u.id = r.unit_id"};
constexpr Sql kSearchPg{"copy_search_pg",
                        "INSERT INTO repair_search (repair_id, doc) SELECT r.id, to_tsvector('simple', regexp_replace(r.description "
                        "|| ' ' || u.unit_number || ' ' || r.damage_type, '[^[:alnum:]]+', ' ', 'g')) FROM repairs r JOIN units u ON u.id = r.unit_id"};
constexpr Sql kClearSearchSqlite{"copy_clear_search_sqlite", "DELETE FROM repair_search"};
constexpr Sql kClearSearchPg{"copy_clear_search_pg", "DELETE FROM repair_search"};

// PostgreSQL target, when the user may: no foreign-key checks and no triggers for the copied rows (the
// source is consistent, and the trigger-kept repair_counts is copied as it is), for the transaction only.
constexpr Sql kIsSuperuser{"copy_is_superuser", "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"};
constexpr Sql kReplicaRole{"copy_replica_role", "SET LOCAL session_replication_role = replica"};

constexpr std::int64_t kPage = 5000;

std::vector<std::string> Tables(Connection& c) {
  std::vector<std::string> names;
  for (const auto& r : c.Query(c.dialect() == Dialect::kSqlite ? kSqliteTables : kPgTables)) names.push_back(r.Text(0));
  std::vector<std::string> out;
  for (const auto& t : kOrder) {
    if (std::find(names.begin(), names.end(), t) != names.end()) out.push_back(t);
  }
  std::sort(names.begin(), names.end());
  for (const auto& t : names) {
    if (std::find(kOrder.begin(), kOrder.end(), t) == kOrder.end()) out.push_back(t);
  }
  return out;
}

std::vector<std::string> Columns(Connection& c, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& r : c.Query(c.dialect() == Dialect::kSqlite ? kSqliteColumns : kPgColumns, {table})) {
    out.push_back(r.Text(0));
  }
  return out;
}

/// FNV-1a over a canonical form of the row (type tag and value per column); rows are summed, so the
/// checksum does not depend on the order rows come in.
std::uint64_t RowHash(const Row& row) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ULL;
    }
  };
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row.IsNull(i)) {
      mix("n\x1f");
      continue;
    }
    char buf[64];
    const Value& v = row.value(i);
    if (auto s = std::get_if<std::string>(&v)) {
      mix("t");
      mix(*s);
    } else if (auto n = std::get_if<std::int64_t>(&v)) {
      auto r = std::to_chars(buf, buf + sizeof buf, *n);
      mix("i");
      mix(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    } else {
      // A real in its shortest round-trip form; an integral one as the integer (a REAL column may hold 20.0).
      const double d = std::get<double>(v);
      const auto whole = static_cast<std::int64_t>(d);
      const bool integral = static_cast<double>(whole) == d;
      auto r = integral ? std::to_chars(buf, buf + sizeof buf, whole) : std::to_chars(buf, buf + sizeof buf, d);
      mix(integral ? "i" : "r");
      mix(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }
    mix("\x1f");
  }
  return h;
}

std::string ColumnList(const std::vector<std::string>& cols) {
  std::string out;
  for (const auto& c : cols) out += (out.empty() ? "\"" : ", \"") + c + "\"";
  return out;
}

/// Reads every row of `table` (page by page when it has an `id` column) and calls `each` with a page.
template <typename F>
void ReadAll(Connection& c, const std::string& table, const std::vector<std::string>& cols, F each) {
  const std::string select = "SELECT " + ColumnList(cols) + " FROM \"" + table + "\"";
  if (cols.empty() || cols.front() != "id") {
    each(c.Query(ComposedSql("copy_read_all", select)));
    return;
  }
  const Sql& page = ComposedSql("copy_read_page", select + " WHERE id > $1 ORDER BY id LIMIT $2");
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    auto rows = c.Query(page, {last, kPage});
    if (rows.empty()) return;
    last = rows.back().Int(0);
    const bool more = static_cast<std::int64_t>(rows.size()) == kPage;
    each(std::move(rows));
    if (!more) return;
  }
}

void InsertRows(Connection& c, const std::string& table, const std::vector<std::string>& cols,
                const std::vector<Row>& rows) {
  const std::size_t per_batch = std::max<std::size_t>(1, 8000 / std::max<std::size_t>(1, cols.size()));
  for (std::size_t start = 0; start < rows.size(); start += per_batch) {
    const std::size_t end = std::min(rows.size(), start + per_batch);
    std::string sql = "INSERT INTO \"" + table + "\" (" + ColumnList(cols) + ") VALUES ";
    std::vector<Value> params;
    params.reserve((end - start) * cols.size());
    for (std::size_t r = start; r < end; ++r) {
      sql += r == start ? "(" : ", (";
      for (std::size_t i = 0; i < cols.size(); ++i) {
        params.push_back(rows[r].value(i));
        sql += (i ? ", $" : "$") + std::to_string(params.size());
      }
      sql += ")";
    }
    c.ExecuteV(ComposedSql("copy_insert", sql), params);
  }
}

std::pair<std::int64_t, std::uint64_t> Summarise(Connection& c, const std::string& table,
                                                 const std::vector<std::string>& cols) {
  std::int64_t n = 0;
  std::uint64_t sum = 0;
  ReadAll(c, table, cols, [&](std::vector<Row> rows) {
    n += static_cast<std::int64_t>(rows.size());
    for (const auto& r : rows) sum += RowHash(r);
  });
  return {n, sum};
}

}  // namespace

std::vector<TableCopy> CopyDatabase(Database& source, Database& target, bool verify) {
  const int from_version = source.Migrate();
  const int to_version = target.Migrate();
  if (from_version != to_version) {
    throw Error(ErrorCode::kInvalidInput, "the two schemas differ (versions " + std::to_string(from_version) + " and " +
                                              std::to_string(to_version) + ")");
  }
  std::vector<TableCopy> out;
  std::map<std::string, std::vector<std::string>> columns;
  {
    auto dst = target.Write();
    auto src = source.Read();
    auto& t = dst->conn();
    const auto tables = Tables(src->conn());
    const auto target_tables = Tables(t);
    for (const auto& table : tables) {
      if (std::find(target_tables.begin(), target_tables.end(), table) == target_tables.end()) {
        throw Error(ErrorCode::kInvalidInput, "the target has no table '" + table + "'");
      }
      columns[table] = Columns(t, table);
      auto count = t.Query(ComposedSql("copy_count", "SELECT COUNT(*) FROM \"" + table + "\"")).front().Int(0);
      if (count > 0) {
        throw Error(ErrorCode::kConflict, "the target database is not empty (table " + table + " has " +
                                              std::to_string(count) + " rows); copy into an empty database");
      }
    }
    if (t.dialect() == Dialect::kPostgres) {
      auto super = t.QueryOne(kIsSuperuser);
      if (super && super->Bool(0)) t.Execute(kReplicaRole);
    }
    for (const auto& table : tables) {
      const auto& cols = columns[table];
      // Triggers of the target may have filled a derived table (repair_counts) from rows copied before it:
      // the target was empty, so what is there now came from those triggers; the source's rows replace it.
      t.Execute(ComposedSql("copy_clear", "DELETE FROM \"" + table + "\""));
      TableCopy result;
      result.table = table;
      ReadAll(src->conn(), table, cols, [&](std::vector<Row> rows) {
        result.source_rows += static_cast<std::int64_t>(rows.size());
        for (const auto& r : rows) result.source_checksum += RowHash(r);
        InsertRows(t, table, cols, rows);
      });
      result.target_rows = result.source_rows;
      result.target_checksum = result.source_checksum;
      if (t.dialect() == Dialect::kPostgres && std::find(cols.begin(), cols.end(), "id") != cols.end()) {
        t.Query(ComposedSql("copy_setval", "SELECT setval(pg_get_serial_sequence('\"" + table + "\"', 'id'), "
                                           "(SELECT COALESCE(MAX(id), 0) + 1 FROM \"" + table + "\"), false)"));
      }
      out.push_back(std::move(result));
    }
    const bool pg = t.dialect() == Dialect::kPostgres;
    t.Execute(pg ? kClearSearchPg : kClearSearchSqlite);
    t.Execute(pg ? kSearchPg : kSearchSqlite);
    dst->Commit();
  }
  if (!verify) return out;
  auto src = source.Read();
  auto dst = target.Read();
  for (auto& result : out) {
    const auto& cols = columns[result.table];
    std::tie(result.source_rows, result.source_checksum) = Summarise(src->conn(), result.table, cols);
    std::tie(result.target_rows, result.target_checksum) = Summarise(dst->conn(), result.table, cols);
  }
  return out;
}

}  // namespace portico::storage
