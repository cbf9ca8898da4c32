// Change orders (issue 10; PRODUCT.md "Client requests and change orders", API.md "Change orders"): extra
// work on a repair that is not final, proposed by staff with a description and an amount, that the
// customer's approver accepts (within its approval limit) or declines. Approved amounts add to the
// repair's cost (repairs.change_orders_cents); every change also writes a repair-log entry (status
// unchanged, the change order in the notes) and events, in one transaction.
// Errors, first failing wins: 404 outside the caller's scope, 403 not allowed or above the approval
// limit, 400 invalid field, 409 not from `proposed` or the repair is final.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "domain/money.h"
#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/records.h"
#include "storage/requests_repository.h"

namespace portico::services {

/// A change order as one caller sees it: what it may do, its limit and the repair's total if approved.
struct ChangeOrderView {
  storage::ChangeOrderRecord order;
  bool can_decide = false;    // approve or decline (customer approver, proposed, repair not final)
  bool can_withdraw = false;  // staff, proposed, repair not final
  bool within_approval_limit = true;              // the caller's limit allows approving it
  std::optional<domain::Cents> approval_limit;    // the caller's limit on this customer, if any
  domain::Cents repair_estimated_cost = 0;        // the repair's estimated cost now
  domain::Cents estimated_cost_if_approved = 0;   // ... and once this one is approved
};

/// Records one event in the caller's transaction (tenant, optional repair, customer audience), adding the
/// actor's id as `by_id` so notifications skip that person. Returns it with its id.
storage::EventRecord RecordEvent(storage::Connection& c, const policy::Actor& actor, const char* type,
                                 std::optional<RepairId> repair, CustomerId customer, boost::json::object data,
                                 UnixSeconds now);

/// The repair's estimated cost (cents) with the tenant's pricing, as GET /repairs shows it.
domain::Cents EstimatedCostOf(storage::Connection& c, const storage::RepairRecord& r);

class ChangeOrderService : public PublishesEvents {
 public:
  explicit ChangeOrderService(Deps deps) : deps_(deps) {}

  /// GET /repairs/{id}/change-orders: oldest first.
  std::vector<ChangeOrderView> List(const policy::Actor& actor, RepairId repair);
  /// GET /change-orders/{id}.
  ChangeOrderView Get(const policy::Actor& actor, std::int64_t id);
  /// POST /repairs/{id}/change-orders (staff): description 1..2000 characters, amount > 0 (a money
  /// string); 409 on a final repair.
  ChangeOrderView Propose(const policy::Actor& actor, RepairId repair, const std::string& description,
                          const std::string& amount);
  /// POST /change-orders/{id}/decision (customer approver; approving within its limit).
  ChangeOrderView Decide(const policy::Actor& actor, std::int64_t id, bool approved, const std::string& notes);
  /// POST /change-orders/{id}/withdraw (staff).
  ChangeOrderView Withdraw(const policy::Actor& actor, std::int64_t id);

  /// A repair's change orders for a document such as an invoice (issue 14): scoped like the repair (404
  /// outside); filter `status == "approved"` for what is charged.
  std::vector<storage::ChangeOrderRecord> ListRecords(const policy::Actor& actor, RepairId repair);

  /// Proposes in the caller's transaction (a converted client request uses it): validates `description`
  /// (400), refuses a final repair (409), inserts, logs and records the event (appended to `events`).
  storage::ChangeOrderRecord ProposeIn(storage::Connection& c, const policy::Actor& actor,
                                       const storage::RepairRecord& repair, const std::string& description,
                                       domain::Cents amount, std::optional<std::int64_t> request_id,
                                       std::vector<storage::EventRecord>& events);

 private:
  ChangeOrderView View(storage::Connection& c, const policy::Actor& actor, storage::ChangeOrderRecord o);
  ChangeOrderView Finish(const policy::Actor& actor, std::int64_t id, std::optional<bool> approved,
                         const std::string& notes);
  Deps deps_;
};

/// Parses a change order's amount (400 on field `amount` unless a money string > 0 and at most
/// domain::kMaxChangeOrderCents).
domain::Cents ParseChangeOrderAmount(const std::string& amount);

}  // namespace portico::services
