#include "storage/db.h"

#include <deque>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace portico::storage {

const Sql& ComposedSql(const char* name, const std::string& text, PlanChoice plan) {
  static std::mutex mutex;
  static std::unordered_map<std::string, Sql> interned;
  static std::deque<std::string> texts;  // stable storage for the interned texts
  std::lock_guard lock(mutex);
  std::string key = std::to_string(static_cast<int>(plan)) + ":" + text;
  auto it = interned.find(key);
  if (it != interned.end()) return it->second;
  texts.push_back(text);
  return interned.emplace(std::move(key), Sql{name, texts.back().c_str(), plan}).first->second;
}

Value Nullable(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
Value Nullable(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

std::int64_t Row::Int(std::size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  throw Error::Internal("column " + std::to_string(i) + " is text where an integer was expected");
}

double Row::Real(std::size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

const std::string& Row::Text(std::size_t i) const {
  static const std::string kEmpty;
  const auto& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (std::holds_alternative<std::nullptr_t>(v)) return kEmpty;
  throw Error::Internal("column " + std::to_string(i) + " is not text");
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<Row> Connection::QueryOne(const Sql& sql, Params params) {
  auto rows = Query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

Transaction::Transaction(Database& db, std::unique_ptr<Connection> conn, bool write, bool each)
    : db_(db), conn_(std::move(conn)), write_(write) {
  try {
    if (each) {
      db_.BeginEachOn(*conn_);
    } else {
      db_.BeginOn(*conn_, write_);
    }
  } catch (...) {
    db_.Release(std::move(conn_), write_);
    throw;
  }
}

Transaction::~Transaction() {
  if (!conn_) return;
  if (!done_) {
    try {
      db_.RollbackOn(*conn_);
    } catch (...) {
      // The connection is returned to the pool in any case; a failed rollback leaves nothing to do.
    }
  }
  db_.Release(std::move(conn_), write_);
}

void Transaction::Commit() {
  db_.CommitOn(*conn_);
  done_ = true;
}

bool Database::Ping() {
  static constexpr Sql kPing{"ping", "SELECT 1"};
  try {
    auto tx = Read();
    return tx->conn().Query(kPing).size() == 1;
  } catch (const std::exception&) {
    return false;
  }
}

std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size, const DatabaseOptions& options) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.rfind(kSqlite, 0) == 0) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) throw Error(ErrorCode::kInvalidInput, "database URL '" + url + "' names no file");
    return std::make_unique<sqlite::SqliteDatabase>(path, pool_size, options.synchronous);
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return std::make_unique<postgres::PostgresDatabase>(url, pool_size);
  }
  throw Error(ErrorCode::kInvalidInput, "unsupported database URL '" + url +
                                            "' (expected sqlite://path.db, sqlite:///abs/path.db or postgres://...)");
}

}  // namespace portico::storage
