// PgConnection (pg_connection.h): connecting, running statements (prepared, pipelined with a deferred
// BEGIN and ExecuteLater statements), converting result rows, and mapping PostgreSQL errors to Error.
#include "storage/postgres/pg_connection.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/error.h"
#include "storage/identity_epoch.h"

namespace portico::storage::postgres::detail {
namespace {

// Type OIDs (server/catalog/pg_type.h).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
                kNumeric = 1700;

/// The session settings every pooled connection gets: waits for a lock end with kUnavailable (like SQLite's
/// busy timeout) instead of hanging a request.
constexpr const char* kSessionSetup = "SET lock_timeout = '15s'; SET client_min_messages = warning;";

bool ConnectionLost(PGconn* conn, const char* state) {
  if (PQstatus(conn) == CONNECTION_BAD) return true;
  if (!state) return false;
  return std::strncmp(state, "08", 2) == 0 || std::strcmp(state, "57P01") == 0 ||
         std::strcmp(state, "57P02") == 0 || std::strcmp(state, "57P03") == 0;
}

/// A statement's Sql::plan, where an unmarked `INSERT ... VALUES` (no SELECT in it) counts as kEither: it
/// has no plan to choose.
PlanChoice PlanOf(const Sql& sql) {
  if (sql.plan != PlanChoice::kAuto) return sql.plan;
  thread_local std::unordered_map<const char*, PlanChoice> memo;
  auto [it, fresh] = memo.try_emplace(sql.text, PlanChoice::kAuto);
  if (fresh) {
    const std::string_view text(sql.text);
    if (text.starts_with("INSERT INTO ") && text.find("SELECT") == std::string_view::npos) {
      it->second = PlanChoice::kEither;
    }
  }
  return it->second;
}

}  // namespace

PgConnection::PgConnection(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(ErrorCode::kUnavailable, "The database is unavailable; try again.", "connect: " + msg);
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  ExecuteScript(kSessionSetup);
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

bool PgConnection::Reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  cache_.clear();
  broken_ = false;
  session_generic_ = false;
  try {
    ExecuteScript(kSessionSetup);
  } catch (const Error&) {
    return false;
  }
  return true;
}

std::vector<Row> PgConnection::Query(const Sql& sql, Params params) {
  return Run(sql, params.begin(), params.end(), nullptr);
}

std::vector<Row> PgConnection::QueryV(const Sql& sql, const std::vector<Value>& params) {
  return Run(sql, params.data(), params.data() + params.size(), nullptr);
}

std::int64_t PgConnection::Execute(const Sql& sql, Params params) {
  std::int64_t changes = 0;
  Run(sql, params.begin(), params.end(), &changes);
  return changes;
}

std::int64_t PgConnection::ExecuteV(const Sql& sql, const std::vector<Value>& params) {
  std::int64_t changes = 0;
  Run(sql, params.data(), params.data() + params.size(), &changes);
  return changes;
}

void PgConnection::ExecuteScript(std::string_view script) {
  if (!pending_begin_.empty()) {
    SendPendingBegin(script);
    return;
  }
  Exec(script);
}

void PgConnection::DeferBegin(const std::string& begin) {
  pending_begin_ = begin;
  queued_.clear();
  autocommit_ = false;
  identity_changed_ = false;
  generic_plans_ = session_generic_;  // a SET LOCAL ends with its transaction: the session's mode again
}

void PgConnection::StartAutocommit() {
  pending_begin_.clear();
  queued_.clear();
  autocommit_ = true;
  identity_changed_ = false;
  generic_plans_ = session_generic_;
}

void PgConnection::ExecuteLater(const Sql& sql, Params params) {
  if (autocommit_) {
    Execute(sql, params);
    return;
  }
  if (!identity_changed_ && ChangesIdentity(sql)) identity_changed_ = true;
  Command command;
  command.prepared = Prepare(sql, params.begin(), params.end());
  command.params = ParamTexts(params.begin(), params.end());
  command.what = sql.name;
  queued_.push_back(std::move(command));
}

void PgConnection::Flush(const std::vector<std::string>& tail) {
  auto commands = TakeQueued();
  for (const auto& t : tail) commands.push_back(Command{t, {}, {}, "commit"});
  PQclear(Pipelined(commands));
}

void PgConnection::Exec(std::string_view script) {
  std::string s(script);
  PGresult* res = PQexec(conn_, s.c_str());
  Check(res, "script");
  // PQexec returns the last result; earlier failures stop the script and are reported in it.
  PQclear(res);
}

void PgConnection::SendPendingBegin(std::string_view then) {
  std::string script = std::move(pending_begin_);
  pending_begin_.clear();
  if (!then.empty()) {
    script += "; ";
    script += then;
  }
  try {
    Exec(script);
  } catch (const Error&) {
    if (!broken() || !Reconnect()) throw;
    Exec(script);
  }
}

void PgConnection::Check(PGresult* res, const char* what) {
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  if (ConnectionLost(conn_, state)) broken_ = true;
  if (res) PQclear(res);
  if (broken_) throw Error(ErrorCode::kUnavailable, "The database is unavailable; try again.", msg);
  if (code == "23505") throw Error(ErrorCode::kConflict, "A record with these values already exists.", msg);
  if (code == "40001" || code == "40P01" || code == "55P03" || code == "57014") {
    throw Error(ErrorCode::kUnavailable, "The database is busy; try again.", msg);
  }
  throw Error::Internal(msg);
}

const std::string& PgConnection::Prepare(const Sql& sql, const Value* begin, const Value* end) {
  auto it = cache_.find(sql.text);
  if (it != cache_.end()) return it->second;
  std::vector<Oid> types;
  for (const Value* v = begin; v != end; ++v) {
    types.push_back(std::holds_alternative<std::int64_t>(*v) ? kInt8
                    : std::holds_alternative<double>(*v)     ? kFloat8
                                                             : Oid{0});
  }
  std::string name = "s" + std::to_string(cache_.size() + 1);
  PGresult* res = PQprepare(conn_, name.c_str(), sql.text, static_cast<int>(types.size()), types.data());
  Check(res, sql.name);
  PQclear(res);
  return cache_.emplace(sql.text, std::move(name)).first->second;
}

PgConnection::ParamTexts::ParamTexts(const Value* begin, const Value* end) {
  for (const Value* v = begin; v != end; ++v) {
    is_null.push_back(std::holds_alternative<std::nullptr_t>(*v));
    std::string& text = texts.emplace_back();
    if (auto x = std::get_if<std::int64_t>(v)) {
      text = std::to_string(*x);
    } else if (auto d = std::get_if<double>(v)) {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, *d);
      text.assign(buf, r.ptr);
    } else if (auto str = std::get_if<std::string>(v)) {
      text = *str;
    }
  }
}

std::vector<const char*> PgConnection::ParamTexts::Pointers() const {
  std::vector<const char*> out(texts.size(), nullptr);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!is_null[i]) out[i] = texts[i].c_str();
  }
  return out;
}

std::vector<PgConnection::Command> PgConnection::TakeQueued() {
  std::vector<Command> commands;
  for (std::string_view rest = pending_begin_; !rest.empty();) {
    const auto semicolon = rest.find("; ");
    commands.push_back(Command{std::string(rest.substr(0, semicolon)), {}, {}, "begin"});
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 2);
  }
  pending_begin_.clear();
  for (auto& q : queued_) commands.push_back(std::move(q));
  queued_.clear();
  return commands;
}

PGresult* PgConnection::Pipelined(const std::vector<Command>& commands) {
  if (PQenterPipelineMode(conn_) != 1) Check(nullptr, "pipeline");
  bool sent = true;
  for (const auto& c : commands) {
    if (!sent) break;
    if (c.prepared.empty()) {
      sent = PQsendQueryParams(conn_, c.text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    } else {
      const auto values = c.params.Pointers();
      sent = PQsendQueryPrepared(conn_, c.prepared.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0) == 1;
    }
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  // Every result up to the Sync's is read, whatever happened, so the connection leaves pipeline mode clean.
  // A NULL ends each command's results.
  PGresult* result = nullptr;
  PGresult* failure = nullptr;
  const char* failed = "pipeline";
  for (std::size_t index = 0; sent;) {
    PGresult* r = PQgetResult(conn_);
    if (!r) {
      if (PQstatus(conn_) != CONNECTION_OK || ++index > commands.size()) break;
      continue;
    }
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    const bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (ok && index + 1 == commands.size() && !result) {
      result = r;
    } else if (!ok && st != PGRES_PIPELINE_ABORTED && !failure) {
      failure = r;
      if (index < commands.size()) failed = commands[index].what;
    } else {
      PQclear(r);
    }
  }
  for (int i = 0; PQexitPipelineMode(conn_) != 1 && i < 16; ++i) {  // results still pending: drop them
    if (PGresult* r = PQgetResult(conn_)) {
      PQclear(r);
    } else if (PQstatus(conn_) != CONNECTION_OK) {
      break;
    }
  }
  if (failure || !result) {
    if (result) PQclear(result);
    if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) broken_ = true;  // never reuse it half-way
    Check(failure, failed);  // throws (no result at all: the connection's error)
  }
  return result;
}

PGresult* PgConnection::RunPipelined(const Sql& sql, PlanChoice plan, const Value* begin, const Value* end) {
  const bool first = !pending_begin_.empty() && queued_.empty();
  if (!pending_begin_.empty()) generic_plans_ = session_generic_;
  auto commands = TakeQueued();
  bool session_set = false;
  if (plan != PlanChoice::kEither && (plan == PlanChoice::kGeneric) != generic_plans_) {
    // Outside a transaction block (ReadEach) the session's mode changes; inside, the transaction's.
    const char* mode = plan == PlanChoice::kGeneric ? "force_generic_plan" : "auto";
    commands.push_back(Command{std::string(autocommit_ ? "SET plan_cache_mode = " : "SET LOCAL plan_cache_mode = ") +
                                   mode,
                               {}, {}, "plan mode"});
    generic_plans_ = plan == PlanChoice::kGeneric;
    if (autocommit_) {
      session_generic_ = generic_plans_;
      session_set = true;
    }
  }
  for (int attempt = 0;; ++attempt) {
    bool pushed = false;
    try {
      Command main;
      main.prepared = Prepare(sql, begin, end);  // outside the pipeline (once per connection)
      main.params = ParamTexts(begin, end);
      main.what = sql.name;
      commands.push_back(std::move(main));
      pushed = true;
      return Pipelined(commands);
    } catch (const Error&) {
      // A session SET and the statement form one implicit transaction: when the statement fails the SET is
      // undone too, and the session's mode is no longer known. Such a connection is not pooled again.
      if (session_set) broken_ = true;
      if (pushed) commands.pop_back();  // prepared again on the new connection
      if (!first || attempt > 0 || !broken() || !Reconnect()) throw;
    }
  }
}

std::vector<Row> PgConnection::Run(const Sql& sql, const Value* begin, const Value* end, std::int64_t* changes) {
  constexpr std::string_view kGeneric = "SET LOCAL plan_cache_mode = force_generic_plan";
  const PlanChoice plan = PlanOf(sql);
  PGresult* res = nullptr;
  const bool switch_session_plan =
      autocommit_ && plan != PlanChoice::kEither && (plan == PlanChoice::kGeneric) != generic_plans_;
  // BEGIN, ExecuteLater statements, a session plan mode: in the statement's round trip.
  if (!pending_begin_.empty() || !queued_.empty() || switch_session_plan) {
    if (!identity_changed_ && ChangesIdentity(sql)) identity_changed_ = true;
    res = RunPipelined(sql, plan, begin, end);
  } else {
    if (broken()) throw Error(ErrorCode::kUnavailable, "The database is unavailable; try again.", "connection lost");
    if (!identity_changed_ && ChangesIdentity(sql)) identity_changed_ = true;
    // Sql::plan; a SET LOCAL only when the statement cares and the mode in force differs (none outside a
    // transaction block, where it would have no effect).
    if (!autocommit_ && plan != PlanChoice::kEither && (plan == PlanChoice::kGeneric) != generic_plans_) {
      Exec(plan == PlanChoice::kGeneric ? kGeneric : "SET LOCAL plan_cache_mode = auto");
      generic_plans_ = plan == PlanChoice::kGeneric;
    }
    const std::string& name = Prepare(sql, begin, end);
    const ParamTexts params(begin, end);
    const auto values = params.Pointers();
    res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
    Check(res, sql.name);
  }
  std::vector<Row> rows;
  const int nrows = PQntuples(res), ncols = PQnfields(res);
  rows.reserve(static_cast<std::size_t>(nrows));
  std::vector<Oid> col_types(static_cast<std::size_t>(ncols));
  for (int c = 0; c < ncols; ++c) col_types[static_cast<std::size_t>(c)] = PQftype(res, c);
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> vals;
    vals.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        vals.emplace_back(nullptr);
        continue;
      }
      const char* text = PQgetvalue(res, r, c);
      const int len = PQgetlength(res, r, c);
      switch (col_types[static_cast<std::size_t>(c)]) {
        case kInt2: case kInt4: case kInt8: case kOid: {
          std::int64_t x = 0;
          std::from_chars(text, text + len, x);
          vals.emplace_back(x);
          break;
        }
        case kBool: vals.emplace_back(std::int64_t{text[0] == 't'}); break;
        case kFloat4: case kFloat8: vals.emplace_back(std::strtod(text, nullptr)); break;
        case kNumeric: {
          if (std::memchr(text, '.', static_cast<std::size_t>(len)) == nullptr) {
            std::int64_t x = 0;
            std::from_chars(text, text + len, x);
            vals.emplace_back(x);
          } else {
            vals.emplace_back(std::strtod(text, nullptr));
          }
          break;
        }
        default: vals.emplace_back(std::string(text, static_cast<std::size_t>(len)));
      }
    }
    rows.emplace_back(std::move(vals));
  }
  if (changes) {
    const char* t = PQcmdTuples(res);
    *changes = (t && *t) ? std::atoll(t) : 0;
  }
  PQclear(res);
  return rows;
}

}  // namespace portico::storage::postgres::detail
