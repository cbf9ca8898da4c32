// Wakes waiting clients when a transaction that wrote events commits: no database polling per client.
// Subscribers are per tenant; Publish() calls their wake functions (which must be cheap and thread-safe,
// e.g. post a timer cancel to an Asio strand). A second server instance will be woken through
// PostgreSQL LISTEN/NOTIFY behind this same interface (Publish from the notification handler).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "core/ids.h"

namespace portico::services {

class EventBroker {
 public:
  using Wake = std::function<void()>;

  /// Records that `tenant`'s newest event id is now `last_id` and wakes its subscribers.
  void Publish(TenantId tenant, std::int64_t last_id);
  /// Wakes every subscriber of every tenant (shutdown: waiters then notice the server is stopping).
  void WakeAll();
  /// Registers a wake function; returns a handle for Unsubscribe.
  std::uint64_t Subscribe(TenantId tenant, Wake wake);
  void Unsubscribe(std::uint64_t handle);
  /// Number of current subscribers (for /metrics).
  std::size_t subscribers() const;

 private:
  struct Sub {
    TenantId tenant;
    Wake wake;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::unordered_map<std::uint64_t, Sub> subs_;
};

}  // namespace portico::services
