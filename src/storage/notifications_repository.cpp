#include "storage/notifications_repository.h"

namespace portico::storage {
namespace {

constexpr Sql kGetCursor{"get_cursor", "SELECT last_event_id FROM worker_cursors WHERE name = $1",
                         PlanChoice::kEither};
constexpr Sql kSetCursor{"set_cursor",
                         "INSERT INTO worker_cursors (name, last_event_id) VALUES ($1, $2) "
                         "ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id"};
constexpr Sql kInsert{"insert_notification",
                      "INSERT INTO notifications (tenant_id, user_id, event_id, type, repair_id, title, body, "
                      "email_state, email_next_at, created_at, channel_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) "
                      "ON CONFLICT (user_id, event_id) DO NOTHING RETURNING id"};
#define NOTIFICATION_SELECT \
  "SELECT id, tenant_id, user_id, event_id, type, repair_id, title, body, read_at, created_at, channel_id FROM notifications "
constexpr Sql kList{"list_notifications", NOTIFICATION_SELECT
                    "WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT $3 OFFSET $4"};
constexpr Sql kCount{"count_notifications",
                     "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL)"};
constexpr Sql kMarkRead{"mark_notification_read",
                        "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE user_id = $1 AND id = $2"};
constexpr Sql kFind{"find_notification", NOTIFICATION_SELECT "WHERE user_id = $1 AND id = $2"};
constexpr Sql kMarkAll{"mark_all_read", "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL"};
constexpr Sql kRoles{"users_with_roles",
                     "SELECT id FROM users WHERE tenant_id = $1 AND is_active = 1 AND role IN "
                     "(SELECT value FROM json_each($2)) ORDER BY id"};
constexpr Sql kRolesPg{"users_with_roles",
                       "SELECT id FROM users WHERE tenant_id = $1 AND is_active = 1 AND role IN "
                       "(SELECT value FROM json_array_elements_text(CAST($2 AS json))) ORDER BY id"};
constexpr Sql kCustomerUsers{"customer_users",
                             "SELECT a.user_id FROM customer_access a JOIN users u ON u.id = a.user_id "
                             "WHERE a.customer_id = $1 AND u.is_active = 1 AND (CAST($2 AS TEXT) IS NULL OR a.access = $2) "
                             "ORDER BY a.user_id"};
constexpr Sql kWantsEmail{"customer_wants_email", "SELECT receive_email_notifications FROM customers WHERE id = $1"};
constexpr Sql kDue{"due_emails",
                   "SELECT n.id, n.tenant_id, n.user_id, n.event_id, n.type, n.repair_id, n.title, n.body, n.read_at, "
                   "n.created_at, u.email, u.name, t.name, n.email_attempts, t.slug, u.role, n.channel_id FROM notifications n "
                   "JOIN users u ON u.id = n.user_id JOIN tenants t ON t.id = n.tenant_id "
                   "WHERE n.email_state = 'pending' AND n.email_next_at <= $1 ORDER BY n.email_next_at, n.id LIMIT $2"};
constexpr Sql kSkipped{"email_skipped", "UPDATE notifications SET email_state = 'skipped' WHERE id = $1"};
constexpr Sql kLease{"email_lease",
                     "UPDATE notifications SET email_next_at = $2 WHERE id = $1 AND email_state = 'pending'"};
constexpr Sql kSent{"email_sent", "UPDATE notifications SET email_state = 'sent' WHERE id = $1"};
constexpr Sql kRetry{"email_retry",
                     "UPDATE notifications SET email_attempts = $2, email_next_at = $3, "
                     "email_state = CASE WHEN CAST($3 AS BIGINT) IS NULL THEN 'failed' ELSE 'pending' END WHERE id = $1"};

/// A notification row; `channel_col` is where the row holds channel_id.
NotificationRecord Read(const Row& r, int channel_col = 10) {
  NotificationRecord n;
  n.id = r.Int(0);
  n.tenant = TenantId(r.Int(1));
  n.user = UserId(r.Int(2));
  n.event_id = r.Int(3);
  n.type = r.Text(4);
  if (auto id = r.OptInt(5)) n.repair = RepairId(*id);
  n.title = r.Text(6);
  n.body = r.Text(7);
  n.read_at = r.OptInt(8);
  n.created_at = r.Int(9);
  n.channel = r.OptInt(channel_col);
  return n;
}

}  // namespace

std::int64_t GetCursor(Connection& c, const std::string& name) {
  auto row = c.QueryOne(kGetCursor, {name});
  return row ? row->Int(0) : 0;
}

void SetCursor(Connection& c, const std::string& name, std::int64_t last_event_id) {
  c.ExecuteLater(kSetCursor, {name, last_event_id});  // nothing reads its result: sent with the COMMIT
}

std::optional<std::int64_t> InsertNotification(Connection& c, const NotificationRecord& n, bool email) {
  auto rows = c.Query(kInsert, {n.tenant.value, n.user.value, n.event_id, n.type,
                                n.repair ? Value(n.repair->value) : Value(nullptr), n.title, n.body,
                                std::string(email ? "pending" : "none"), n.created_at,
                                n.channel ? Value(*n.channel) : Value(nullptr)});
  if (rows.empty()) return std::nullopt;
  return rows.front().Int(0);
}

PageOf<NotificationRecord> ListNotifications(Connection& c, UserId user, bool unread_only, const PageRequest& page) {
  PageOf<NotificationRecord> out;
  out.count = c.Query(kCount, {user.value, std::int64_t{unread_only}}).front().Int(0);
  for (const auto& r : c.Query(kList, {user.value, std::int64_t{unread_only}, page.page_size, page.Offset()})) {
    out.results.push_back(Read(r));
  }
  return out;
}

std::int64_t CountUnread(Connection& c, UserId user) {
  return c.Query(kCount, {user.value, std::int64_t{1}}).front().Int(0);
}

std::optional<NotificationRecord> MarkRead(Connection& c, UserId user, std::int64_t id, UnixSeconds now) {
  c.Execute(kMarkRead, {user.value, id, now});
  auto row = c.QueryOne(kFind, {user.value, id});
  if (!row) return std::nullopt;
  return Read(*row);
}

std::int64_t MarkAllRead(Connection& c, UserId user, UnixSeconds now) { return c.Execute(kMarkAll, {user.value, now}); }

std::vector<UserId> UsersWithRoles(Connection& c, TenantId tenant, const std::vector<std::string>& roles) {
  std::string list = "[";
  for (const auto& r : roles) list += (list.size() > 1 ? ",\"" : "\"") + r + "\"";
  list += "]";
  std::vector<UserId> out;
  for (const auto& r : c.Query(c.dialect() == Dialect::kPostgres ? kRolesPg : kRoles, {tenant.value, list})) out.emplace_back(r.Int(0));
  return out;
}

std::vector<UserId> CustomerUsers(Connection& c, CustomerId customer, const std::optional<std::string>& access) {
  std::vector<UserId> out;
  for (const auto& r : c.Query(kCustomerUsers, {customer.value, Nullable(access)})) out.emplace_back(r.Int(0));
  return out;
}

bool CustomerWantsEmail(Connection& c, CustomerId customer) {
  auto row = c.QueryOne(kWantsEmail, {customer.value});
  return row && row->Bool(0);
}

std::vector<OutgoingEmail> DueEmails(Connection& c, UnixSeconds now, std::int64_t limit) {
  std::vector<OutgoingEmail> out;
  for (const auto& r : c.Query(kDue, {now, limit})) {
    out.push_back({Read(r, 16), r.Text(10), r.Text(11), r.Text(12), r.Text(14), r.Text(15) != "customer", r.Int(13)});
  }
  return out;
}

void LeaseEmail(Connection& c, std::int64_t id, UnixSeconds until) { c.Execute(kLease, {id, until}); }

void MarkEmailSent(Connection& c, std::int64_t id) { c.Execute(kSent, {id}); }

void MarkEmailSkipped(Connection& c, std::int64_t id) { c.Execute(kSkipped, {id}); }

void MarkEmailRetry(Connection& c, std::int64_t id, std::int64_t attempts, std::optional<UnixSeconds> next_at) {
  c.Execute(kRetry, {id, attempts, Nullable(next_at)});
}

}  // namespace portico::storage
