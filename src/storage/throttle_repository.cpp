#include "storage/throttle_repository.h"

namespace portico::storage {
namespace {

// `attempts` counts the window's failures and the attempts still being checked; `failures` only the
// failures. A key is full while attempts reach the limit, locked once failures do.
// $1 key, $2 now, $3 window start cutoff (now - window), $4 limit. The upsert's WHERE refuses a locked
// key or a full window; RETURNING then yields no row. SET expressions read the row as it was.
constexpr Sql kReserve{"throttle_reserve",
                       "INSERT INTO throttle (key, attempts, failures, window_start, locked_until) "
                       "VALUES ($1, 1, 0, $2, 0) ON CONFLICT (key) DO UPDATE SET "
                       "attempts = CASE WHEN throttle.window_start <= $3 THEN 1 ELSE throttle.attempts + 1 END, "
                       "failures = CASE WHEN throttle.window_start <= $3 THEN 0 ELSE throttle.failures END, "
                       "window_start = CASE WHEN throttle.window_start <= $3 THEN $2 ELSE throttle.window_start END "
                       "WHERE throttle.locked_until <= $2 AND (throttle.window_start <= $3 OR throttle.attempts < $4) "
                       "RETURNING attempts"};
constexpr Sql kFailure{"throttle_failure",
                       "UPDATE throttle SET failures = failures + 1, "
                       "locked_until = CASE WHEN failures + 1 >= $2 THEN $3 ELSE locked_until END WHERE key = $1"};
constexpr Sql kSuccess{"throttle_success",
                       "UPDATE throttle SET attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
                       "WHERE key = $1"};
constexpr Sql kPrune{"throttle_prune", "DELETE FROM throttle WHERE window_start < $1 AND locked_until < $1"};

}  // namespace

bool ReserveAttempt(Connection& c, const std::string& key, int limit, UnixSeconds window, UnixSeconds now) {
  return !c.Query(kReserve, {key, now, now - window, std::int64_t{limit}}).empty();
}

void SettleFailure(Connection& c, const std::string& key, int limit, UnixSeconds lock, UnixSeconds now) {
  c.Execute(kFailure, {key, std::int64_t{limit}, now + lock});
}

void SettleSuccess(Connection& c, const std::string& key) { c.Execute(kSuccess, {key}); }

void PruneThrottle(Connection& c, UnixSeconds cutoff) { c.Execute(kPrune, {cutoff}); }

}  // namespace portico::storage
