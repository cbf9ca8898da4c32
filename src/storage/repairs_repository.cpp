#include "storage/repairs_repository.h"

#include <algorithm>

#include "core/error.h"
#include "domain/pricing.h"
#include "storage/customers_repository.h"
#include "storage/scope_sql.h"
#include "storage/shop_repository.h"

namespace portico::storage {
namespace {

// ---- repairs ----
constexpr const char* kRepairSelect =
    "SELECT r.id, r.tenant_id, r.customer_id, c.name, r.unit_id, u.unit_number, u.repair_count, r.technician_id, t.name, "
    "r.status, r.description, r.damage_type, r.priority, r.repair_date, r.drilled_before_repair, "
    "r.windshield_temperature, r.windshield_temperature_unit, r.resin_viscosity, r.labour_cents, "
    "r.price_override_cents, r.materials_cents, r.cost_cents, r.external_ref, r.version, r.created_at, r.updated_at, "
    "a.approved, a.decided_by, d.name, a.decided_at, a.notes, r.change_orders_cents, r.request_id, r.technician_ref, r.board_rank "
    "FROM repairs r JOIN customers c ON c.id = r.customer_id JOIN units u ON u.id = r.unit_id "
    "LEFT JOIN users t ON t.id = r.technician_id LEFT JOIN approvals a ON a.repair_id = r.id "
    "LEFT JOIN users d ON d.id = a.decided_by ";

RepairRecord ReadRepair(const Row& row) {
  RepairRecord r;
  r.id = RepairId(row.Int(0));
  r.tenant = TenantId(row.Int(1));
  r.customer = CustomerId(row.Int(2));
  r.customer_name = row.Text(3);
  r.unit = UnitId(row.Int(4));
  r.unit_number = row.Text(5);
  r.unit_repair_count = row.Int(6);
  if (auto t = row.OptInt(7)) r.technician = UserId(*t);
  r.technician_name = row.Text(8);
  r.status = row.Text(9);
  r.description = row.Text(10);
  r.damage_type = row.Text(11);
  r.priority = row.Int(12);
  r.repair_date = row.Text(13);
  if (!row.IsNull(14)) r.drilled_before_repair = row.Bool(14);
  if (!row.IsNull(15)) r.windshield_temperature = row.Real(15);
  r.windshield_temperature_unit = row.OptText(16);
  r.resin_viscosity = row.OptText(17);
  r.labour_cents = row.OptInt(18);
  r.price_override_cents = row.OptInt(19);
  r.materials_cents = row.Int(20);
  r.cost_cents = row.Int(21);
  r.external_ref = row.OptText(22);
  r.version = row.Int(23);
  r.created_at = row.Int(24);
  r.updated_at = row.Int(25);
  if (!row.IsNull(26)) {
    ApprovalRecord a;
    a.approved = row.Bool(26);
    a.decided_by = UserId(row.Int(27));
    a.decided_by_name = row.Text(28);
    a.decided_at = row.Int(29);
    a.notes = row.Text(30);
    r.approval = a;
  }
  r.change_orders_cents = row.Int(31);
  r.request_id = row.OptInt(32);
  r.technician_ref = row.OptText(33);
  r.board_rank = row.OptText(34);
  return r;
}

constexpr Sql kInsertRepair{
    "insert_repair",
    "INSERT INTO repairs (tenant_id, customer_id, unit_id, technician_id, status, description, damage_type, priority, "
    "repair_date, labour_cents, price_override_cents, materials_cents, cost_cents, external_ref, version, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16) RETURNING id"};
constexpr Sql kUpdateRepair{
    "update_repair",
    "UPDATE repairs SET technician_id = $3, status = $4, description = $5, damage_type = $6, priority = $7, "
    "repair_date = $8, drilled_before_repair = $9, windshield_temperature = $10, windshield_temperature_unit = $11, "
    "resin_viscosity = $12, labour_cents = $13, price_override_cents = $14, materials_cents = $15, cost_cents = $16, "
    "version = version + 1, updated_at = $17, "
    // A move to another column places the card at its top (unranked; issue 12, Board order).
    "board_rank = CASE WHEN status = $4 THEN board_rank ELSE NULL END WHERE id = $1 AND version = $2",
    PlanChoice::kEither};
constexpr Sql kInsertSearch{"insert_repair_search",
                            "INSERT INTO repair_search (rowid, description, unit_number, damage_type) "
                            "VALUES ($1, $2, $3, $4)"};
constexpr Sql kDeleteSearch{"delete_repair_search", "DELETE FROM repair_search WHERE rowid = $1"};
// PostgreSQL: one tsvector per repair ('simple': lower-cased words, no stemming; every run of other characters
// separates words, as FTS5's unicode61 tokenizer does, so "LST18291-200" gives 'lst18291' and '200').
constexpr Sql kInsertSearchPg{"insert_repair_search",
                              "INSERT INTO repair_search (repair_id, doc) "
                              "VALUES ($1, to_tsvector('simple', regexp_replace($2::text || ' ' || $3::text || ' ' || $4::text, "
                              "'[^[:alnum:]]+', ' ', 'g')))"};
constexpr Sql kDeleteSearchPg{"delete_repair_search", "DELETE FROM repair_search WHERE repair_id = $1"};

constexpr Sql kInsertApproval{"insert_approval",
                              "INSERT INTO approvals (repair_id, approved, decided_by, decided_at, notes) "
                              "VALUES ($1, $2, $3, $4, $5)"};
constexpr Sql kInsertLog{"insert_log",
                         "INSERT INTO repair_log (tenant_id, repair_id, previous_status, new_status, changed_by, notes, "
                         "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Sql kListLog{"list_log",
                       "SELECT l.id, l.previous_status, l.new_status, l.changed_by, u.name, l.created_at, l.notes "
                       "FROM repair_log l LEFT JOIN users u ON u.id = l.changed_by WHERE l.repair_id = $1 ORDER BY l.id"};

constexpr Sql kInsertMaterial{"insert_material",
                              "INSERT INTO materials (tenant_id, repair_id, material_type, quantity, unit_cost_cents, "
                              "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};
constexpr Sql kListMaterials{"list_materials",
                             "SELECT id, repair_id, material_type, quantity, unit_cost_cents, created_at, part_id FROM materials "
                             "WHERE repair_id = $1 ORDER BY id"};
constexpr Sql kDeleteMaterial{"delete_material", "DELETE FROM materials WHERE repair_id = $1 AND id = $2"};

constexpr Sql kInsertNote{"insert_note",
                          "INSERT INTO notes (tenant_id, repair_id, author_id, body, visibility, created_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Sql kListNotes{"list_notes",
                         "SELECT n.id, n.repair_id, n.author_id, u.name, n.body, n.visibility, n.created_at FROM notes n "
                         "LEFT JOIN users u ON u.id = n.author_id WHERE n.repair_id = $1 "
                         "AND ($2 = 1 OR n.visibility = 'customer') ORDER BY n.id"};

}  // namespace

std::string FtsQuery(const std::string& text) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += " ";
    out += "\"" + word + "\"*";
    word.clear();
  };
  for (unsigned char ch : text) {
    // Word characters: letters, digits and any non-ASCII byte (UTF-8); everything else separates.
    if (std::isalnum(ch) || ch >= 0x80) {
      word.push_back(static_cast<char>(ch));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string TsQuery(const std::string& text) {
  // The same words as FtsQuery, each a quoted prefix term ('word':*), all required.
  std::string fts = FtsQuery(text);
  std::string out;
  for (std::size_t i = 0; i < fts.size();) {
    auto start = fts.find('"', i);
    if (start == std::string::npos) break;
    auto end = fts.find('"', start + 1);
    if (!out.empty()) out += " & ";
    out += "'" + fts.substr(start + 1, end - start - 1) + "':*";
    i = end + 2;
  }
  return out;
}

// ---- repairs ----

const std::vector<std::string>& RepairOrderings() {
  static const std::vector<std::string> kFields = {"created_at", "updated_at", "repair_date", "priority",
                                                   "id",         "status",     "unit_number", "cost",
                                                   "board_rank"};
  return kFields;
}

std::optional<RepairRecord> FindRepair(Connection& c, const policy::CustomerScope& scope, RepairId id) {
  std::vector<Value> p;
  BindScope(p, scope);
  p.emplace_back(id.value);
  const Sql& sql = ComposedSql(
      "find_repair",
      std::string(kRepairSelect) + "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id") + " AND r.id = " + Param(p),
      PlanChoice::kGeneric);
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  return ReadRepair(rows.front());
}

std::string RepairFilterSql(Connection& c, std::vector<Value>& p, const RepairFilter& f, bool* search) {
  std::string where;
  if (!f.statuses.empty()) where += InList(p, "r.status", f.statuses);
  if (f.customer) {
    p.emplace_back(f.customer->value);
    where += " AND r.customer_id = " + Param(p);
  }
  if (f.unit) {
    p.emplace_back(f.unit->value);
    where += " AND r.unit_id = " + Param(p);
  }
  if (f.technician) {
    p.emplace_back(f.technician->value);
    where += " AND r.technician_id = " + Param(p);
  }
  if (search) *search = false;
  if (f.q) {
    const bool pg = c.dialect() == Dialect::kPostgres;
    auto fts = pg ? TsQuery(*f.q) : FtsQuery(*f.q);
    if (!fts.empty()) {
      p.emplace_back(fts);
      where += pg ? " AND r.id IN (SELECT repair_id FROM repair_search WHERE doc @@ to_tsquery('simple', " +
                        Param(p) + "))"
                  : " AND r.id IN (SELECT rowid FROM repair_search WHERE repair_search MATCH " + Param(p) + ")";
      if (search) *search = true;
    }
  }
  return where;
}

PageOf<RepairRecord> ListRepairs(Connection& c, const policy::CustomerScope& scope, const RepairFilter& f,
                                 const PageRequest& page) {
  std::vector<Value> p;
  BindScope(p, scope);
  bool dense = false;
  if (!scope.all_of_tenant && scope.customers.size() > 1) {
    constexpr std::int64_t kDenseRows = 5000;
    const Sql& rows = ComposedSql("scope_rows",
                                  "SELECT COALESCE(SUM(k.n), 0) FROM repair_counts k WHERE " +
                                      ScopeWhere(scope, "k.tenant_id", "k.customer_id"),
                                  PlanChoice::kGeneric);  // a sum over a few keyed rows
    dense = c.QueryV(rows, p).front().Int(0) > kDenseRows;
  }
  bool search = false;
  std::string where = "WHERE " + ScopeWhere(scope, "r.tenant_id", "r.customer_id", dense) +
                      RepairFilterSql(c, p, f, &search);
  PageOf<RepairRecord> out;
  if (!f.unit && !f.technician && !search) {
    // Scope and status only: the maintained per-customer counts answer without counting rows.
    std::vector<Value> cp;
    BindScope(cp, scope);
    std::string cw = "WHERE " + ScopeWhere(scope, "k.tenant_id", "k.customer_id");
    if (!f.statuses.empty()) cw += InList(cp, "k.status", f.statuses);
    if (f.customer) {
      cp.emplace_back(f.customer->value);
      cw += " AND k.customer_id = " + Param(cp);
    }
    out.count = c.QueryV(ComposedSql("count_repairs_fast", "SELECT COALESCE(SUM(k.n), 0) FROM repair_counts k " + cw,
                                     PlanChoice::kGeneric),  // a sum over a few keyed rows: no plan choice
                         cp)
                    .front()
                    .Int(0);
  } else {
    out.count = c.QueryV(ComposedSql("count_repairs", "SELECT COUNT(*) FROM repairs r " + where), p).front().Int(0);
  }

  // ORDER BY from a whitelist (the caller validated f.ordering against RepairOrderings()).
  bool desc = !f.ordering.empty() && f.ordering.front() == '-';
  std::string field = desc ? f.ordering.substr(1) : f.ordering;
  std::string column = field == "unit_number" ? "u.unit_number" : field == "cost" ? "r.cost_cents" : "r." + field;
  if (std::find(RepairOrderings().begin(), RepairOrderings().end(), field) == RepairOrderings().end()) {
    column = "r.created_at";
    desc = true;
  }
  std::string dir = desc ? " DESC" : " ASC";
  std::string order = " ORDER BY " + column + dir + (column == "r.id" ? "" : ", r.id" + dir);
  if (field == "board_rank") order = BoardOrderBy(c.dialect());  // issue 12
  p.emplace_back(page.page_size);
  std::string limit = " LIMIT " + Param(p);
  p.emplace_back(page.Offset());
  limit += " OFFSET " + Param(p);
  // A page of a scope (optionally one customer or unit) plans the same whatever the values; with a status,
  // technician or search filter the best plan depends on how many rows match (a technician may have none or
  // most), so it is planned each time.
  const bool generic = f.statuses.empty() && !f.technician && !search;
  const Sql& sql = ComposedSql("list_repairs", kRepairSelect + where + order + limit,
                               generic ? PlanChoice::kGeneric : PlanChoice::kAuto);
  for (const auto& r : c.QueryV(sql, p)) out.results.push_back(ReadRepair(r));
  return out;
}

RepairId InsertRepair(Connection& c, const RepairRecord& r) {
  auto id = RepairId(
      c.QueryOne(kInsertRepair,
                 {r.tenant.value, r.customer.value, r.unit.value,
                  r.technician ? Value(r.technician->value) : Value(nullptr), r.status, r.description, r.damage_type,
                  r.priority, r.repair_date, Nullable(r.labour_cents), Nullable(r.price_override_cents),
                  r.materials_cents, r.cost_cents, Nullable(r.external_ref), r.created_at, r.updated_at})
          ->Int(0));
  const bool pg = c.dialect() == Dialect::kPostgres;
  c.Execute(pg ? kInsertSearchPg : kInsertSearch, {id.value, r.description, r.unit_number, r.damage_type});
  return id;
}

bool UpdateRepair(Connection& c, const RepairRecord& r, UnixSeconds now, bool search_changed) {
  auto changed = c.Execute(
      kUpdateRepair,
      {r.id.value, r.version, r.technician ? Value(r.technician->value) : Value(nullptr), r.status, r.description,
       r.damage_type, r.priority, r.repair_date,
       r.drilled_before_repair ? Value(std::int64_t{*r.drilled_before_repair}) : Value(nullptr),
       r.windshield_temperature ? Value(*r.windshield_temperature) : Value(nullptr),
       Nullable(r.windshield_temperature_unit), Nullable(r.resin_viscosity), Nullable(r.labour_cents),
       Nullable(r.price_override_cents), r.materials_cents, r.cost_cents, now});
  if (changed == 0) return false;
  if (search_changed) {
    const bool pg = c.dialect() == Dialect::kPostgres;
    c.Execute(pg ? kDeleteSearchPg : kDeleteSearch, {r.id.value});
    c.Execute(pg ? kInsertSearchPg : kInsertSearch, {r.id.value, r.description, r.unit_number, r.damage_type});
  }
  return true;
}

RepairRecord AsUpdated(RepairRecord written, const std::string& stored_status, UnixSeconds now) {
  written.version += 1;
  written.updated_at = now;
  if (written.status != stored_status) written.board_rank.reset();  // kUpdateRepair's CASE
  return written;
}

std::optional<UserId> RepairTechnician(Connection& c, RepairId id) {
  static constexpr Sql kTechnician{"repair_technician", "SELECT technician_id FROM repairs WHERE id = $1"};
  auto row = c.QueryOne(kTechnician, {id.value});
  if (!row || row->IsNull(0)) return std::nullopt;
  return UserId(row->Int(0));
}

std::vector<CustomerId> LargestCustomers(Connection& c, TenantId tenant, std::int64_t limit) {
  static constexpr Sql kLargest{"largest_customers",
                                "SELECT c.id FROM customers c LEFT JOIN repair_counts k ON k.customer_id = c.id "
                                "WHERE c.tenant_id = $1 GROUP BY c.id ORDER BY COALESCE(SUM(k.n), 0) DESC, c.id LIMIT $2"};
  std::vector<CustomerId> out;
  for (const auto& r : c.Query(kLargest, {tenant.value, limit})) out.emplace_back(r.Int(0));
  return out;
}

void InsertApproval(Connection& c, RepairId repair, bool approved, UserId by, UnixSeconds at, const std::string& notes) {
  c.Execute(kInsertApproval, {repair.value, std::int64_t{approved}, by.value, at, notes});
}

void InsertLog(Connection& c, TenantId tenant, RepairId repair, const std::optional<std::string>& previous,
               const std::string& next, std::optional<UserId> by, const std::string& notes, UnixSeconds at) {
  // Nothing reads its result: on PostgreSQL it goes with the transaction's next statement.
  c.ExecuteLater(kInsertLog, {tenant.value, repair.value, Nullable(previous), next,
                              by ? Value(by->value) : Value(nullptr), notes, at});
}

std::vector<LogEntry> ListLog(Connection& c, RepairId repair) {
  std::vector<LogEntry> out;
  for (const auto& r : c.Query(kListLog, {repair.value})) {
    LogEntry e;
    e.id = r.Int(0);
    e.previous_status = r.OptText(1);
    e.new_status = r.Text(2);
    if (auto by = r.OptInt(3)) e.changed_by = UserId(*by);
    e.changed_by_name = r.Text(4);
    e.timestamp = r.Int(5);
    e.notes = r.Text(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t InsertMaterial(Connection& c, TenantId tenant, const MaterialRecord& m, UserId by) {
  return c.QueryOne(kInsertMaterial, {tenant.value, m.repair.value, m.material_type, m.quantity, m.unit_cost_cents,
                                      by.value, m.created_at})
      ->Int(0);
}

std::vector<MaterialRecord> ListMaterials(Connection& c, RepairId repair) {
  std::vector<MaterialRecord> out;
  for (const auto& r : c.Query(kListMaterials, {repair.value})) {
    MaterialRecord m;
    m.id = r.Int(0);
    m.repair = RepairId(r.Int(1));
    m.material_type = r.Text(2);
    m.quantity = r.Real(3);
    m.unit_cost_cents = r.Int(4);
    m.created_at = r.Int(5);
    m.part_id = r.OptInt(6);
    out.push_back(std::move(m));
  }
  return out;
}

bool DeleteMaterial(Connection& c, RepairId repair, std::int64_t material_id) {
  return c.Execute(kDeleteMaterial, {repair.value, material_id}) > 0;
}

std::int64_t SumMaterials(Connection& c, RepairId repair) {
  std::int64_t total = 0;
  for (const auto& m : ListMaterials(c, repair)) total += domain::MaterialLineTotal(m.quantity, m.unit_cost_cents);
  return total;
}

std::int64_t InsertNote(Connection& c, TenantId tenant, const NoteRecord& n) {
  return c.QueryOne(kInsertNote, {tenant.value, n.repair.value, n.author ? Value(n.author->value) : Value(nullptr),
                                  n.body, n.visibility, n.created_at})
      ->Int(0);
}

std::vector<NoteRecord> ListNotes(Connection& c, RepairId repair, bool include_internal) {
  std::vector<NoteRecord> out;
  for (const auto& r : c.Query(kListNotes, {repair.value, std::int64_t{include_internal}})) {
    NoteRecord n;
    n.id = r.Int(0);
    n.repair = RepairId(r.Int(1));
    if (auto a = r.OptInt(2)) n.author = UserId(*a);
    n.author_name = r.Text(3);
    n.body = r.Text(4);
    n.visibility = r.Text(5);
    n.created_at = r.Int(6);
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace portico::storage
