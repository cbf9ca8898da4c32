// Attempt counters shared by every server instance (login throttling; later sign-up, verify and reset):
// one row per key in `throttle`, changed with single atomic statements so that concurrent attempts, on
// one instance or several, are counted exactly.
#pragma once

#include <string>

#include "core/clock.h"
#include "storage/db.h"

namespace portico::storage {

/// Reserves one attempt for `key`: succeeds (true) unless the key is locked at `now` or already holds
/// `limit` attempts in its window of `window` seconds (a window older than that starts over at 1).
/// The reservation counts as a failure until SettleSuccess takes it back. Atomic in one statement.
bool ReserveAttempt(Connection& c, const std::string& key, int limit, UnixSeconds window, UnixSeconds now);
/// A reserved attempt failed: when the key holds `limit` failures, it is locked until now + `lock`.
void SettleFailure(Connection& c, const std::string& key, int limit, UnixSeconds lock, UnixSeconds now);
/// A reserved attempt succeeded: its own reservation is taken back; other attempts stay counted.
void SettleSuccess(Connection& c, const std::string& key);
/// Deletes keys whose window and lock both ended before `cutoff` (housekeeping).
void PruneThrottle(Connection& c, UnixSeconds cutoff);

}  // namespace portico::storage
