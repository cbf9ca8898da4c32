// Reading the event log as one caller may see it (API.md, "Live updates"): staff see their tenant's
// events, customer users only those about their customers' repairs and never internal ones; no event
// ever crosses tenants (policy/event_visibility.h). Recent events are read from an in-memory ring
// (services/event_ring.h), filled from the database once per wake-up batch; older ones, and everything
// when the ring cannot tell, through the SQL filter of storage::ListEventsAfter with the caller's scope.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <vector>

#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "services/event_broker.h"
#include "services/event_ring.h"
#include "storage/records.h"

namespace portico::services {

/// Why a live stream must end (issue 18): its credential ended (logout, token revoked, password changed,
/// user deactivated or gone: close 1008 / answer 401), or the user's role or customer access changed
/// since it opened (the client reconnects so that it waits for what it may now see: close 4001).
enum class StreamEnd { kNone, kCredentialEnded, kAccessChanged };

class EventService {
 public:
  static constexpr std::int64_t kMaxBatch = 200;

  /// A fill of the ring reads at most this many events per query.
  static constexpr std::int64_t kFillBatch = 512;
  /// After() fills the ring first when its last fill is older than this (events that no wake-up
  /// announced, e.g. written by another process, are seen within this time of the next read).
  static constexpr std::chrono::milliseconds kMaxRingAge{1000};

  /// `broker`: the subscribers Publish wakes.
  EventService(Deps deps, EventBroker& broker) : deps_(deps), broker_(broker) {}
  /// Visible events with id > after, oldest first, at most `limit` (<= kMaxBatch), for a live stream
  /// opened by `actor` with `credential`. The credential and the actor's access are read again from the
  /// database first (a stream must not outlive either; or taken from the check cached by identity epoch):
  /// when the stream must end, `*ended` is set and nothing is returned. The events come from the ring
  /// when it covers `after` (only those committed before that check began), else from the database.
  /// Runs on a worker (it may query).
  std::vector<storage::EventRecord> After(const policy::Actor& actor, const Credential& credential,
                                          std::int64_t after, std::int64_t limit, StreamEnd& ended);
  /// After() without touching the database, for the I/O thread of a woken stream: answers only when the
  /// credential's check is cached for the current identity epoch (SQLite) and the ring covers `after`;
  /// nullopt otherwise (the caller then runs After() on a worker).
  std::optional<std::vector<storage::EventRecord>> AfterInMemory(const policy::Actor& actor,
                                                                 const Credential& credential, std::int64_t after,
                                                                 std::int64_t limit, StreamEnd& ended);
  /// A transaction that wrote events up to `last_id` committed (here or, on PostgreSQL, on any instance):
  /// brings the ring up to it (one query for every caller waiting meanwhile), then wakes the subscribers
  /// that may see an event for `audience`. Never throws: a failed fill makes readers use the database.
  void Publish(const EventAudience& audience, std::int64_t last_id);
  /// The same for an event heard through the database's notifications (PostgreSQL's listener): nothing to do
  /// when this instance published it at its own commit already (each instance hears its own events too).
  void PublishHeard(const EventAudience& audience, std::int64_t id);
  /// Notifications may have been lost (the PostgreSQL listener reconnected): fills the ring, then wakes
  /// every subscriber.
  void WakeAll();
  /// How many visible events lie after `after`, counted up to `cap` (for the slow-consumer rule); 0 once
  /// the stream must end (the next fetch says so).
  std::int64_t Backlog(const policy::Actor& actor, const Credential& credential, std::int64_t after,
                       std::int64_t cap);
  /// The newest event id of the caller's tenant (a starting point for a new client).
  std::int64_t LastId(const policy::Actor& actor);

 private:
  /// The actor as the database has it now, or nullopt with `ended` set.
  std::optional<policy::Actor> Fresh(storage::Connection& c, const policy::Actor& actor, const Credential& credential,
                                     StreamEnd& ended);
  /// Fills the ring from the database unless it already covers `target` (or, without a target, was
  /// filled less than `max_age` ago). Single flight: concurrent callers wait for one fill.
  void CatchUp(std::optional<std::int64_t> target, std::chrono::steady_clock::duration max_age);
  Deps deps_;
  EventBroker& broker_;
  EventRing ring_;
  std::mutex fill_mutex_;
  /// The ids of the last kRecentLocal events published here (Publish), so PublishHeard skips them.
  static constexpr std::size_t kRecentLocal = 4096;
  std::mutex local_mutex_;
  std::unordered_set<std::int64_t> local_ids_;
  std::deque<std::int64_t> local_order_;
};

}  // namespace portico::services
