// CSV exports (issue 14; API.md, "Exports and invoices"; PRODUCT.md, "Integrations"): the repairs of the
// caller's row scope with the list's filters, and a unit's history, produced a chunk at a time so that an
// export of every repair holds one chunk in memory. Errors: 400 for an unknown status (as the list),
// 404 for a unit outside the caller's scope.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "policy/actor.h"
#include "policy/policy.h"
#include "services/deps.h"
#include "storage/export_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {

/// The columns of a repairs export, in order (API.md's list first, then materials_total).
const std::vector<std::string>& RepairExportColumns();

/// One export in progress: each Next() reads the next chunk of rows in one short read transaction and
/// returns it as CSV text (the header row first); "" when the export is complete. One caller at a time.
class RepairExport {
 public:
  RepairExport(storage::Database& db, policy::CustomerScope scope, storage::RepairFilter filter);
  std::string Next();
  /// Rows written so far.
  std::int64_t rows() const { return rows_; }

  /// Rows read per chunk (about 0.5 MB of CSV for typical repairs).
  static constexpr std::int64_t kChunkRows = 2000;

 private:
  storage::Database& db_;
  policy::CustomerScope scope_;
  storage::RepairFilter filter_;
  storage::ExportCursor cursor_;
  bool header_done_ = false;
  bool done_ = false;
  std::int64_t rows_ = 0;
};

class ExportService {
 public:
  explicit ExportService(Deps deps) : deps_(deps) {}
  /// GET /repairs/export.csv: validates the filter (400 for an unknown status) and starts the export of the
  /// caller's repairs, oldest first.
  std::unique_ptr<RepairExport> Repairs(const policy::Actor& actor, storage::RepairFilter filter);
  /// GET /units/{id}/history.csv: every repair of the unit, oldest first (404 outside the caller's scope).
  std::unique_ptr<RepairExport> UnitHistory(const policy::Actor& actor, UnitId unit);

 private:
  Deps deps_;
};

}  // namespace portico::services
