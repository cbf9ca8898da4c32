// Schema migrations: one numbered list of SQL scripts embedded in the binary, each in both dialects
// (SQLite and PostgreSQL), applied in order inside the caller's write transaction and recorded in
// schema_migrations. A new table is written once here, for both databases.
#pragma once

#include <cstdint>
#include <span>

#include "storage/db.h"

namespace portico::storage {

/// One migration: its version (1, 2, ...), a short name, and its script per dialect. `postgres` is nullptr
/// only while the PostgreSQL form is missing.
struct Migration {
  int version;
  const char* name;
  const char* sqlite;
  const char* postgres;
};

/// Every migration, in version order.
std::span<const Migration> Migrations();

/// Applies every migration newer than the recorded version with the text of `dialect`; `now` (Unix
/// seconds, UTC) is recorded as applied_at. Returns the resulting version. Throws Error(kInternal) when a
/// migration has no text for the dialect.
int ApplyMigrations(Connection& conn, Dialect dialect, std::int64_t now);

}  // namespace portico::storage
