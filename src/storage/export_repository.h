// Reads for the CSV exports (API.md, "Exports and invoices"): repairs in the caller's row scope with the
// list's filters, a chunk at a time, walked by a keyset cursor (created_at, id) so that each chunk is one
// short read transaction and the whole export holds one chunk in memory.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "storage/db.h"
#include "storage/repairs_repository.h"

namespace portico::storage {

/// One exported repair, with names instead of ids where a spreadsheet wants them.
struct ExportRow {
  std::int64_t id = 0;
  std::string customer;
  std::string unit_number;
  std::string status;
  std::string description;
  std::string damage_type;
  std::int64_t priority = 0;
  UnixSeconds created_at = 0;
  std::string repair_date;
  std::string technician;  // "" when unassigned
  std::int64_t cost_cents = 0;  // as recorded (the caller shows 0 before completion, as the API does)
  std::int64_t materials_cents = 0;
  bool imported = false;  // imported history keeps its recorded cost
};

/// Where the next chunk starts: after (created_at, id), oldest first.
struct ExportCursor {
  UnixSeconds created_at = std::numeric_limits<std::int64_t>::min();
  std::int64_t id = 0;
};

/// At most `limit` repairs in `scope` matching `filter` (statuses, customer, unit, technician, q; the
/// ordering is ignored: exports are oldest first) that come after `cursor` in (created_at, id) order.
std::vector<ExportRow> ExportRepairsAfter(Connection& c, const policy::CustomerScope& scope, const RepairFilter& filter,
                                          const ExportCursor& cursor, std::int64_t limit);

}  // namespace portico::storage
