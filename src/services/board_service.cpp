#include "services/board_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/error.h"
#include "domain/board_rank.h"
#include "policy/policy.h"
#include "policy/shop_policy.h"
#include "storage/repairs_repository.h"
#include "storage/shop_repository.h"

namespace portico::services {
namespace json = boost::json;

namespace {

/// Gives every card of the column an evenly spaced rank, in the column's current order.
std::vector<storage::BoardCard> Rebalance(storage::Connection& c, TenantId tenant,
                                          std::vector<storage::BoardCard> column, UnixSeconds now) {
  auto ranks = domain::RankSequence(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column[i].rank != ranks[i]) storage::SetBoardRank(c, tenant, column[i].id, ranks[i], now);
    column[i].rank = ranks[i];
  }
  return column;
}

}  // namespace

RepairView BoardService::Position(const policy::Actor& actor, RepairId id, std::optional<RepairId> after_id,
                                  std::optional<RepairId> before_id) {
  const UnixSeconds now = deps_.clock.Now();
  storage::EventRecord event;
  {
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    storage::LockTenantForBooking(c, actor.tenant);  // one reorder of a tenant at a time, across instances
    auto scope = policy::ScopeOf(actor);
    auto repair = storage::FindRepair(c, scope, id);
    if (!repair) throw Error::NotFound("No such repair.");
    if (!policy::CanOrderBoard(actor)) throw Error::Forbidden("Only staff order the board.");
    FieldErrors errors;
    for (auto [field, other] : {std::pair{"after_id", after_id}, std::pair{"before_id", before_id}}) {
      if (!other) continue;
      auto r = storage::FindRepair(c, scope, *other);
      if (!r || r->status != repair->status || *other == id) {
        errors[field].push_back("Not another repair of the same column (" + repair->status + ").");
      }
    }
    if (!errors.empty()) throw Error::Validation(std::move(errors));

    auto column = storage::BoardColumn(c, actor.tenant, repair->status);
    std::erase_if(column, [&](const storage::BoardCard& card) { return card.id == id; });
    auto index_of = [&](RepairId rid) {
      return static_cast<std::size_t>(std::find_if(column.begin(), column.end(),
                                                   [&](const storage::BoardCard& card) { return card.id == rid; }) -
                                      column.begin());
    };
    // The gap to fill: between column[pos - 1] and column[pos].
    std::size_t pos = 0;
    if (after_id && before_id) {
      pos = index_of(*after_id) + 1;
      if (pos > index_of(*before_id)) throw Error::Conflict("after_id is not above before_id any more; reload the board.");
    } else if (after_id) {
      pos = index_of(*after_id) + 1;
    } else if (before_id) {
      pos = index_of(*before_id);
    }
    auto bounds = [&] {
      std::optional<std::string> lo, hi;
      if (pos > 0) lo = column[pos - 1].rank;
      if (pos < column.size()) hi = column[pos].rank;
      return std::pair{lo, hi};
    };
    auto [lo, hi] = bounds();
    const bool unplaced = (pos > 0 && !lo) || (pos < column.size() && !hi);
    std::string rank;
    bool rebalance = unplaced;
    if (!unplaced) {
      try {
        rank = domain::RankBetween(lo, hi);
      } catch (const std::invalid_argument&) {
        rebalance = true;  // two equal neighbours (concurrent instances) or a foreign value: start afresh
      }
    }
    if (rebalance || rank.size() > domain::kMaxRankLength) {
      column = Rebalance(c, actor.tenant, std::move(column), now);
      std::tie(lo, hi) = bounds();
      rank = domain::RankBetween(lo, hi);
    }
    storage::SetBoardRank(c, actor.tenant, id, rank, now);
    event.tenant = actor.tenant;
    event.type = "repair.updated";
    event.repair = id;
    event.customer = repair->customer;
    event.data = json::serialize(json::object{{"fields", json::array{"board_rank"}}, {"board_rank", rank},
                                              {"status", repair->status}, {"by", actor.name},
                                              {"by_id", actor.user.value}});
    event.occurred_at = now;
    event.id = storage::InsertEvent(c, event);
    tx->Commit();
  }
  if (publish_) publish_(event);
  return repairs_.Get(actor, id);
}

}  // namespace portico::services
