// Client requests and change orders (issue 10): their status tables as data, beside the repair workflow
// (domain/workflow.h), the decisions built on them, and the approval-limit rule. Source of the rules:
// PRODUCT.md "Client requests and change orders"; API.md "Client requests", "Change orders" and
// "Users (additions)" (approval_limit). Pure: no I/O, no database, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/money.h"
#include "domain/roles.h"

namespace portico::domain {

/// The outcome of a decision, as in the repair workflow: 403 comes before 409 (API.md, order of checks).
enum class Verdict {
  kAllowed,
  kForbidden,  // this caller may never do this action (403), whatever the status
  kConflict,   // the caller may, but not from the current status (409)
};

// ---- client requests ----

/// A client request's status: `pending`, then `approved`, `rejected`, `converted` or `withdrawn` (final).
enum class RequestStatus { kPending, kApproved, kRejected, kConverted, kWithdrawn };
/// What a client request asks for.
enum class RequestType { kMaterial, kChangeOrder, kInfo, kOther };
/// What is done to a request (API.md: PATCH, /approve, /reject, /convert, /withdraw).
enum class RequestAction { kEdit, kApprove, kReject, kConvert, kWithdraw };

/// Who may do a request action: managers and admins decide; the creator edits and withdraws.
enum class RequestParty : std::uint8_t { kDecider, kCreator };

/// One row of the request table: `action` by `who` from `from` leads to `to`.
struct RequestTransition {
  RequestStatus from;
  RequestAction action;
  RequestParty who;
  RequestStatus to;
  bool requires_reason = false;  // reject: a reason is required (PRODUCT.md)
};

/// THE request status table (PRODUCT.md "Client requests and change orders"; API.md "Client requests").
/// Every action is only from `pending`; nothing leaves the other statuses. Editing keeps `pending`.
inline constexpr std::array kRequestTransitions{
    RequestTransition{RequestStatus::kPending, RequestAction::kEdit, RequestParty::kCreator, RequestStatus::kPending},
    RequestTransition{RequestStatus::kPending, RequestAction::kApprove, RequestParty::kDecider, RequestStatus::kApproved},
    RequestTransition{RequestStatus::kPending, RequestAction::kReject, RequestParty::kDecider, RequestStatus::kRejected,
                      true},
    RequestTransition{RequestStatus::kPending, RequestAction::kConvert, RequestParty::kDecider, RequestStatus::kConverted},
    RequestTransition{RequestStatus::kPending, RequestAction::kWithdraw, RequestParty::kCreator, RequestStatus::kWithdrawn},
};

/// Every request status, in table order.
inline constexpr std::array kAllRequestStatuses{RequestStatus::kPending, RequestStatus::kApproved,
                                                RequestStatus::kRejected, RequestStatus::kConverted,
                                                RequestStatus::kWithdrawn};
inline constexpr std::array kAllRequestActions{RequestAction::kEdit, RequestAction::kApprove, RequestAction::kReject,
                                               RequestAction::kConvert, RequestAction::kWithdraw};

/// The caller of a request action: its role and whether it created the request.
struct RequestActor {
  Role role = Role::kCustomer;
  bool is_creator = false;
};

/// True when `actor` is `party`: kDecider = manager or admin (never a customer user, so a customer never
/// decides its own request); kCreator = the user who created the request (any role).
bool IsRequestParty(const RequestActor& actor, RequestParty party);

/// kForbidden when no row of `action` admits `actor`; else kConflict when no such row starts at
/// `current`; else kAllowed. API.md "Client requests".
Verdict DecideRequest(RequestStatus current, RequestAction action, const RequestActor& actor);

/// The status `action` leads to from `pending` (the table's `to`).
RequestStatus RequestTarget(RequestAction action);

/// True for every status but `pending`.
bool IsFinal(RequestStatus status);

std::string_view ToString(RequestStatus status);
std::optional<RequestStatus> ParseRequestStatus(std::string_view text);
std::string_view ToString(RequestType type);
std::optional<RequestType> ParseRequestType(std::string_view text);

// ---- change orders ----

/// A change order's status: `proposed`, then `approved`, `declined` or `withdrawn` (final).
enum class ChangeOrderStatus { kProposed, kApproved, kDeclined, kWithdrawn };
/// What is done to a change order: the customer's decision (approve, decline) or the shop's withdrawal.
enum class ChangeOrderAction { kApprove, kDecline, kWithdraw };
/// Who: the customer's approver decides; staff withdraw.
enum class ChangeOrderParty : std::uint8_t { kCustomerApprover, kStaff };

struct ChangeOrderTransition {
  ChangeOrderStatus from;
  ChangeOrderAction action;
  ChangeOrderParty who;
  ChangeOrderStatus to;
  bool bounded_by_limit = false;  // the approver's approval_limit applies (approving only)
};

/// THE change-order table (PRODUCT.md; API.md "Change orders"): only from `proposed`.
inline constexpr std::array kChangeOrderTransitions{
    ChangeOrderTransition{ChangeOrderStatus::kProposed, ChangeOrderAction::kApprove, ChangeOrderParty::kCustomerApprover,
                          ChangeOrderStatus::kApproved, true},
    ChangeOrderTransition{ChangeOrderStatus::kProposed, ChangeOrderAction::kDecline, ChangeOrderParty::kCustomerApprover,
                          ChangeOrderStatus::kDeclined},
    ChangeOrderTransition{ChangeOrderStatus::kProposed, ChangeOrderAction::kWithdraw, ChangeOrderParty::kStaff,
                          ChangeOrderStatus::kWithdrawn},
};

inline constexpr std::array kAllChangeOrderStatuses{ChangeOrderStatus::kProposed, ChangeOrderStatus::kApproved,
                                                    ChangeOrderStatus::kDeclined, ChangeOrderStatus::kWithdrawn};
inline constexpr std::array kAllChangeOrderActions{ChangeOrderAction::kApprove, ChangeOrderAction::kDecline,
                                                   ChangeOrderAction::kWithdraw};

/// The caller of a change-order action: role and its access to the repair's customer (customer users).
struct ChangeOrderActor {
  Role role = Role::kCustomer;
  std::optional<CustomerAccess> access;
};

bool IsChangeOrderParty(const ChangeOrderActor& actor, ChangeOrderParty party);

/// As DecideRequest, for change orders. The repair being final (409) and the approval limit (403) are
/// checked by the service on top (API.md "Change orders").
Verdict DecideChangeOrder(ChangeOrderStatus current, ChangeOrderAction action, const ChangeOrderActor& actor);

ChangeOrderStatus ChangeOrderTarget(ChangeOrderAction action);
bool IsFinal(ChangeOrderStatus status);
/// True when `action` is bounded by the approver's limit (approving).
bool BoundedByLimit(ChangeOrderAction action);

std::string_view ToString(ChangeOrderStatus status);
std::optional<ChangeOrderStatus> ParseChangeOrderStatus(std::string_view text);

// ---- approval limits ----

/// True when an approver with `limit` (nullopt: no limit) may approve `amount` (cents): no limit, or
/// amount <= limit. Declining is never bounded. PRODUCT.md "Approval limits"; API.md "Users (additions)".
bool WithinApprovalLimit(std::optional<Cents> limit, Cents amount);

/// The largest change-order amount and approval limit accepted: 100,000,000.00 (Portico's choice).
inline constexpr Cents kMaxChangeOrderCents = 10'000'000'000;

}  // namespace portico::domain
