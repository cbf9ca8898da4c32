// Issue 16: what tells a cache of authenticated actors (services/actor_cache.h) that it is stale.
#pragma once

#include <cstdint>
#include <optional>

#include "storage/db.h"

namespace portico::storage {

/// True when `sql` may change what authentication reads: a statement other than a plain SELECT that names
/// one of users, sessions, api_tokens, tenants, customers, customer_access. Two statements that only
/// record a session's activity or add a new session (touch_session, insert_session) change nothing a
/// cached actor holds and are exempt. Memoised per statement text (thread-local).
bool ChangesIdentity(const Sql& sql);

/// A counter that advances after every committed write transaction that may have changed what
/// authentication reads (ChangesIdentity), once that commit is visible to readers. A cache keyed on it
/// reads the counter before its database read and is valid while the counter is unchanged. nullopt while
/// this process cannot hear such writes: then no such cache may be used.
/// - SQLite: exact for this process's writes (the CLI in another process is not heard; the caches' time to
///   live bounds that).
/// - PostgreSQL: exact for this process's writes (advanced when the COMMIT returns); the writes of other
///   instances and of the CLI are heard through NOTIFY on the channel `portico_identity`, which every such
///   commit sends, so another instance's cache is stale for at most the notification's delivery time.
///   nullopt while the listening connection is down (and advanced when it is back).
std::optional<std::uint64_t> IdentityEpoch(const Database& db);

}  // namespace portico::storage
