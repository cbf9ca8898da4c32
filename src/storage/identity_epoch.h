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
/// reads the counter before its database read and is valid while the counter is unchanged. nullopt when
/// other processes write the database unheard by this one (PostgreSQL with several instances): then no
/// such cache may be used. SQLite: exact for this process's writes.
std::optional<std::uint64_t> IdentityEpoch(const Database& db);

}  // namespace portico::storage
