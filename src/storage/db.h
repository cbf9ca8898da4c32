// The database interface services and repositories use. SQL is portable (PostgreSQL-style `$1`
// placeholders, `RETURNING`, `ON CONFLICT`); each driver (sqlite/, later postgres/) implements
// Connection and Database and translates what it must. Dialect-specific SQL is isolated behind
// Database::dialect().
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace portico::storage {

/// PostgreSQL's plan cache for one statement. SQLite ignores it.
enum class PlanChoice : unsigned char {
  /// plan_cache_mode = auto (PostgreSQL's default): planned for the bound values at first, as their best
  /// plan may depend on them (a status filter, an optional `$n IS NULL OR ...` condition, a search).
  kAuto,
  /// force_generic_plan: planned once per connection. For statements whose best plan does not depend on the
  /// bound values (a lookup by key, a page of one scope in a fixed order) and whose planning costs more than
  /// running them: the repair select joins six tables, planned in 0.4-3 ms against 0.3-0.9 ms of execution.
  kGeneric,
  /// Either mode gives the same plan (an INSERT ... VALUES, an UPDATE or a lookup by primary key): runs in
  /// whichever mode the transaction is in, so it never costs a `SET LOCAL plan_cache_mode` round trip.
  kEither,
};

/// A named SQL statement. Always a constant (`constexpr Sql kFindUser{"find_user", "SELECT ..."}`),
/// never assembled from input; values go in as bound parameters.
struct Sql {
  const char* name;
  const char* text;
  PlanChoice plan = PlanChoice::kAuto;
};

/// A statement assembled at run time from constant fragments chosen by whitelist (e.g. an ORDER BY of
/// a known column), never from input. Interned: the same text gives the same Sql, so drivers can cache
/// the prepared statement.
const Sql& ComposedSql(const char* name, const std::string& text, PlanChoice plan = PlanChoice::kAuto);

/// A bound parameter or a column value.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/// Helpers to bind optionals as NULL.
Value Nullable(const std::optional<std::string>& v);
Value Nullable(const std::optional<std::int64_t>& v);

/// One result row, columns by position.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  bool Bool(std::size_t i) const { return Int(i) != 0; }
  /// Text of a column; NULL reads as "".
  const std::string& Text(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  std::size_t size() const { return values_.size(); }
  /// A column's value as the driver read it.
  const Value& value(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Params = std::initializer_list<Value>;

enum class Dialect { kSqlite, kPostgres };

/// An open connection. Not thread-safe: one thread uses it at a time (the pool guarantees it).
class Connection {
 public:
  virtual ~Connection() = default;
  /// Runs a statement and returns all rows. Throws Error(kConflict) on a unique-constraint violation,
  /// Error(kUnavailable) when the database is busy past its timeout, Error(kInternal) otherwise.
  virtual std::vector<Row> Query(const Sql& sql, Params params = {}) = 0;
  /// Same, with a parameter vector built at run time.
  virtual std::vector<Row> QueryV(const Sql& sql, const std::vector<Value>& params) = 0;
  /// Runs a statement and returns the number of rows changed.
  virtual std::int64_t Execute(const Sql& sql, Params params = {}) = 0;
  virtual std::int64_t ExecuteV(const Sql& sql, const std::vector<Value>& params) = 0;
  /// Runs a statement whose result nobody reads, possibly later: PostgreSQL sends it with the transaction's
  /// next statement or its COMMIT (one round trip fewer); an error then fails that statement or the commit,
  /// and the transaction as a whole. For statements with no plan choice (an INSERT ... VALUES). SQLite runs it
  /// at once.
  virtual void ExecuteLater(const Sql& sql, Params params = {}) { Execute(sql, params); }
  /// Runs several statements of trusted text (migrations only).
  virtual void ExecuteScript(std::string_view script) = 0;
  /// The SQL dialect of this connection (repositories branch on it where the dialects differ).
  virtual Dialect dialect() const = 0;

  /// First row or nullopt.
  std::optional<Row> QueryOne(const Sql& sql, Params params = {});
};

class Database;

/// A transaction on a leased connection. Rolls back on destruction unless committed.
/// Write transactions are serialised process-wide (one writer, as SQLite requires).
class Transaction {
 public:
  /// `each`: a read whose statements each see their own snapshot (Database::ReadEach).
  Transaction(Database& db, std::unique_ptr<Connection> conn, bool write, bool each = false);
  Transaction(Transaction&&) = delete;
  ~Transaction();
  Connection& conn() { return *conn_; }
  Connection* operator->() { return conn_.get(); }
  void Commit();

 private:
  Database& db_;
  std::unique_ptr<Connection> conn_;
  bool write_;
  bool done_ = false;
};

/// A dedicated connection that receives notifications sent on one channel (PostgreSQL LISTEN/NOTIFY);
/// it reconnects by itself and stops when destroyed.
class Listener {
 public:
  virtual ~Listener() = default;
};

/// A database: a pool of connections and the single writer.
class Database {
 public:
  virtual ~Database() = default;
  /// A read-only transaction (consistent snapshot).
  std::unique_ptr<Transaction> Read() { return std::make_unique<Transaction>(*this, Acquire(false), false); }
  /// A read whose statements need no common snapshot (each sees the data committed when it starts): a
  /// single query, or polls of an append-only log. On PostgreSQL it sends no BEGIN and no ROLLBACK, two
  /// statements fewer per read; on SQLite it is Read().
  std::unique_ptr<Transaction> ReadEach() {
    return std::make_unique<Transaction>(*this, Acquire(false), false, /*each=*/true);
  }
  /// A write transaction; waits for the writer. Throws Error(kUnavailable) after the busy timeout.
  std::unique_ptr<Transaction> Write() { return std::make_unique<Transaction>(*this, Acquire(true), true); }
  virtual Dialect dialect() const = 0;
  /// Brings the schema up to date; returns the schema version.
  virtual int Migrate() = 0;
  /// Writes a consistent copy of the database to `path` while others may use it.
  virtual void Backup(const std::string& path) = 0;
  /// True when a read transaction can run a trivial query (/readyz).
  bool Ping();
  /// Number of connections in use and in the pool (for /metrics).
  virtual std::pair<int, int> PoolUse() const = 0;
  /// The identity epoch (storage::IdentityEpoch, identity_epoch.h): advances after every committed write
  /// that may change what authentication reads; nullopt when this process cannot hear such writes.
  virtual std::optional<std::uint64_t> IdentityEpoch() const { return std::nullopt; }
  /// Starts hearing the identity writes of other processes (PostgreSQL: a listening connection), so that
  /// IdentityEpoch has a value and the caches keyed on it work. The server calls it once (RunServe); a
  /// short CLI command does not, and caches nothing. Nothing to start on SQLite (one process).
  virtual void WatchIdentity() {}
  /// Calls `on_notify(payload)` for every notification on `channel` from any process using this database,
  /// on a thread of its own, and `on_reconnect()` after the connection was lost and re-established
  /// (notifications may have been missed). nullptr when the database has a single process (SQLite).
  virtual std::unique_ptr<Listener> Listen(const std::string& channel, std::function<void(const std::string&)> on_notify,
                                           std::function<void()> on_reconnect) {
    (void)channel, (void)on_notify, (void)on_reconnect;
    return nullptr;
  }

 protected:
  friend class Transaction;
  virtual std::unique_ptr<Connection> Acquire(bool write) = 0;
  virtual void Release(std::unique_ptr<Connection> conn, bool write) = 0;
  virtual void BeginOn(Connection& conn, bool write) = 0;
  /// Starts a ReadEach; by default a read transaction.
  virtual void BeginEachOn(Connection& conn) { BeginOn(conn, false); }
  virtual void CommitOn(Connection& conn) = 0;
  virtual void RollbackOn(Connection& conn) = 0;
};

/// How durable a commit is before it is acknowledged (SQLite's `synchronous` in WAL mode; README,
/// `database.synchronous`). kFull: the WAL is fsynced on every commit, a commit survives power loss.
/// kNormal: fsync at checkpoints only; the last commits may be lost on power loss (not on a process crash).
enum class Synchronous { kFull, kNormal };

struct DatabaseOptions {
  Synchronous synchronous = Synchronous::kFull;
};

/// Opens the database named by `url` ("sqlite://relative/path.db", "sqlite:///abs/path.db", creating the
/// file and its folder; or "postgres://user@host:port/name" / "postgresql://..."). Throws Error(kInvalidInput) for an unsupported URL, Error(kUnavailable) if it
/// cannot be opened.
std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size, const DatabaseOptions& options = {});

}  // namespace portico::storage
