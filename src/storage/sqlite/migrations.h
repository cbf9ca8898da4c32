// Schema migrations for SQLite: numbered SQL scripts embedded in the binary, applied in order inside the
// caller's write transaction and recorded in schema_migrations.
#pragma once

#include "storage/db.h"

namespace portico::storage::sqlite {

/// Applies every migration newer than the recorded version; returns the resulting version.
int ApplyMigrations(Connection& conn);

}  // namespace portico::storage::sqlite
