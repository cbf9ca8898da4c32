#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <unordered_map>

#include "core/error.h"
#include "storage/identity_epoch.h"
#include "storage/migrations.h"

namespace portico::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void Fail(sqlite3* db, int rc, const char* what) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw Error(ErrorCode::kConflict, "A record with these values already exists.", msg);
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    throw Error(ErrorCode::kUnavailable, "The database is busy; try again.", msg);
  }
  throw Error::Internal(msg);
}

/// `$1` -> `?1`: SQLite numbers `?NNN` parameters by their digits, as PostgreSQL does `$NNN`.
std::string Translate(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, Synchronous synchronous) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorCode::kUnavailable, "The database cannot be opened.", "open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sqlite3_extended_result_codes(db_, 1);
    // synchronous=FULL in WAL mode: each commit fsyncs the WAL before it returns (durable on power loss).
    // temp_store=MEMORY: statement journals live in memory. Inside a SAVEPOINT SQLite walks their chunk
    // list at the end of every statement, which made a large import quadratic (60,000 rows took 25 s);
    // the first write transaction of a group-commit batch therefore runs without one (WriterLease).
    ExecuteScript(std::string("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=") +
                  (synchronous == Synchronous::kFull ? "FULL" : "NORMAL") +
                  "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000;");
  }

  ~SqliteConnection() override {
    for (auto& [key, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* handle() { return db_; }
  Dialect dialect() const override { return Dialect::kSqlite; }

  std::vector<Row> Query(const Sql& sql, Params params) override {
    return Run(sql, params.begin(), params.end(), nullptr);
  }
  std::vector<Row> QueryV(const Sql& sql, const std::vector<Value>& params) override {
    return Run(sql, params.data(), params.data() + params.size(), nullptr);
  }
  std::int64_t Execute(const Sql& sql, Params params) override {
    std::int64_t changes = 0;
    Run(sql, params.begin(), params.end(), &changes);
    return changes;
  }
  std::int64_t ExecuteV(const Sql& sql, const std::vector<Value>& params) override {
    std::int64_t changes = 0;
    Run(sql, params.data(), params.data() + params.size(), &changes);
    return changes;
  }

  void ExecuteScript(std::string_view script) override {
    std::string s(script);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "";
      sqlite3_free(err);
      Fail(db_, rc, ("script: " + msg).c_str());
    }
  }

 private:
  sqlite3_stmt* Prepare(const Sql& sql) {
    auto it = cache_.find(sql.text);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    std::string text = Translate(sql.text);
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) Fail(db_, rc, sql.name);
    cache_.emplace(sql.text, stmt);
    return stmt;
  }

  std::vector<Row> Run(const Sql& sql, const Value* begin, const Value* end, std::int64_t* changes) {
    sqlite3_stmt* stmt = Prepare(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    int index = 1;
    for (const Value* v = begin; v != end; ++v, ++index) {
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(*v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (auto i = std::get_if<std::int64_t>(v)) {
        rc = sqlite3_bind_int64(stmt, index, *i);
      } else if (auto d = std::get_if<double>(v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const auto& s = std::get<std::string>(*v);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) Fail(db_, rc, sql.name);
    }
    std::vector<Row> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) Fail(db_, rc, sql.name);
      int n = sqlite3_column_count(stmt);
      std::vector<Value> values;
      values.reserve(n);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: values.emplace_back(nullptr); break;
          case SQLITE_INTEGER: values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text ? text : "", sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    if (changes) *changes = sqlite3_changes64(db_);
    return rows;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

/// One write transaction's view of the writer connection (group commit): forwards to it, and knows
/// whether this transaction still holds the writer (false once a deferred commit handed it on).
class WriterLease final : public Connection {
 public:
  explicit WriterLease(SqliteConnection& real) : real_(real) {}
  std::vector<Row> Query(const Sql& sql, Params params) override {
    Note(sql);
    return real_.Query(sql, params);
  }
  std::vector<Row> QueryV(const Sql& sql, const std::vector<Value>& params) override {
    Note(sql);
    return real_.QueryV(sql, params);
  }
  std::int64_t Execute(const Sql& sql, Params params) override {
    Note(sql);
    return real_.Execute(sql, params);
  }
  std::int64_t ExecuteV(const Sql& sql, const std::vector<Value>& params) override {
    Note(sql);
    return real_.ExecuteV(sql, params);
  }
  void ExecuteScript(std::string_view script) override {
    identity_changed = true;
    real_.ExecuteScript(script);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  SqliteConnection& real() { return real_; }
  bool holds_writer = true;
  /// True when this transaction joined an open batch and so runs in its own SAVEPOINT; the first of a
  /// batch runs in the plain transaction (a SAVEPOINT there would make every statement journal live
  /// until the batch ends, which made bulk imports slow).
  bool in_savepoint = false;
  /// A statement of this transaction may have changed identity tables (storage::ChangesIdentity).
  bool identity_changed = false;

 private:
  void Note(const Sql& sql) {
    if (!identity_changed && ChangesIdentity(sql)) identity_changed = true;
  }
  SqliteConnection& real_;
};

constexpr int kMaxBatch = 64;
constexpr Sql kCommit{"commit", "COMMIT"};
constexpr Sql kRollback{"rollback", "ROLLBACK"};
constexpr Sql kSavepoint{"savepoint", "SAVEPOINT request"};
constexpr Sql kReleaseSavepoint{"release_savepoint", "RELEASE request"};
constexpr Sql kRollbackToSavepoint{"rollback_to_savepoint", "ROLLBACK TO request"};

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, int pool_size, Synchronous synchronous)
    : path_(std::move(path)), pool_size_(pool_size), synchronous_(synchronous) {
  std::filesystem::path p(path_);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) {
      throw Error(ErrorCode::kUnavailable, "The database folder cannot be created.",
                  "create " + p.parent_path().string() + ": " + ec.message());
    }
  }
  writer_ = Open();
}

SqliteDatabase::~SqliteDatabase() = default;

std::unique_ptr<Connection> SqliteDatabase::Open() { return std::make_unique<SqliteConnection>(path_, synchronous_); }

std::unique_ptr<Connection> SqliteDatabase::Acquire(bool write) {
  if (write) {
    ++writers_waiting_;
    writer_mutex_.lock();
    --writers_waiting_;
    std::lock_guard lock(mutex_);
    ++busy_;
    return std::make_unique<WriterLease>(static_cast<SqliteConnection&>(*writer_));
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      ++busy_;
      return conn;
    }
    if (open_readers_ < pool_size_) {
      ++open_readers_;
      ++busy_;
      lock.unlock();
      try {
        return Open();
      } catch (...) {
        std::lock_guard relock(mutex_);
        --open_readers_;
        --busy_;
        throw;
      }
    }
    available_.wait(lock);
  }
}

void SqliteDatabase::Release(std::unique_ptr<Connection> conn, bool write) {
  if (write) {
    const bool held = static_cast<WriterLease&>(*conn).holds_writer;
    conn.reset();
    {
      std::lock_guard lock(mutex_);
      --busy_;
    }
    if (held) {
      // Requests of the open batch wait for a COMMIT: if nobody is queued to join it, commit it now.
      if (batch_open_ && writers_waiting_.load() == 0) {
        try {
          FinishBatch();
        } catch (const std::exception&) {
          // The waiters were told; this transaction itself was already finished.
        }
      }
      writer_mutex_.unlock();
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
    --busy_;
  }
  available_.notify_one();
}

void SqliteDatabase::BeginOn(Connection& conn, bool write) {
  static constexpr Sql kBeginRead{"begin_read", "BEGIN DEFERRED"};
  static constexpr Sql kBeginWrite{"begin_write", "BEGIN IMMEDIATE"};
  if (!write) {
    conn.Execute(kBeginRead);
    return;
  }
  auto& lease = static_cast<WriterLease&>(conn);
  auto& writer = lease.real();
  if (!batch_open_) {
    writer.Execute(kBeginWrite, {});
    batch_open_ = true;
    batch_size_ = 0;
    std::lock_guard lock(commit_mutex_);
    ++batch_;
    return;
  }
  writer.Execute(kSavepoint, {});
  lease.in_savepoint = true;
}

void SqliteDatabase::CommitOn(Connection& conn) {
  auto* lease = dynamic_cast<WriterLease*>(&conn);
  if (lease == nullptr) {
    conn.Execute(kCommit);
    return;
  }
  if (lease->in_savepoint) lease->real().Execute(kReleaseSavepoint, {});
  ++batch_size_;
  if (writers_waiting_.load() > 0 && batch_size_ < kMaxBatch) {
    // Another write is queued: it joins this batch; whoever ends the batch commits it for us.
    std::uint64_t mine = 0;
    {
      std::lock_guard lock(commit_mutex_);
      mine = batch_;
    }
    lease->holds_writer = false;
    writer_mutex_.unlock();
    std::unique_lock lock(commit_mutex_);
    batch_done_.wait(lock, [&] { return finished_ >= mine; });
    if (failed_.contains(mine)) {
      throw Error(ErrorCode::kUnavailable, "The change could not be saved; try again.",
                  "group commit of batch " + std::to_string(mine) + " failed");
    }
    if (lease->identity_changed) ++identity_epoch_;  // after the batch's COMMIT: readers see the change
    return;
  }
  FinishBatch();
  if (lease->identity_changed) ++identity_epoch_;
}

void SqliteDatabase::RollbackOn(Connection& conn) {
  auto* lease = dynamic_cast<WriterLease*>(&conn);
  if (lease == nullptr) {
    conn.Execute(kRollback);
    return;
  }
  if (!lease->holds_writer || !batch_open_) return;  // handed on (its batch decides), or nothing open
  if (!lease->in_savepoint) {
    // The first of its batch: nothing else is in the transaction, so it ends with a plain ROLLBACK.
    auto& writer = lease->real();
    try {
      if (sqlite3_get_autocommit(writer.handle()) == 0) writer.Execute(kRollback, {});
    } catch (const std::exception&) {
    }
    batch_open_ = false;
    batch_size_ = 0;
    {
      std::lock_guard lock(commit_mutex_);
      finished_ = batch_;
    }
    batch_done_.notify_all();
    return;
  }
  bool undone = false;
  try {
    lease->real().Execute(kRollbackToSavepoint, {});
    lease->real().Execute(kReleaseSavepoint, {});
    undone = true;
  } catch (const std::exception&) {
  }
  // An I/O error, a full disk or an interrupt may have made SQLite roll the whole transaction back,
  // earlier requests of the batch included: they must not be acknowledged.
  if (!undone || sqlite3_get_autocommit(lease->real().handle()) != 0) LoseBatch();
}

void SqliteDatabase::FinishBatch() {
  auto& writer = static_cast<SqliteConnection&>(*writer_);
  std::exception_ptr failure;
  try {
    writer.Execute(kCommit, {});
  } catch (...) {
    failure = std::current_exception();
    try {
      if (sqlite3_get_autocommit(writer.handle()) == 0) writer.Execute(kRollback, {});
    } catch (const std::exception&) {
    }
  }
  batch_open_ = false;
  batch_size_ = 0;
  {
    std::lock_guard lock(commit_mutex_);
    finished_ = batch_;
    if (failure) failed_.insert(batch_);
  }
  batch_done_.notify_all();
  if (failure) std::rethrow_exception(failure);
}

void SqliteDatabase::LoseBatch() {
  auto& writer = static_cast<SqliteConnection&>(*writer_);
  try {
    if (sqlite3_get_autocommit(writer.handle()) == 0) writer.Execute(kRollback, {});
  } catch (const std::exception&) {
  }
  batch_open_ = false;
  batch_size_ = 0;
  {
    std::lock_guard lock(commit_mutex_);
    finished_ = batch_;
    failed_.insert(batch_);
  }
  batch_done_.notify_all();
}

std::pair<int, int> SqliteDatabase::PoolUse() const {
  std::lock_guard lock(mutex_);
  return {busy_, open_readers_ + 1};
}

int SqliteDatabase::Migrate() {
  auto tx = Write();
  int version = ApplyMigrations(tx->conn(), Dialect::kSqlite, static_cast<std::int64_t>(std::time(nullptr)));
  tx->Commit();
  return version;
}

void SqliteDatabase::Backup(const std::string& path) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    throw Error(ErrorCode::kInvalidInput, "cannot open backup file " + path + ": " + msg);
  }
  auto reader = Acquire(false);
  auto* src = static_cast<SqliteConnection*>(reader.get())->handle();
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src, "main");
  if (!backup) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    Release(std::move(reader), false);
    throw Error::Internal("backup init: " + msg);
  }
  do {
    rc = sqlite3_backup_step(backup, 1024);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  std::string msg = sqlite3_errmsg(dest);
  sqlite3_close(dest);
  Release(std::move(reader), false);
  if (rc != SQLITE_DONE) throw Error::Internal("backup: " + msg);
}

}  // namespace portico::storage::sqlite
