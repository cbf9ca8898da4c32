#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <ctime>
#include <filesystem>

#include "core/error.h"
#include "storage/db_copy.h"
#include "storage/migrations.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_listener.h"

namespace portico::storage::postgres {
using detail::PgConnection;

std::string ConnInfo(const std::string& url) {
  std::string out = url;
  const bool has_query = out.find('?') != std::string::npos;
  std::string extra;
  if (out.find("connect_timeout=") == std::string::npos) extra += "connect_timeout=3";
  if (out.find("application_name=") == std::string::npos) extra += std::string(extra.empty() ? "" : "&") + "application_name=portico";
  if (!extra.empty()) out += (has_query ? "&" : "?") + extra;
  return out;
}

PostgresDatabase::PostgresDatabase(std::string url, int pool_size) : url_(ConnInfo(url)), pool_size_(pool_size) {
  auto first = std::make_unique<PgConnection>(url_);
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(first));
  open_ = 1;
}

PostgresDatabase::~PostgresDatabase() = default;

std::unique_ptr<Connection> PostgresDatabase::Acquire(bool) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      ++busy_;
      return conn;
    }
    if (open_ < pool_size_) {
      ++open_;
      ++busy_;
      lock.unlock();
      try {
        return std::make_unique<PgConnection>(url_);
      } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        --busy_;
        available_.notify_one();
        throw;
      }
    }
    available_.wait(lock);
  }
}

void PostgresDatabase::Release(std::unique_ptr<Connection> conn, bool) {
  auto* pg = static_cast<PgConnection*>(conn.get());
  const bool keep = !pg->broken() && PQtransactionStatus(pg->handle()) == PQTRANS_IDLE;
  if (!keep) conn.reset();  // closed outside the lock
  {
    std::lock_guard lock(mutex_);
    --busy_;
    if (keep) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  available_.notify_one();
}

void PostgresDatabase::BeginOn(Connection& conn, bool write) {
  static const std::string kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + ")";
  static const std::string kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  // Sent with the first statement (PgConnection::DeferBegin): one round trip less per transaction.
  static_cast<PgConnection&>(conn).DeferBegin(write ? kBeginWrite : kBeginRead);
}

void PostgresDatabase::BeginEachOn(Connection& conn) { static_cast<PgConnection&>(conn).StartAutocommit(); }

void PostgresDatabase::CommitOn(Connection& conn) {
  auto& pg = static_cast<PgConnection&>(conn);
  if (pg.has_queued()) {  // ExecuteLater statements go with the COMMIT (and the BEGIN, if nothing else ran)
    const bool identity = pg.identity_changed();
    std::vector<std::string> tail;
    if (identity) tail.push_back("SELECT pg_notify('" + std::string(kIdentityChannel) + "', '')");
    tail.emplace_back("COMMIT");
    pg.Flush(tail);
    if (identity) {
      pg.ResetIdentityChanged();
      ++identity_epoch_;
    }
    return;
  }
  if (pg.begin_pending()) {  // nothing was sent: nothing to commit
    pg.DropPendingBegin();
    return;
  }
  if (!pg.identity_changed()) {
    pg.ExecuteScript("COMMIT");
    return;
  }
  // Every instance (this one too) hears the change once it is committed; this process advances its own
  // epoch as soon as the COMMIT returns, before the caller answers.
  pg.ExecuteScript("SELECT pg_notify('" + std::string(kIdentityChannel) + "', ''); COMMIT");
  pg.ResetIdentityChanged();
  ++identity_epoch_;
}

void PostgresDatabase::WatchIdentity() {
  std::call_once(identity_listener_once_, [this] {
    identity_listener_ = detail::StartListener(
        ConnInfo(url_), kIdentityChannel, [this](const std::string&) { ++identity_epoch_; }, nullptr,
        [this](bool listening) {
          ++identity_epoch_;  // whatever was cached before (or while the connection was down) is stale
          identity_listening_ = listening;
        });
  });
}

std::optional<std::uint64_t> PostgresDatabase::IdentityEpoch() const {
  if (!identity_listening_) return std::nullopt;
  return identity_epoch_.load();
}

void PostgresDatabase::RollbackOn(Connection& conn) {
  auto& pg = static_cast<PgConnection&>(conn);
  pg.DropQueued();
  if (pg.begin_pending()) {  // nothing was sent: nothing to roll back
    pg.DropPendingBegin();
    return;
  }
  if (pg.broken()) return;
  conn.ExecuteScript("ROLLBACK");
}

std::pair<int, int> PostgresDatabase::PoolUse() const {
  std::lock_guard lock(mutex_);
  return {busy_, open_};
}

int PostgresDatabase::Migrate() {
  auto tx = Write();
  int version = ApplyMigrations(tx->conn(), Dialect::kPostgres, static_cast<std::int64_t>(std::time(nullptr)));
  tx->Commit();
  return version;
}

void PostgresDatabase::Backup(const std::string& path) {
  // A new SQLite file with every table, read from one consistent snapshot (REPEATABLE READ) while the
  // servers keep running; `portico db copy` moves it back.
  if (std::filesystem::exists(path)) {
    throw Error(ErrorCode::kInvalidInput, "backup file " + path + " exists already; name a new file");
  }
  auto target = OpenDatabase("sqlite://" + path, 2);
  CopyDatabase(*this, *target, /*verify=*/false);
}

std::unique_ptr<Listener> PostgresDatabase::Listen(const std::string& channel,
                                                   std::function<void(const std::string&)> on_notify,
                                                   std::function<void()> on_reconnect) {
  return detail::StartListener(url_, channel, std::move(on_notify), std::move(on_reconnect));
}

}  // namespace portico::storage::postgres
