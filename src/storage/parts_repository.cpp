#include "storage/parts_repository.h"

namespace portico::storage {
namespace {

#define PART_SELECT                                                                                       \
  "SELECT id, tenant_id, sku, name, unit_cost_cents, quantity_milli, reorder_level_milli, location, active, " \
  "created_at, updated_at FROM parts "
constexpr Sql kListParts{"list_parts",
                         PART_SELECT "WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR LOWER(sku) LIKE $2 "
                                     "OR LOWER(name) LIKE $2) AND ($3 = 0 OR quantity_milli <= reorder_level_milli) "
                                     "ORDER BY sku, id LIMIT 5000"};
constexpr Sql kFindPart{"find_part", PART_SELECT "WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kInsertPart{"insert_part",
                          "INSERT INTO parts (tenant_id, sku, name, unit_cost_cents, quantity_milli, "
                          "reorder_level_milli, location, active, created_at, updated_at) "
                          "VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $8) RETURNING id"};
constexpr Sql kUpdatePart{"update_part",
                          "UPDATE parts SET sku = $3, name = $4, unit_cost_cents = $5, reorder_level_milli = $6, "
                          "location = $7, active = $8, updated_at = $9 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kMoveStock{"move_part_stock",
                         "UPDATE parts SET quantity_milli = quantity_milli + $3, updated_at = $5 "
                         "WHERE tenant_id = $1 AND id = $2 AND quantity_milli + $3 >= 0 AND quantity_milli + $3 <= $4 "
                         "RETURNING quantity_milli"};
constexpr Sql kInsertMovement{"insert_part_movement",
                              "INSERT INTO part_movements (tenant_id, part_id, kind, quantity_milli, repair_id, reason, "
                              "by_user, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"};
constexpr Sql kListMovements{"list_part_movements",
                             "SELECT m.id, m.part_id, m.kind, m.quantity_milli, m.repair_id, m.reason, m.by_user, "
                             "COALESCE(u.name, ''), m.created_at FROM part_movements m "
                             "LEFT JOIN users u ON u.id = m.by_user WHERE m.tenant_id = $1 AND m.part_id = $2 "
                             "ORDER BY m.id LIMIT 10000"};
constexpr Sql kFindMaterialPart{"find_material_part",
                                "SELECT part_id, quantity FROM materials WHERE repair_id = $1 AND id = $2 "
                                "AND part_id IS NOT NULL"};
constexpr Sql kSetMaterialPart{"set_material_part", "UPDATE materials SET part_id = $2 WHERE id = $1"};

PartRecord ReadPart(const Row& r) {
  PartRecord p;
  p.id = r.Int(0);
  p.tenant = TenantId(r.Int(1));
  p.sku = r.Text(2);
  p.name = r.Text(3);
  p.unit_cost_cents = r.Int(4);
  p.quantity_milli = r.Int(5);
  p.reorder_level_milli = r.Int(6);
  p.location = r.Text(7);
  p.active = r.Bool(8);
  p.created_at = r.Int(9);
  p.updated_at = r.Int(10);
  return p;
}

std::string Lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::vector<PartRecord> ListParts(Connection& c, TenantId tenant, const std::optional<std::string>& q, bool low_stock) {
  Value like = nullptr;
  if (q && !q->empty()) {
    std::string escaped;
    for (char ch : Lower(*q)) {
      if (ch == '%' || ch == '_') continue;  // wildcards in the search text are matched as nothing
      escaped.push_back(ch);
    }
    like = "%" + escaped + "%";
  }
  std::vector<PartRecord> out;
  for (const auto& r : c.Query(kListParts, {tenant.value, like, std::int64_t{low_stock}})) out.push_back(ReadPart(r));
  return out;
}

std::optional<PartRecord> FindPart(Connection& c, TenantId tenant, std::int64_t id) {
  auto r = c.QueryOne(kFindPart, {tenant.value, id});
  if (!r) return std::nullopt;
  return ReadPart(*r);
}

std::int64_t InsertPart(Connection& c, const PartRecord& p) {
  return c.QueryOne(kInsertPart, {p.tenant.value, p.sku, p.name, p.unit_cost_cents, p.reorder_level_milli, p.location,
                                  std::int64_t{p.active}, p.created_at})
      ->Int(0);
}

void UpdatePart(Connection& c, const PartRecord& p) {
  c.Execute(kUpdatePart, {p.tenant.value, p.id, p.sku, p.name, p.unit_cost_cents, p.reorder_level_milli, p.location,
                          std::int64_t{p.active}, p.updated_at});
}

std::optional<std::int64_t> MoveStock(Connection& c, TenantId tenant, std::int64_t part, std::int64_t delta,
                                      std::int64_t max, UnixSeconds now) {
  auto r = c.QueryOne(kMoveStock, {tenant.value, part, delta, max, now});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::int64_t InsertMovement(Connection& c, TenantId tenant, const PartMovementRecord& m) {
  return c.QueryOne(kInsertMovement, {tenant.value, m.part, m.kind, m.quantity_milli,
                                      m.repair ? Value(m.repair->value) : Value(nullptr), m.reason,
                                      m.by ? Value(m.by->value) : Value(nullptr), m.created_at})
      ->Int(0);
}

std::vector<PartMovementRecord> ListMovements(Connection& c, TenantId tenant, std::int64_t part) {
  std::vector<PartMovementRecord> out;
  for (const auto& r : c.Query(kListMovements, {tenant.value, part})) {
    PartMovementRecord m;
    m.id = r.Int(0);
    m.part = r.Int(1);
    m.kind = r.Text(2);
    m.quantity_milli = r.Int(3);
    if (auto v = r.OptInt(4)) m.repair = RepairId(*v);
    m.reason = r.Text(5);
    if (auto v = r.OptInt(6)) m.by = UserId(*v);
    m.by_name = r.Text(7);
    m.created_at = r.Int(8);
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<MaterialPart> FindMaterialPart(Connection& c, RepairId repair, std::int64_t material_id) {
  auto r = c.QueryOne(kFindMaterialPart, {repair.value, material_id});
  if (!r) return std::nullopt;
  return MaterialPart{r->Int(0), r->Real(1)};
}

void SetMaterialPart(Connection& c, std::int64_t material_id, std::int64_t part) {
  c.Execute(kSetMaterialPart, {material_id, part});
}

}  // namespace portico::storage
