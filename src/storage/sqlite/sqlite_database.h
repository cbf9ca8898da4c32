// SQLite driver: WAL mode, foreign keys on, busy timeout; a pool of reader connections and one writer
// connection serialised by a mutex (SQLite has one writer at a time; waiting on our mutex is cheaper and
// fairer than SQLite's busy-sleep loop).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
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

 protected:
  std::unique_ptr<Connection> Acquire(bool write) override;
  void Release(std::unique_ptr<Connection> conn, bool write) override;
  void BeginOn(Connection& conn, bool write) override;
  void CommitOn(Connection& conn) override;
  void RollbackOn(Connection& conn) override;

 private:
  std::unique_ptr<Connection> Open();

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
};

}  // namespace portico::storage::sqlite
