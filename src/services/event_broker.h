// Wakes waiting clients when a transaction that wrote events commits: no database polling per client.
// Subscribers are per tenant; Publish() calls their wake functions (which must be cheap and thread-safe,
// e.g. post a timer cancel to an Asio strand). A second server instance will be woken through
// PostgreSQL LISTEN/NOTIFY behind this same interface (Publish from the notification handler).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <vector>

#include "core/ids.h"

namespace portico::services {

/// Who an event is for: the same rule as the SQL of ListEventsAfter (policy: staff see their tenant's
/// events; customer users their customers' non-internal ones; a user-addressed event only its user).
struct EventAudience {
  TenantId tenant;
  std::optional<CustomerId> customer;
  bool internal = false;
  std::optional<UserId> user;
  bool all_customers = false;  // every customer's users (an announcement for all)
};

/// What a subscriber may see.
struct EventInterest {
  TenantId tenant;
  UserId user;
  bool all_of_tenant = false;           // staff
  std::vector<CustomerId> customers;    // customer users

  bool Wants(const EventAudience& a) const;
};

class EventBroker {
 public:
  using Wake = std::function<void()>;

  /// Wakes the subscribers that may see an event for `audience` (newest id `last_id`).
  void Publish(const EventAudience& audience, std::int64_t last_id);
  /// Wakes every subscriber of every tenant (shutdown: waiters then notice the server is stopping).
  void WakeAll();
  /// Registers a wake function; returns a handle for Unsubscribe.
  std::uint64_t Subscribe(EventInterest interest, Wake wake);
  void Unsubscribe(std::uint64_t handle);
  /// Number of current subscribers (for /metrics).
  std::size_t subscribers() const;

 private:
  struct Sub {
    EventInterest interest;
    Wake wake;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::unordered_map<std::uint64_t, Sub> subs_;
};

}  // namespace portico::services
