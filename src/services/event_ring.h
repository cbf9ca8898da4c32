// Issue 16 (fan-out): the recent events of every tenant, in memory, so that a woken live stream reads what
// it may see without a database query and without leaving its I/O thread.
//
// What the ring holds: every event with floor() < id <= covered(), in id order, and nothing else. Events
// commit in id order (SQLite has one writer; on PostgreSQL every write transaction holds one advisory
// lock), so once the database has shown an event with id M, no event with a smaller id can appear later:
// a fill that reads the events after covered() and appends them keeps the ring without holes. Readers
// follow `id > after`; one whose `after` is older than floor() reads the database instead (Read answers
// nullopt). Who sees what is policy::MaySeeEvent, the same rule as the SQL of storage::ListEventsAfter.
//
// Memory: at most kMaxEvents (4,096) events and kMaxBytes (8 MiB) of their text; the oldest leave first
// (floor() advances). Thread-safe: many readers, one filler at a time (EventService's single flight).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "policy/event_visibility.h"
#include "storage/records.h"

namespace portico::services {

class EventRing {
 public:
  static constexpr std::size_t kMaxEvents = 4096;
  static constexpr std::size_t kMaxBytes = std::size_t{8} << 20;

  /// The events with after < id <= up_to that the user `viewer` with row scope `scope` may see, oldest
  /// first, at most `limit`. nullopt when the ring cannot tell (not started, stale after a failed fill,
  /// or `after` older than floor()): the caller reads the database.
  std::optional<std::vector<storage::EventRecord>> Read(const policy::CustomerScope& scope, UserId viewer,
                                                        std::int64_t after, std::int64_t up_to,
                                                        std::int64_t limit) const;
  /// Empties the ring and starts it at `last_id` (the newest id the database holds): it then covers
  /// nothing older. Clears stale.
  void Reset(std::int64_t last_id);
  /// Appends `events`, read from the database as the events after covered() in id order (the ones not
  /// above covered() are ignored), and sets covered() to the newest of them. Clears stale.
  void Append(std::vector<storage::EventRecord> events);
  /// A fill failed: Read answers nullopt until the next Reset or Append.
  void MarkStale();

  /// Every event up to this id is in the ring (or older than floor()).
  std::int64_t covered() const { return covered_.load(); }
  std::int64_t floor() const;
  bool started() const { return started_.load(); }
  bool stale() const { return stale_.load(); }
  /// When the last Reset or Append ran.
  std::chrono::steady_clock::time_point filled_at() const;
  std::size_t size() const;

 private:
  void EvictLocked();
  mutable std::shared_mutex mutex_;
  std::deque<storage::EventRecord> events_;
  std::size_t bytes_ = 0;
  std::int64_t floor_ = 0;
  std::atomic<std::int64_t> covered_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> stale_{false};
  std::chrono::steady_clock::time_point filled_at_{};
};

}  // namespace portico::services
