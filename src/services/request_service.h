// Client requests (issue 10; PRODUCT.md "Client requests and change orders", API.md "Client requests"):
// a customer (or staff for a customer) asks the shop for material, a change order, information or
// something else; managers and admins approve, reject (reason required) or convert it into a PENDING repair
// or a change order on its repair; its creator edits or withdraws it while pending. Each use case:
// validate -> load (scoped: 404) -> authorize (policy/, domain table: 403) -> one transaction (change +
// event) -> publish after commit. Decisions record who, when and why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "domain/client_requests.h"
#include "policy/actor.h"
#include "services/change_order_service.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/requests_repository.h"

namespace portico::services {

/// A request as one caller sees it, with the actions it may take now (what the portals offer).
struct RequestView {
  storage::ClientRequestRecord request;
  std::vector<std::string> allowed_actions;  // edit, approve, reject, convert, withdraw
};

struct NewClientRequest {
  CustomerId customer;
  std::string type, title, description;
  std::optional<std::int64_t> repair_id, unit_id;
};

struct RequestPatch {
  std::optional<std::string> title, description;
};

/// POST /requests/{id}/convert: into "repair" (unit_number when the request has no unit) or
/// "change_order" (amount, optional description).
struct ConvertRequest {
  std::string into;
  std::optional<std::string> unit_number, amount, description;
};

class ClientRequestService : public PublishesEvents {
 public:
  ClientRequestService(Deps deps, ChangeOrderService& change_orders) : deps_(deps), change_orders_(change_orders) {}

  /// 400 for an unknown status or type filter.
  PageOf<RequestView> List(const policy::Actor& actor, const storage::RequestFilter& filter, const PageRequest& page);
  RequestView Get(const policy::Actor& actor, std::int64_t id);
  /// 400 customer_id outside the caller's scope; 403 viewers; 400 type, title (1..200), description
  /// (<= 5000), repair_id / unit_id of another customer; change_order needs repair_id.
  RequestView Create(const policy::Actor& actor, const NewClientRequest& in);
  /// Its creator while pending (403 others, 409 not pending).
  RequestView Update(const policy::Actor& actor, std::int64_t id, const RequestPatch& patch);
  RequestView Approve(const policy::Actor& actor, std::int64_t id, const std::string& notes);
  /// `reason` required (400).
  RequestView Reject(const policy::Actor& actor, std::int64_t id, const std::string& reason);
  RequestView Convert(const policy::Actor& actor, std::int64_t id, const ConvertRequest& in);
  RequestView Withdraw(const policy::Actor& actor, std::int64_t id);

 private:
  RequestView View(const policy::Actor& actor, storage::ClientRequestRecord r) const;
  storage::ClientRequestRecord Load(storage::Connection& c, const policy::Actor& actor, std::int64_t id) const;
  /// 403 / 409 from the request table for `action` on `r`.
  void Check(const policy::Actor& actor, const storage::ClientRequestRecord& r, domain::RequestAction action) const;
  /// Writes the decided request, its event, commits and publishes; returns the fresh view.
  RequestView Decide(storage::Transaction& tx, const policy::Actor& actor, storage::ClientRequestRecord r,
                     domain::RequestAction action, const std::string& notes,
                     std::vector<storage::EventRecord> events);
  Deps deps_;
  ChangeOrderService& change_orders_;
};

}  // namespace portico::services
