// Who may see an event of the live-update log (API.md, "Live updates"): the one rule, applied in memory by
// MaySeeEvent (the broker's wake-ups, the recent-event ring of services/event_ring.h) and in SQL by
// storage::ListEventsAfter. The two must agree: tests/unit/event_visibility_test.cpp checks both against
// the same permit/forbid matrix.
#pragma once

#include <optional>

#include "core/ids.h"
#include "policy/policy.h"

namespace portico::policy {

/// The columns of an event that decide who sees it.
struct EventAudience {
  TenantId tenant;
  std::optional<CustomerId> customer;  // about this customer (its repair, its request, ...)
  bool internal = false;               // staff only
  std::optional<UserId> user;          // addressed to this user only
  bool all_customers = false;          // for the users of every customer of the tenant (an announcement)
};

/// May the user `viewer`, whose row scope is `scope` (ScopeOf), see an event for `audience`?
///  - never an event of another tenant;
///  - an event addressed to one user: that user only (whatever its other columns say);
///  - otherwise staff (all_of_tenant): every event of their tenant, internal ones included;
///  - customer users: never an internal event; an event about one of their customers, or one for all
///    customers when they have at least one customer (an empty scope sees nothing).
bool MaySeeEvent(const CustomerScope& scope, UserId viewer, const EventAudience& audience);

}  // namespace portico::policy
