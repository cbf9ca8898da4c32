// Parts inventory (issue 12; API.md "Parts inventory"): parts with their stock in thousandths and the
// movements that explain it. Every query is limited to one tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "storage/db.h"

namespace portico::storage {

struct PartRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string sku;
  std::string name;
  std::int64_t unit_cost_cents = 0;
  std::int64_t quantity_milli = 0;
  std::int64_t reorder_level_milli = 0;
  std::string location;
  bool active = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct PartMovementRecord {
  std::int64_t id = 0;
  std::int64_t part = 0;
  std::string kind;  // received | used | returned | adjusted
  std::int64_t quantity_milli = 0;  // signed
  std::optional<RepairId> repair;
  std::string reason;
  std::optional<UserId> by;
  std::string by_name;
  UnixSeconds created_at = 0;
};

/// Parts of the tenant by SKU; `q` matches SKU or name (case-insensitive substring), `low_stock` keeps
/// those at or below their reorder level. At most 5000.
std::vector<PartRecord> ListParts(Connection& c, TenantId tenant, const std::optional<std::string>& q, bool low_stock);
std::optional<PartRecord> FindPart(Connection& c, TenantId tenant, std::int64_t id);
/// Throws Error(kConflict) on a duplicate SKU.
std::int64_t InsertPart(Connection& c, const PartRecord& p);
/// Changes the descriptive fields (not the stock). Throws Error(kConflict) on a duplicate SKU.
void UpdatePart(Connection& c, const PartRecord& p);
/// Moves the stock by `delta` only if it stays within [0, max]: a conditional update, so two concurrent
/// uses of the last unit cannot both succeed. Returns the new stock, or nullopt when refused.
std::optional<std::int64_t> MoveStock(Connection& c, TenantId tenant, std::int64_t part, std::int64_t delta,
                                      std::int64_t max, UnixSeconds now);
std::int64_t InsertMovement(Connection& c, TenantId tenant, const PartMovementRecord& m);
/// A part's movements, oldest first (at most 10000).
std::vector<PartMovementRecord> ListMovements(Connection& c, TenantId tenant, std::int64_t part);

/// A material's part and quantity (thousandths), for returning stock when it is removed.
struct MaterialPart {
  std::int64_t part = 0;
  double quantity = 0;
};
std::optional<MaterialPart> FindMaterialPart(Connection& c, RepairId repair, std::int64_t material_id);
/// Records which part a material was taken from.
void SetMaterialPart(Connection& c, std::int64_t material_id, std::int64_t part);

}  // namespace portico::storage
