// SQLite driver: WAL mode, foreign keys on, busy timeout; a pool of reader connections and one writer
// connection serialised by a mutex (SQLite has one writer at a time; waiting on our mutex is cheaper and
// fairer than SQLite's busy-sleep loop).
//
// Group commit: with synchronous=FULL every COMMIT waits for an fsync. Write transactions that queue
// for the writer therefore share one SQLite transaction: each request runs in its own SAVEPOINT (its
// rollback undoes only its own changes); a request that commits while another waits for the writer
// releases its savepoint, hands the writer on and waits; the last of the batch (nobody waiting, or 64
// requests) COMMITs once for all and wakes them. Commit() returns only once the batch is durable, and
// throws for every request of a batch whose COMMIT failed, so nothing is acknowledged before it is on disk.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/db.h"

struct sqlite3;

namespace portico::storage::sqlite {

class SqliteDatabase final : public Database {
 public:
  /// Opens (creating if needed) the file at `path`, and its folder; every connection runs in WAL mode with
  /// `synchronous` FULL or NORMAL. Throws Error(kUnavailable).
  SqliteDatabase(std::string path, int pool_size, Synchronous synchronous = Synchronous::kFull);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  int Migrate() override;
  void Backup(const std::string& path) override;
  std::pair<int, int> PoolUse() const override;
  /// storage::IdentityEpoch (identity_epoch.h). Exact for this process's writes (the CLI in another
  /// process is not heard; services/actor_cache.h bounds that by its time to live).
  std::optional<std::uint64_t> IdentityEpoch() const override { return identity_epoch_.load(); }

 protected:
  std::unique_ptr<Connection> Acquire(bool write) override;
  void Release(std::unique_ptr<Connection> conn, bool write) override;
  void BeginOn(Connection& conn, bool write) override;
  void CommitOn(Connection& conn) override;
  void RollbackOn(Connection& conn) override;

 private:
  std::unique_ptr<Connection> Open();
  /// COMMITs the open batch on the writer and wakes its waiting requests (with the outcome). Holder of
  /// writer_mutex_ only. Rethrows a failed COMMIT (after rolling the batch back).
  void FinishBatch();
  /// Marks the open batch lost (SQLite rolled the whole transaction back) and wakes its waiters.
  void LoseBatch();

  std::string path_;
  int pool_size_;
  Synchronous synchronous_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_readers_ = 0;
  int busy_ = 0;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  // Group commit. batch_open_/batch_size_: writer_mutex_ holder only; the rest under commit_mutex_.
  std::atomic<int> writers_waiting_{0};
  bool batch_open_ = false;
  int batch_size_ = 0;
  std::mutex commit_mutex_;
  std::condition_variable batch_done_;
  std::uint64_t batch_ = 0;     // number of the open (or last) batch
  std::uint64_t finished_ = 0;  // batches up to this one are finished
  std::unordered_set<std::uint64_t> failed_;
  std::atomic<std::uint64_t> identity_epoch_{0};
};

}  // namespace portico::storage::sqlite
