// In-app notifications, the worker's persisted cursor, and the recipients the worker needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

std::int64_t GetCursor(Connection& c, const std::string& name);
/// Sets a worker's cursor (with Connection::ExecuteLater: on PostgreSQL it goes with the commit).
void SetCursor(Connection& c, const std::string& name, std::int64_t last_event_id);

/// Inserts unless the user already has a notification for that event; returns the new id or nullopt.
/// `email` marks it for e-mail delivery ('pending') or not ('none').
std::optional<std::int64_t> InsertNotification(Connection& c, const NotificationRecord& n, bool email);
PageOf<NotificationRecord> ListNotifications(Connection& c, UserId user, bool unread_only, const PageRequest& page);
std::int64_t CountUnread(Connection& c, UserId user);
/// Marks one of the user's notifications read; nullopt if the user has no such notification.
std::optional<NotificationRecord> MarkRead(Connection& c, UserId user, std::int64_t id, UnixSeconds now);
std::int64_t MarkAllRead(Connection& c, UserId user, UnixSeconds now);

/// Users of a tenant with one of `roles` (active only).
std::vector<UserId> UsersWithRoles(Connection& c, TenantId tenant, const std::vector<std::string>& roles);
/// Customer users with access to `customer`, optionally only those with access `access`.
std::vector<UserId> CustomerUsers(Connection& c, CustomerId customer, const std::optional<std::string>& access);
/// Whether the customer's preferences allow e-mail.
bool CustomerWantsEmail(Connection& c, CustomerId customer);

/// E-mail outbox: notifications due for sending, with the recipient's address and name and the tenant's name.
struct OutgoingEmail {
  NotificationRecord notification;
  std::string to_email, to_name, tenant_name;
  std::string tenant_slug;
  bool to_staff = false;
  std::int64_t attempts = 0;
};
std::vector<OutgoingEmail> DueEmails(Connection& c, UnixSeconds now, std::int64_t limit);
/// Claims a due e-mail for sending until `until` (Unix seconds): it is not due again before then, so
/// another instance does not send it too, and if this one dies while sending, it is sent later.
void LeaseEmail(Connection& c, std::int64_t id, UnixSeconds until);
void MarkEmailSent(Connection& c, std::int64_t id);
/// The recipient may no longer read the notification's record (or was deactivated): never sent.
void MarkEmailSkipped(Connection& c, std::int64_t id);
void MarkEmailRetry(Connection& c, std::int64_t id, std::int64_t attempts, std::optional<UnixSeconds> next_at);

}  // namespace portico::storage
