// Imports customers, units and repairs into a tenant (CLI.md, `portico import repairs`; issue 3, Import).
// Rows come from a CSV through a Mapping, or from any other source of ImportedRepair (the demo's
// generator). Idempotent: a repair's external reference (e.g. the work order number) is unique per
// tenant, so a re-run skips what is already there. Historical COMPLETED repairs count towards their
// unit's repair count. Commits in batches; a dry run rolls everything back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "import/mapping.h"
#include "storage/db.h"

namespace portico::importer {

struct ImportReport {
  std::int64_t rows_read = 0;
  std::int64_t customers_created = 0;
  std::int64_t units_created = 0;
  std::int64_t repairs_created = 0;
  std::int64_t already_imported = 0;  // external reference seen before (earlier run or earlier row)
  std::int64_t skipped = 0;
  std::map<std::string, std::int64_t> skipped_by_reason;  // code -> count
  std::vector<std::string> first_skips;                   // "row 12: bad_date: ..." (first 10)
  std::int64_t with_cost = 0;
  std::int64_t without_cost = 0;
  std::map<std::string, std::int64_t> without_cost_by_reason;
  double seconds = 0;
};

/// Progress: records done and, when known, bytes read of total.
using ImportProgress = std::function<void(std::int64_t records, std::int64_t bytes_read, std::int64_t total_bytes)>;

/// Writes ImportedRepair records into one tenant.
class RepairImporter {
 public:
  /// Throws Error(kNotFound) for an unknown tenant slug.
  RepairImporter(storage::Database& db, const Clock& clock, const std::string& tenant_slug, bool dry_run,
                 std::string source_name);
  ~RepairImporter();

  /// Adds one record (committed in batches).
  void Add(const ImportedRepair& r, std::int64_t row_number);
  /// Records a skipped row.
  void Skip(const SkipReason& reason, std::int64_t row_number);
  /// Commits (or, dry run, rolls back) what is left and returns the report.
  ImportReport Finish();
  ImportReport& report() { return report_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  ImportReport report_;
};

/// Reads `file` (CSV, plain or gzip) through the mapping at `mapping_path` into the tenant. Throws
/// Error(kInvalidInput) with one line when the file is not CSV, the mapping is invalid or names columns
/// the file lacks.
ImportReport ImportRepairsFromCsv(storage::Database& db, const Clock& clock, const std::string& file,
                                  const std::string& tenant_slug, const std::string& mapping_path, bool dry_run,
                                  const ImportProgress& progress);

/// The report as the CLI prints it (several lines).
std::string FormatReport(const ImportReport& report, bool dry_run);

}  // namespace portico::importer
