// Wakes waiting clients when a transaction that wrote events commits: no database polling per client.
// Subscribers are per tenant; Publish() calls their wake functions (which must be cheap and thread-safe,
// e.g. post a timer cancel to an Asio strand). Callers go through EventService::Publish, which first brings
// the in-memory event ring up to the committed id; on PostgreSQL the LISTEN handler does the same for the
// events of other instances (cli/runtime.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "policy/event_visibility.h"

namespace portico::services {

/// Who an event is for (policy/event_visibility.h holds the rule).
using EventAudience = policy::EventAudience;

/// What a subscriber may see: its row scope (policy::ScopeOf) and user id.
struct EventInterest {
  policy::CustomerScope scope;
  UserId user;

  /// policy::MaySeeEvent for this subscriber.
  bool Wants(const EventAudience& a) const { return policy::MaySeeEvent(scope, user, a); }
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
