// Notifications (issue 5): a worker turns the event log into in-app notifications, one per user and
// event, with a cursor persisted in the same transaction (restart-safe, no duplicates). Who is told
// (PRODUCT.md "Notification", issue 5):
//   repair created REQUESTED      -> the tenant's managers and admins ("new request")
//   repair created PENDING        -> the customer's approvers ("approval wanted")
//   repair status changed         -> the customer's users ("status changed")
//   customer approved or denied   -> the assigned technician and the managers ("customer decision")
//   appointment requested, moved or cancelled by a customer user -> the managers and admins (issue 12)
// The person who caused the event is not told about it. Each notification also writes a
// notification.created event addressed to its user only. The same worker prunes the event log past
// its retention period, hourly.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/page.h"
#include "policy/actor.h"
#include "services/deps.h"
#include "services/repair_service.h"
#include "storage/records.h"

namespace portico::services {

class NotificationWorker {
 public:
  /// `email_enabled`: mark new notifications for e-mail (when SMTP is configured and the customer's
  /// preferences allow it).
  NotificationWorker(Deps deps, EventPublisher publish, bool email_enabled);
  ~NotificationWorker();
  void Start();
  void Stop();
  /// Something was committed: look at the event log soon.
  void Wake();
  /// Processes every event after the cursor; returns the number of notifications created. `peek_first`:
  /// look at the events without the writer first and stop there when none asks for a notification (the
  /// periodic round); a Wake() comes from an event that does (storage::EventWakesWorkers), so the woken
  /// round goes straight to its write transaction.
  std::int64_t RunOnce(bool peek_first = true);
  /// Deletes events older than the retention period (config events.retention_days; 0 keeps all), never
  /// ones the worker has not read yet, nor ones an active webhook endpoint of their tenant has not queued
  /// yet unless they are older than the retention period plus domain::kWebhookPruneHoldSeconds (7 days).
  /// Returns how many were deleted.
  std::int64_t PruneOldEvents();

 private:
  void Loop();
  Deps deps_;
  EventPublisher publish_;
  bool email_enabled_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
  UnixSeconds last_prune_ = 0;
};

class NotificationService {
 public:
  explicit NotificationService(Deps deps) : deps_(deps) {}
  PageOf<storage::NotificationRecord> List(const policy::Actor& actor, bool unread_only, const PageRequest& page);
  std::int64_t UnreadCount(const policy::Actor& actor);
  /// Throws Error(kNotFound) unless it is one of the actor's notifications.
  storage::NotificationRecord MarkRead(const policy::Actor& actor, std::int64_t id);
  std::int64_t MarkAllRead(const policy::Actor& actor);

 private:
  Deps deps_;
};

}  // namespace portico::services
