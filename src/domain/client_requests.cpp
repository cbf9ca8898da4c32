#include "domain/client_requests.h"

namespace portico::domain {

bool IsRequestParty(const RequestActor& actor, RequestParty party) {
  switch (party) {
    case RequestParty::kDecider: return actor.role == Role::kManager || actor.role == Role::kAdmin;
    case RequestParty::kCreator: return actor.is_creator;
  }
  return false;
}

Verdict DecideRequest(RequestStatus current, RequestAction action, const RequestActor& actor) {
  bool may_ever = false;
  for (const auto& row : kRequestTransitions) {
    if (row.action != action || !IsRequestParty(actor, row.who)) continue;
    may_ever = true;
    if (row.from == current) return Verdict::kAllowed;
  }
  return may_ever ? Verdict::kConflict : Verdict::kForbidden;
}

RequestStatus RequestTarget(RequestAction action) {
  for (const auto& row : kRequestTransitions) {
    if (row.action == action) return row.to;
  }
  return RequestStatus::kPending;
}

bool IsFinal(RequestStatus status) { return status != RequestStatus::kPending; }

std::string_view ToString(RequestStatus status) {
  switch (status) {
    case RequestStatus::kPending: return "pending";
    case RequestStatus::kApproved: return "approved";
    case RequestStatus::kRejected: return "rejected";
    case RequestStatus::kConverted: return "converted";
    case RequestStatus::kWithdrawn: return "withdrawn";
  }
  return "pending";
}

std::optional<RequestStatus> ParseRequestStatus(std::string_view text) {
  for (auto s : kAllRequestStatuses) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view ToString(RequestType type) {
  switch (type) {
    case RequestType::kMaterial: return "material";
    case RequestType::kChangeOrder: return "change_order";
    case RequestType::kInfo: return "info";
    case RequestType::kOther: return "other";
  }
  return "other";
}

std::optional<RequestType> ParseRequestType(std::string_view text) {
  for (auto t : {RequestType::kMaterial, RequestType::kChangeOrder, RequestType::kInfo, RequestType::kOther}) {
    if (ToString(t) == text) return t;
  }
  return std::nullopt;
}

bool IsChangeOrderParty(const ChangeOrderActor& actor, ChangeOrderParty party) {
  switch (party) {
    case ChangeOrderParty::kCustomerApprover:
      return actor.role == Role::kCustomer && actor.access == CustomerAccess::kApprover;
    case ChangeOrderParty::kStaff: return IsStaff(actor.role);
  }
  return false;
}

Verdict DecideChangeOrder(ChangeOrderStatus current, ChangeOrderAction action, const ChangeOrderActor& actor) {
  bool may_ever = false;
  for (const auto& row : kChangeOrderTransitions) {
    if (row.action != action || !IsChangeOrderParty(actor, row.who)) continue;
    may_ever = true;
    if (row.from == current) return Verdict::kAllowed;
  }
  return may_ever ? Verdict::kConflict : Verdict::kForbidden;
}

ChangeOrderStatus ChangeOrderTarget(ChangeOrderAction action) {
  for (const auto& row : kChangeOrderTransitions) {
    if (row.action == action) return row.to;
  }
  return ChangeOrderStatus::kProposed;
}

bool IsFinal(ChangeOrderStatus status) { return status != ChangeOrderStatus::kProposed; }

bool BoundedByLimit(ChangeOrderAction action) {
  for (const auto& row : kChangeOrderTransitions) {
    if (row.action == action && row.bounded_by_limit) return true;
  }
  return false;
}

std::string_view ToString(ChangeOrderStatus status) {
  switch (status) {
    case ChangeOrderStatus::kProposed: return "proposed";
    case ChangeOrderStatus::kApproved: return "approved";
    case ChangeOrderStatus::kDeclined: return "declined";
    case ChangeOrderStatus::kWithdrawn: return "withdrawn";
  }
  return "proposed";
}

std::optional<ChangeOrderStatus> ParseChangeOrderStatus(std::string_view text) {
  for (auto s : kAllChangeOrderStatuses) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

bool WithinApprovalLimit(std::optional<Cents> limit, Cents amount) { return !limit || amount <= *limit; }

}  // namespace portico::domain
