// Parts inventory (issue 12; API.md "Parts inventory"): parts, stock movements, and the stock side of
// materials that name a part (used in the same transaction as the material; never below zero: 409).
// A part reaching its reorder level notifies the managers and writes a part.low_stock event.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/parts_repository.h"

namespace portico::services {

struct PartInput {
  std::optional<std::string> sku, name, unit_cost, location;  // unit_cost: money string
  std::optional<double> reorder_level;
  std::optional<bool> active;
};

struct NewMovement {
  std::string kind;  // received | adjusted
  double quantity = 0;
  std::string reason;
};

class PartsService {
 public:
  explicit PartsService(Deps deps) : deps_(deps) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  /// Staff (403 otherwise).
  std::vector<storage::PartRecord> List(const policy::Actor& actor, const std::optional<std::string>& q, bool low_stock);
  storage::PartRecord Get(const policy::Actor& actor, std::int64_t id);
  /// Admin, manager. sku 1..64, name 1..200, unit_cost money >= 0, reorder_level >= 0 (3 decimals),
  /// location <= 100. A duplicate SKU is 409.
  storage::PartRecord Create(const policy::Actor& actor, const PartInput& in);
  storage::PartRecord Update(const policy::Actor& actor, std::int64_t id, const PartInput& in);
  /// Staff; oldest first.
  std::vector<storage::PartMovementRecord> Movements(const policy::Actor& actor, std::int64_t id);
  /// Admin, manager: received (quantity > 0) or adjusted (non-zero, with a reason). Below zero: 409.
  storage::PartMovementRecord AddMovement(const policy::Actor& actor, std::int64_t id, const NewMovement& in);

 private:
  Deps deps_;
  EventPublisher publish_;
};

/// What a material takes from a part.
struct PartTaken {
  std::string material_type;  // the part's name and SKU
  std::int64_t unit_cost_cents = 0;
};

/// Inside the material's write transaction: takes `quantity` of part `part_id` for `repair` (a "used"
/// movement). 400 (field part_id) for an unknown or inactive part or quantity with more than 3 decimals;
/// 409 when the stock is not enough (nothing changes). Low-stock events go to `events`.
PartTaken TakePart(storage::Connection& c, const Config& config, TenantId tenant, std::int64_t part_id,
                   double quantity, RepairId repair, UserId by, UnixSeconds now,
                   std::vector<storage::EventRecord>& events);
/// Inside the material's delete transaction: returns its stock (a "returned" movement), if it had a part.
void ReturnPart(storage::Connection& c, TenantId tenant, RepairId repair, std::int64_t material_id, UserId by,
                UnixSeconds now);

}  // namespace portico::services
