// The bulk writes of `portico import repairs`: keyed lookups of what a tenant already has, and
// inserts that skip repairs already imported (external reference unique per tenant).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

/// (key, id) of a tenant's customers; the key is the external reference, else the name.
std::vector<std::pair<std::string, std::int64_t>> ImportCustomerKeys(Connection& c, TenantId tenant);
std::int64_t InsertImportedCustomer(Connection& c, TenantId tenant, const std::string& name, const std::string& key,
                                    UnixSeconds now);

struct ImportUnitRow {
  std::int64_t id = 0;
  std::int64_t customer = 0;
  std::string unit_number;
  std::int64_t repair_count = 0;
};
std::vector<ImportUnitRow> ImportUnits(Connection& c, TenantId tenant);
std::int64_t InsertImportedUnit(Connection& c, TenantId tenant, std::int64_t customer, const std::string& unit_number,
                                const std::string& description, UnixSeconds now);

struct ImportedRepairRow {
  TenantId tenant;
  std::int64_t customer = 0;
  std::int64_t unit = 0;
  std::string unit_number, status, description, damage_type, repair_date;
  std::int64_t priority = 3;
  std::int64_t cost_cents = 0;
  std::optional<std::string> external_ref;
  std::optional<std::string> technician_ref;  // the shop or technician named by the source (not a user)
  UnixSeconds created_at = 0;
  std::string log_note;  // the creation log entry's note
};
/// Inserts the repair with its creation log entry (and, on PostgreSQL, its search entry); nullopt when the
/// tenant already has a repair with that external reference. On SQLite the search entries are written per
/// batch by IndexImportedRepairs before it commits.
std::optional<std::int64_t> InsertImportedRepair(Connection& c, const ImportedRepairRow& r);

/// SQLite: writes the search entries of the repairs with ids first_id..last_id of `tenant` (those the
/// current batch inserted) in one statement; nothing when first_id is 0, or on PostgreSQL. Per-row FTS5
/// inserts were the import's main cost: every later statement of the transaction made FTS5 flush its
/// pending terms (a statement savepoint is a flush point for a virtual table).
void IndexImportedRepairs(Connection& c, TenantId tenant, std::int64_t first_id, std::int64_t last_id);

/// A larger page cache while importing (SQLite: the repairs' indexes are written in scattered order);
/// `bulk` false restores the default. Nothing on PostgreSQL (its cache is the server's).
void SetBulkLoad(Connection& c, bool bulk);

}  // namespace portico::storage
