#include "storage/import_repository.h"

#include "storage/repairs_repository.h"

namespace portico::storage {
namespace {

constexpr Sql kTenantCustomers{"import_tenant_customers",
                               "SELECT COALESCE(external_ref, name), id FROM customers WHERE tenant_id = $1"};
constexpr Sql kInsertCustomer{"import_insert_customer",
                              "INSERT INTO customers (tenant_id, name, external_ref, created_at, updated_at) "
                              "VALUES ($1, $2, $3, $4, $4) RETURNING id"};
constexpr Sql kTenantUnits{"import_tenant_units",
                           "SELECT id, customer_id, unit_number, repair_count FROM units WHERE tenant_id = $1"};
constexpr Sql kInsertUnit{"import_insert_unit",
                          "INSERT INTO units (tenant_id, customer_id, unit_number, description, repair_count, "
                          "created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id"};
constexpr Sql kInsertRepair{
    "import_insert_repair",
    "INSERT INTO repairs (tenant_id, customer_id, unit_id, status, description, damage_type, priority, repair_date, "
    "cost_cents, external_ref, technician_ref, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, 1, $11, $11) "
    "ON CONFLICT (tenant_id, external_ref) DO NOTHING RETURNING id"};
// SQLite: the same insert without RETURNING (SQLite runs RETURNING through a temporary table that it
// creates and drops for every row, which tripled the cost of an import), then the new row's id.
constexpr Sql kInsertRepairSqlite{
    "import_insert_repair_sqlite",
    "INSERT INTO repairs (tenant_id, customer_id, unit_id, status, description, damage_type, priority, repair_date, "
    "cost_cents, external_ref, technician_ref, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, 1, $11, $11) "
    "ON CONFLICT (tenant_id, external_ref) DO NOTHING"};
// SQLite: the search entries of a batch's repairs in one statement (see IndexImportedRepairs).
constexpr Sql kIndexImportedSqlite{
    "import_index_repairs_sqlite",
    "INSERT INTO repair_search (rowid, description, unit_number, damage_type) "
    "SELECT r.id, r.description, u.unit_number, r.damage_type FROM repairs r JOIN units u ON u.id = r.unit_id "
    "WHERE r.tenant_id = $1 AND r.id BETWEEN $2 AND $3"};
constexpr Sql kLastInsertId{"import_last_insert_id", "SELECT last_insert_rowid()"};
constexpr Sql kInsertSearch{"import_insert_search",
                            "INSERT INTO repair_search (rowid, description, unit_number, damage_type) "
                            "VALUES ($1, $2, $3, $4)"};
constexpr Sql kInsertSearchPg{"import_insert_search",
                              "INSERT INTO repair_search (repair_id, doc) "
                              "VALUES ($1, to_tsvector('simple', regexp_replace($2::text || ' ' || $3::text || ' ' || $4::text, "
                              "'[^[:alnum:]]+', ' ', 'g')))"};

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> ImportCustomerKeys(Connection& c, TenantId tenant) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : c.Query(kTenantCustomers, {tenant.value})) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

std::int64_t InsertImportedCustomer(Connection& c, TenantId tenant, const std::string& name, const std::string& key,
                                    UnixSeconds now) {
  return c.QueryOne(kInsertCustomer, {tenant.value, name, key, now})->Int(0);
}

std::vector<ImportUnitRow> ImportUnits(Connection& c, TenantId tenant) {
  std::vector<ImportUnitRow> out;
  for (const auto& r : c.Query(kTenantUnits, {tenant.value})) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3)});
  return out;
}

std::int64_t InsertImportedUnit(Connection& c, TenantId tenant, std::int64_t customer, const std::string& unit_number,
                                const std::string& description, UnixSeconds now) {
  return c.QueryOne(kInsertUnit, {tenant.value, customer, unit_number, description, now})->Int(0);
}

std::optional<std::int64_t> InsertImportedRepair(Connection& c, const ImportedRepairRow& r) {
  const bool sqlite = c.dialect() == Dialect::kSqlite;
  const Params params{r.tenant.value, r.customer,    r.unit,      r.status,   r.description,
                      r.damage_type,  r.priority,    r.repair_date, r.cost_cents, Nullable(r.external_ref),
                      r.created_at,   Nullable(r.technician_ref)};
  std::int64_t id = 0;
  if (sqlite) {
    if (c.Execute(kInsertRepairSqlite, params) == 0) return std::nullopt;
    id = c.QueryOne(kLastInsertId)->Int(0);
  } else {
    auto rows = c.Query(kInsertRepair, params);
    if (rows.empty()) return std::nullopt;
    id = rows.front().Int(0);
  }
  if (!sqlite) c.Execute(kInsertSearchPg, {id, r.description, r.unit_number, r.damage_type});
  InsertLog(c, r.tenant, RepairId(id), std::nullopt, r.status, std::nullopt, r.log_note, r.created_at);
  return id;
}

void IndexImportedRepairs(Connection& c, TenantId tenant, std::int64_t first_id, std::int64_t last_id) {
  if (c.dialect() != Dialect::kSqlite || first_id == 0) return;
  c.Execute(kIndexImportedSqlite, {tenant.value, first_id, last_id});
}

void SetBulkLoad(Connection& c, bool bulk) {
  if (c.dialect() != Dialect::kSqlite) return;
  c.ExecuteScript(bulk ? "PRAGMA cache_size = -131072" : "PRAGMA cache_size = -32000");
}

}  // namespace portico::storage
