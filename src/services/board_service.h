// Board order (issue 12; API.md "Board order"): staff place a card between two cards of its column.
// Ranks are fractional (domain/board_rank.h); a column is rebalanced when a rank grows too long or when
// the neighbours are not placed yet. One transaction per move with its repair.updated event.
#pragma once

#include <optional>

#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "services/repair_service.h"

namespace portico::services {

class BoardService {
 public:
  BoardService(Deps deps, RepairService& repairs) : deps_(deps), repairs_(repairs) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  /// Places repair `id` after `after_id` and before `before_id` (each nullopt for the column's top or
  /// bottom; both nullopt: the top). 404 outside the scope, 403 for customer users, 400 when a neighbour
  /// is not in the repair's column (field after_id / before_id), 409 when after_id is not above
  /// before_id (a stale board). Returns the repair.
  RepairView Position(const policy::Actor& actor, RepairId id, std::optional<RepairId> after_id,
                      std::optional<RepairId> before_id);

 private:
  Deps deps_;
  RepairService& repairs_;
  EventPublisher publish_;
};

}  // namespace portico::services
