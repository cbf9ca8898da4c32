// `portico db copy`: moves a whole installation between databases (SQLite <-> PostgreSQL), verified.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/db.h"

namespace portico::storage {

/// One table's outcome: rows and an order-independent checksum of every row's values, on each side.
struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::uint64_t source_checksum = 0;
  std::uint64_t target_checksum = 0;
  bool ok() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

/// Brings both schemas up to date, refuses a target that holds any row (Error kConflict), copies every
/// table of the source in one target transaction (ids kept; identity sequences moved past them), rebuilds
/// the full-text index (FTS5 on SQLite, tsvector on PostgreSQL), then re-reads both sides and returns the
/// row count and checksum per table. Stop the servers on the source first: rows written during the copy
/// are not copied and show as differences.
/// With `verify` false, the re-reading is skipped (rows and checksums are the source's as copied): for
/// `backup`, whose source keeps changing while the copy is read from one consistent snapshot.
std::vector<TableCopy> CopyDatabase(Database& source, Database& target, bool verify = true);

}  // namespace portico::storage
