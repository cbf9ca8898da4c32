// PostgreSQL driver on libpq: a pool of connections, statements prepared once per connection (keyed by
// the Sql text), typed parameters (integers int8, reals float8, text and NULL left to the server to infer),
// results read in text format and converted by column type. Errors map like the SQLite driver's:
// unique violation -> kConflict; serialization failure, deadlock, lock timeout and a lost connection ->
// kUnavailable (a lost connection is dropped from the pool; the next Acquire reconnects).
//
// Write transactions are serialised cluster-wide by a transaction-scoped advisory lock taken right after
// BEGIN: every instance on the same database sees one writer at a time, as on SQLite, so the services'
// read-then-write code (version checks, counters, worker cursors) keeps its exactly-one-wins semantics,
// and events commit in id order (readers that follow `id > after` never skip a later-committed lower id).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "storage/db.h"

namespace portico::storage::postgres {

/// The advisory lock key every write transaction holds (pg_advisory_xact_lock).
inline constexpr std::int64_t kWriterLock = 0x706f727469636f;  // "portico"

/// The NOTIFY channel of identity changes (storage::IdentityEpoch): every commit that may have changed
/// what authentication reads sends one, from any instance or CLI command on the database.
inline constexpr const char* kIdentityChannel = "portico_identity";

class PostgresDatabase final : public Database {
 public:
  /// Connects to `url` (postgres://user@host:port/db?...) once to check it; throws Error(kUnavailable).
  PostgresDatabase(std::string url, int pool_size);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  int Migrate() override;
  /// Writes a new SQLite file `path` with every table, from one consistent snapshot (`db copy` restores
  /// it); throws Error(kInvalidInput) when the file exists.
  void Backup(const std::string& path) override;
  std::pair<int, int> PoolUse() const override;
  /// Exact for this process's writes; other processes' are heard through NOTIFY on kIdentityChannel (the
  /// listening connection WatchIdentity starts); nullopt before WatchIdentity and while that connection is
  /// not listening.
  std::optional<std::uint64_t> IdentityEpoch() const override;
  void WatchIdentity() override;
  std::unique_ptr<Listener> Listen(const std::string& channel, std::function<void(const std::string&)> on_notify,
                                   std::function<void()> on_reconnect) override;

 protected:
  std::unique_ptr<Connection> Acquire(bool write) override;
  void Release(std::unique_ptr<Connection> conn, bool write) override;
  void BeginOn(Connection& conn, bool write) override;
  void BeginEachOn(Connection& conn) override;
  void CommitOn(Connection& conn) override;
  void RollbackOn(Connection& conn) override;

 private:
  std::string url_;
  int pool_size_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int busy_ = 0;
  std::atomic<std::uint64_t> identity_epoch_{0};
  std::atomic<bool> identity_listening_{false};
  std::once_flag identity_listener_once_;
  std::unique_ptr<Listener> identity_listener_;
};

/// A plain libpq connection string from a postgres:// URL (libpq accepts URLs directly; this adds a
/// connect timeout and the application name when absent).
std::string ConnInfo(const std::string& url);

}  // namespace portico::storage::postgres
