// A pooled PostgreSQL connection (libpq): prepared statements, the deferred BEGIN sent with a transaction's
// first statement in one pipeline, ExecuteLater statements, and the mapping of PostgreSQL's errors to Error.
// Internal to storage/postgres/: only postgres_database.cpp and pg_listener.cpp include it; the definitions
// are in pg_connection.cpp.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/db.h"

namespace portico::storage::postgres::detail {

/// A libpq notice processor that drops notices (warnings go to the server log, not to stderr).
inline void IgnoreNotice(void*, const char*) {}

class PgConnection final : public Connection {
 public:
  /// Connects and applies the session settings; throws Error(kUnavailable) when the server cannot be reached.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  /// Re-opens a lost connection in place (statements are prepared again on use); false if the server is
  /// still away.
  bool Reconnect();
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  PGconn* handle() { return conn_; }
  /// A statement of the open transaction may have changed identity tables (storage::ChangesIdentity).
  bool identity_changed() const { return identity_changed_; }
  void ResetIdentityChanged() { identity_changed_ = false; }

  std::vector<Row> Query(const Sql& sql, Params params) override;
  std::vector<Row> QueryV(const Sql& sql, const std::vector<Value>& params) override;
  std::int64_t Execute(const Sql& sql, Params params) override;
  std::int64_t ExecuteV(const Sql& sql, const std::vector<Value>& params) override;
  /// Runs a parameterless script; with a deferred BEGIN pending, both go in one round trip.
  void ExecuteScript(std::string_view script) override;

  /// The transaction's BEGIN is sent with its first statement's round trip (and not at all when none
  /// runs): BeginOn only records it. Also resets the per-transaction state.
  void DeferBegin(const std::string& begin);
  /// Database::ReadEach: no transaction block; each statement runs on its own, in the session's plan mode
  /// (switched with a session-level SET, sent in the statement's round trip, when a statement needs the other).
  void StartAutocommit();
  /// True while the open transaction has sent nothing (COMMIT and ROLLBACK have nothing to end), and for
  /// a ReadEach, which has no transaction block to end.
  bool begin_pending() const { return !pending_begin_.empty() || autocommit_; }
  void DropPendingBegin() {
    pending_begin_.clear();
    autocommit_ = false;
  }

  /// A statement whose result nobody reads (an INSERT of a log row): on PostgreSQL it is sent with the
  /// transaction's next statement, or its COMMIT, in one round trip. Its error, if any, fails that statement
  /// (the transaction aborts as a whole, as it would have). For statements with no plan choice: it runs in
  /// whichever plan mode is in force. Outside a transaction block (ReadEach) it runs at once.
  void ExecuteLater(const Sql& sql, Params params) override;
  /// Sends what is queued (the deferred BEGIN, ExecuteLater statements) followed by `tail` (parameterless
  /// commands such as COMMIT) in one round trip.
  void Flush(const std::vector<std::string>& tail);
  void DropQueued() { queued_.clear(); }
  bool has_queued() const { return !queued_.empty(); }

 private:
  /// Bound values as libpq takes them: text, NULL as a null pointer.
  struct ParamTexts {
    ParamTexts() = default;
    ParamTexts(const Value* begin, const Value* end);
    /// The pointers libpq reads (valid while this object is neither changed nor moved).
    std::vector<const char*> Pointers() const;
    std::vector<std::string> texts;
    std::vector<bool> is_null;
  };

  /// One command of a pipeline: a parameterless text, or a prepared statement with its values.
  struct Command {
    std::string text;
    std::string prepared;  // the prepared statement's name, when not empty
    ParamTexts params;
    const char* what = "pipeline";
  };

  void Exec(std::string_view script);
  /// Sends the deferred BEGIN followed by `then` (may be empty) in one round trip. A pooled connection the
  /// server dropped (a restart) is reopened once: nothing of the transaction ran yet.
  void SendPendingBegin(std::string_view then);
  /// Throws the mapped Error for a failed result (and frees it); returns for a successful one.
  void Check(PGresult* res, const char* what);
  /// The name of `sql`'s prepared statement on this connection, prepared on first use.
  const std::string& Prepare(const Sql& sql, const Value* begin, const Value* end);
  /// The deferred BEGIN's commands ("BEGIN; SELECT ..." split) and the ExecuteLater statements, taken out.
  std::vector<Command> TakeQueued();
  /// Sends `commands` in one pipeline (libpq's pipeline mode: each command its own extended-protocol
  /// message, one Sync at the end) and returns the last one's result (the caller clears it), or throws the
  /// mapped Error of the first that failed (the server skips the ones after it).
  PGresult* Pipelined(const std::vector<Command>& commands);
  /// A statement sent with what is queued before it (the deferred BEGIN, ExecuteLater statements) in one
  /// round trip. When the BEGIN was among them and no ExecuteLater statement (prepared on this connection),
  /// a pooled connection the server dropped (a restart) is reopened once: nothing of the transaction ran yet.
  PGresult* RunPipelined(const Sql& sql, PlanChoice plan, const Value* begin, const Value* end);
  /// Runs one statement (pipelined with what is queued, if anything) and converts its rows by column type;
  /// `changes`, when set, receives the affected row count.
  std::vector<Row> Run(const Sql& sql, const Value* begin, const Value* end, std::int64_t* changes);

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  bool identity_changed_ = false;
  bool generic_plans_ = false;  // plan_cache_mode = force_generic_plan in force (SET LOCAL, or the session's)
  bool session_generic_ = false;  // the session's plan_cache_mode (set outside transaction blocks) is generic
  bool autocommit_ = false;     // a ReadEach: statements outside a transaction block
  std::vector<Command> queued_;  // ExecuteLater statements not sent yet
  std::string pending_begin_;   // BEGIN of the open transaction, not sent yet (DeferBegin)
  std::unordered_map<const char*, std::string> cache_;  // Sql text -> prepared statement name
};

}  // namespace portico::storage::postgres::detail
