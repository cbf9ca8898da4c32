#include "storage/webhooks_repository.h"

#include "storage/repairs_repository.h"

namespace portico::storage {
namespace {

constexpr const char* kEndpointColumns =
    "SELECT id, tenant_id, url, events, description, secret, active, event_cursor, failing_since, disabled_at, "
    "created_at, updated_at FROM webhook_endpoints ";

constexpr Sql kInsertEndpoint{"insert_webhook_endpoint",
                              "INSERT INTO webhook_endpoints (tenant_id, url, events, description, secret, active, "
                              "event_cursor, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
                              "RETURNING id"};
constexpr Sql kFindEndpoint{"find_webhook_endpoint",
                            "SELECT id, tenant_id, url, events, description, secret, active, event_cursor, "
                            "failing_since, disabled_at, created_at, updated_at FROM webhook_endpoints "
                            "WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kListEndpoints{"list_webhook_endpoints",
                             "SELECT id, tenant_id, url, events, description, secret, active, event_cursor, "
                             "failing_since, disabled_at, created_at, updated_at FROM webhook_endpoints "
                             "WHERE tenant_id = $1 ORDER BY id LIMIT $2 OFFSET $3"};
constexpr Sql kCountEndpoints{"count_webhook_endpoints", "SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = $1"};
constexpr Sql kActiveEndpoints{"active_webhook_endpoints",
                               "SELECT id, tenant_id, url, events, description, secret, active, event_cursor, "
                               "failing_since, disabled_at, created_at, updated_at FROM webhook_endpoints "
                               "WHERE active = 1 ORDER BY id"};
constexpr Sql kUpdateEndpoint{"update_webhook_endpoint",
                              "UPDATE webhook_endpoints SET url = $2, events = $3, description = $4, active = $5, "
                              "failing_since = $6, disabled_at = $7, updated_at = $8 WHERE id = $1"};
constexpr Sql kDeleteDeliveries{"delete_webhook_deliveries", "DELETE FROM webhook_deliveries WHERE endpoint_id = $1"};
constexpr Sql kDeleteEndpoint{"delete_webhook_endpoint", "DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kSetCursor{"set_webhook_cursor",
                         "UPDATE webhook_endpoints SET event_cursor = $2 WHERE id = $1 AND event_cursor < $2"};
constexpr Sql kPruneBehindWebhooks{
    "prune_events_behind_webhooks",
    "DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.occurred_at < $1 AND e.id <= $2 "
    "AND NOT EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.tenant_id = e.tenant_id AND w.active = 1 "
    "AND w.event_cursor < e.id) ORDER BY e.id LIMIT $3)"};
constexpr Sql kTenantEvents{"webhook_tenant_events",
                            "SELECT id, tenant_id, type, repair_id, customer_id, internal, data, occurred_at, "
                            "user_id, all_customers FROM events WHERE tenant_id = $1 AND id > $2 AND user_id IS NULL ORDER BY id LIMIT $3"};

constexpr const char* kDeliveryColumns =
    "SELECT id, endpoint_id, tenant_id, event_id, event_type, payload, status, attempts, last_status_code, "
    "last_error, next_attempt_at, first_attempt_at, delivered_at, created_at FROM webhook_deliveries ";
constexpr Sql kInsertDelivery{"insert_webhook_delivery",
                              "INSERT INTO webhook_deliveries (endpoint_id, tenant_id, event_id, event_type, payload, "
                              "status, attempts, next_attempt_at, created_at, updated_at) "
                              "VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6) "
                              "ON CONFLICT (endpoint_id, event_id) DO NOTHING"};
constexpr Sql kCountDeliveries{"count_webhook_deliveries",
                               "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = $1"};
constexpr Sql kLeaseDelivery{"lease_webhook_delivery",
                             "UPDATE webhook_deliveries SET next_attempt_at = $3 "
                             "WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2"};
constexpr Sql kRecordAttempt{"record_webhook_attempt",
                             "UPDATE webhook_deliveries SET status = $2, attempts = $3, last_status_code = $4, "
                             "last_error = $5, next_attempt_at = $6, first_attempt_at = $7, delivered_at = $8, "
                             "updated_at = $9 WHERE id = $1"};
constexpr Sql kRequeue{"requeue_webhook_delivery",
                       "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2, first_attempt_at = NULL, "
                       "updated_at = $2 WHERE id = $1"};

std::vector<std::string> SplitTypes(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string JoinTypes(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& t : v) out += (out.empty() ? "" : ",") + t;
  return out;
}

WebhookEndpoint ReadEndpoint(const Row& r) {
  WebhookEndpoint e;
  e.id = r.Int(0);
  e.tenant = TenantId(r.Int(1));
  e.url = r.Text(2);
  e.events = SplitTypes(r.Text(3));
  e.description = r.Text(4);
  e.secret = r.Text(5);
  e.active = r.Bool(6);
  e.event_cursor = r.Int(7);
  e.failing_since = r.OptInt(8);
  e.disabled_at = r.OptInt(9);
  e.created_at = r.Int(10);
  e.updated_at = r.Int(11);
  return e;
}

WebhookDelivery ReadDelivery(const Row& r) {
  WebhookDelivery d;
  d.id = r.Int(0);
  d.endpoint_id = r.Int(1);
  d.tenant = TenantId(r.Int(2));
  d.event_id = r.Int(3);
  d.event_type = r.Text(4);
  d.payload = r.Text(5);
  d.status = r.Text(6);
  d.attempts = r.Int(7);
  d.last_status_code = r.OptInt(8);
  d.last_error = r.OptText(9);
  d.next_attempt_at = r.OptInt(10);
  d.first_attempt_at = r.OptInt(11);
  d.delivered_at = r.OptInt(12);
  d.created_at = r.Int(13);
  return d;
}

}  // namespace

std::int64_t InsertWebhookEndpoint(Connection& c, const WebhookEndpoint& e) {
  return c.QueryOne(kInsertEndpoint, {e.tenant.value, e.url, JoinTypes(e.events), e.description, e.secret,
                                      std::int64_t{e.active ? 1 : 0}, e.event_cursor, e.created_at})
      ->Int(0);
}

std::optional<WebhookEndpoint> FindWebhookEndpoint(Connection& c, TenantId tenant, std::int64_t id) {
  auto row = c.QueryOne(kFindEndpoint, {tenant.value, id});
  if (!row) return std::nullopt;
  return ReadEndpoint(*row);
}

PageOf<WebhookEndpoint> ListWebhookEndpoints(Connection& c, TenantId tenant, const PageRequest& page) {
  PageOf<WebhookEndpoint> out;
  out.count = c.QueryOne(kCountEndpoints, {tenant.value})->Int(0);
  for (const auto& r : c.Query(kListEndpoints, {tenant.value, page.page_size, page.Offset()})) {
    out.results.push_back(ReadEndpoint(r));
  }
  return out;
}

void UpdateWebhookEndpoint(Connection& c, const WebhookEndpoint& e) {
  c.Execute(kUpdateEndpoint, {e.id, e.url, JoinTypes(e.events), e.description, std::int64_t{e.active ? 1 : 0},
                              Nullable(e.failing_since), Nullable(e.disabled_at), e.updated_at});
}

bool DeleteWebhookEndpoint(Connection& c, TenantId tenant, std::int64_t id) {
  if (!FindWebhookEndpoint(c, tenant, id)) return false;
  c.Execute(kDeleteDeliveries, {id});
  return c.Execute(kDeleteEndpoint, {tenant.value, id}) > 0;
}

std::vector<WebhookEndpoint> ActiveWebhookEndpoints(Connection& c) {
  std::vector<WebhookEndpoint> out;
  for (const auto& r : c.Query(kActiveEndpoints)) out.push_back(ReadEndpoint(r));
  return out;
}

std::int64_t PruneEventsBehindWebhooks(Connection& c, UnixSeconds before, std::int64_t up_to_id, std::int64_t limit) {
  return c.Execute(kPruneBehindWebhooks, {before, up_to_id, limit});
}

void SetWebhookCursor(Connection& c, std::int64_t endpoint_id, std::int64_t event_cursor) {
  c.Execute(kSetCursor, {endpoint_id, event_cursor});
}

std::vector<EventRecord> TenantEventsAfter(Connection& c, TenantId tenant, std::int64_t after_id, std::int64_t limit) {
  std::vector<EventRecord> out;
  for (const auto& r : c.Query(kTenantEvents, {tenant.value, after_id, limit})) out.push_back(ReadEvent(r));
  return out;
}

bool InsertWebhookDelivery(Connection& c, const WebhookDelivery& d) {
  return c.Execute(kInsertDelivery, {d.endpoint_id, d.tenant.value, d.event_id, d.event_type, d.payload, d.created_at}) > 0;
}

PageOf<WebhookDelivery> ListWebhookDeliveries(Connection& c, std::int64_t endpoint_id, const PageRequest& page) {
  PageOf<WebhookDelivery> out;
  out.count = c.QueryOne(kCountDeliveries, {endpoint_id})->Int(0);
  static const std::string kText = std::string(kDeliveryColumns) + "WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3";
  const Sql& sql = ComposedSql("list_webhook_deliveries", kText);
  for (const auto& r : c.Query(sql, {endpoint_id, page.page_size, page.Offset()})) out.results.push_back(ReadDelivery(r));
  return out;
}

std::optional<WebhookDelivery> FindWebhookDelivery(Connection& c, std::int64_t endpoint_id, std::int64_t id) {
  static const std::string kText = std::string(kDeliveryColumns) + "WHERE endpoint_id = $1 AND id = $2";
  auto row = c.QueryOne(ComposedSql("find_webhook_delivery", kText), {endpoint_id, id});
  if (!row) return std::nullopt;
  return ReadDelivery(*row);
}

std::vector<WebhookDelivery> DueWebhookDeliveries(Connection& c, UnixSeconds now, std::int64_t limit) {
  static const std::string kText =
      "SELECT d.id, d.endpoint_id, d.tenant_id, d.event_id, d.event_type, d.payload, d.status, d.attempts, "
      "d.last_status_code, d.last_error, d.next_attempt_at, d.first_attempt_at, d.delivered_at, d.created_at "
      "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
      "WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.active = 1 ORDER BY d.next_attempt_at, d.id LIMIT $2";
  std::vector<WebhookDelivery> out;
  for (const auto& r : c.Query(ComposedSql("due_webhook_deliveries", kText), {now, limit})) {
    out.push_back(ReadDelivery(r));
  }
  return out;
}

bool LeaseWebhookDelivery(Connection& c, std::int64_t id, UnixSeconds due_at, UnixSeconds until) {
  return c.Execute(kLeaseDelivery, {id, due_at, until}) > 0;
}

void RecordWebhookAttempt(Connection& c, const WebhookDelivery& d, UnixSeconds now) {
  c.Execute(kRecordAttempt, {d.id, d.status, d.attempts, Nullable(d.last_status_code), Nullable(d.last_error),
                             Nullable(d.next_attempt_at), Nullable(d.first_attempt_at), Nullable(d.delivered_at), now});
}

void RequeueWebhookDelivery(Connection& c, std::int64_t id, UnixSeconds now) { c.Execute(kRequeue, {id, now}); }

}  // namespace portico::storage
