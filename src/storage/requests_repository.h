// Client requests and change orders (issue 10; API.md "Client requests", "Change orders"). Every read is
// limited by a CustomerScope (the request's or the repair's customer), as repairs are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/page.h"
#include "policy/policy.h"
#include "storage/db.h"

namespace portico::storage {

struct ClientRequestRecord {
  std::int64_t id = 0;
  TenantId tenant;
  CustomerId customer;
  std::string type;  // material | change_order | info | other
  std::string title;
  std::string description;
  std::optional<std::int64_t> repair_id;
  std::optional<std::int64_t> unit_id;
  std::string status;  // pending | approved | rejected | converted | withdrawn
  std::optional<UserId> created_by;
  std::string created_by_name;
  std::optional<UserId> decided_by;
  std::string decided_by_name;
  std::optional<UnixSeconds> decided_at;
  std::optional<std::string> decision_notes;
  std::optional<std::string> converted_type;  // repair | change_order
  std::optional<std::int64_t> converted_id;
  std::int64_t attachment_count = 0;  // the attachments the reader may see
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct RequestFilter {
  std::optional<std::string> status, type;
  std::optional<CustomerId> customer;
  std::optional<std::int64_t> repair;
};

/// Inserts `r` (id ignored); returns its id.
std::int64_t InsertClientRequest(Connection& c, const ClientRequestRecord& r);
/// One request in `scope`; `internal_too`: count internal attachments as well.
std::optional<ClientRequestRecord> FindClientRequest(Connection& c, const policy::CustomerScope& scope,
                                                     std::int64_t id, bool internal_too);
/// Requests in `scope`, pending first, then newest first.
PageOf<ClientRequestRecord> ListClientRequests(Connection& c, const policy::CustomerScope& scope,
                                               const RequestFilter& filter, const PageRequest& page, bool internal_too);
/// Writes title, description, status, decision and conversion of `r` (and updated_at) if its status is
/// still `expected_status`; false when someone else changed it first.
bool UpdateClientRequest(Connection& c, const ClientRequestRecord& r, const std::string& expected_status);

struct ChangeOrderRecord {
  std::int64_t id = 0;
  TenantId tenant;
  CustomerId customer;
  RepairId repair;
  std::optional<std::int64_t> request_id;
  std::string description;
  std::int64_t amount_cents = 0;
  std::string status;  // proposed | approved | declined | withdrawn
  std::optional<UserId> created_by;
  std::string created_by_name;
  std::optional<UserId> decided_by;
  std::string decided_by_name;
  std::optional<UnixSeconds> decided_at;
  std::string notes;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

std::int64_t InsertChangeOrder(Connection& c, const ChangeOrderRecord& o);
/// One change order whose repair's customer is in `scope`.
std::optional<ChangeOrderRecord> FindChangeOrder(Connection& c, const policy::CustomerScope& scope, std::int64_t id);
/// A repair's change orders, oldest first (no scope: the caller loaded the repair through its scope).
/// Also what an invoice lists (issue 14): filter on status "approved".
std::vector<ChangeOrderRecord> ListChangeOrders(Connection& c, TenantId tenant, RepairId repair);
/// Writes the decision of `o` if its status is still "proposed"; false otherwise.
bool DecideChangeOrderRow(Connection& c, const ChangeOrderRecord& o);
/// Recomputes repairs.change_orders_cents from the approved change orders (version + 1); returns the total.
std::int64_t RefreshChangeOrdersTotal(Connection& c, RepairId repair, UnixSeconds now);
/// Links a repair to the client request it was converted from.
void SetRepairRequest(Connection& c, RepairId repair, std::int64_t request_id);

}  // namespace portico::storage
