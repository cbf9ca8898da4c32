// Webhook endpoints and deliveries (issue 14; API.md, "Webhooks"). Endpoints are read within one tenant
// (admin API) or across tenants (the delivery worker); every event is queued at most once per endpoint
// (UNIQUE (endpoint_id, event_id)), and the fan-out's position in the event log is the endpoint's cursor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/page.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

struct WebhookEndpoint {
  std::int64_t id = 0;
  TenantId tenant;
  std::string url;
  std::vector<std::string> events;  // event types, or {"*"}
  std::string description;
  std::string secret;
  bool active = true;
  std::int64_t event_cursor = 0;             // last event id queued for this endpoint
  std::optional<UnixSeconds> failing_since;  // first failed attempt since the last delivery
  std::optional<UnixSeconds> disabled_at;    // set when disabled after a day of failures
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t endpoint_id = 0;
  TenantId tenant;
  std::int64_t event_id = 0;
  std::string event_type;
  std::string payload;  // the JSON body, fixed when queued
  std::string status;   // pending, delivered, failed
  std::int64_t attempts = 0;
  std::optional<std::int64_t> last_status_code;
  std::optional<std::string> last_error;
  std::optional<UnixSeconds> next_attempt_at;
  std::optional<UnixSeconds> first_attempt_at;
  std::optional<UnixSeconds> delivered_at;
  UnixSeconds created_at = 0;
};

std::int64_t InsertWebhookEndpoint(Connection& c, const WebhookEndpoint& e);
std::optional<WebhookEndpoint> FindWebhookEndpoint(Connection& c, TenantId tenant, std::int64_t id);
PageOf<WebhookEndpoint> ListWebhookEndpoints(Connection& c, TenantId tenant, const PageRequest& page);
/// Writes url, events, description, active, failing_since, disabled_at and updated_at.
void UpdateWebhookEndpoint(Connection& c, const WebhookEndpoint& e);
/// Deletes the endpoint and its deliveries; false when the tenant has no such endpoint.
bool DeleteWebhookEndpoint(Connection& c, TenantId tenant, std::int64_t id);
/// Active endpoints of every tenant (the worker's fan-out).
std::vector<WebhookEndpoint> ActiveWebhookEndpoints(Connection& c);
void SetWebhookCursor(Connection& c, std::int64_t endpoint_id, std::int64_t event_cursor);
/// Deletes at most `limit` events that occurred before `before` with ids up to `up_to_id`, except those an
/// active endpoint of their tenant has not queued yet (ids after its cursor), so event pruning never outruns
/// a lagging endpoint. Returns how many were deleted.
std::int64_t PruneEventsBehindWebhooks(Connection& c, UnixSeconds before, std::int64_t up_to_id, std::int64_t limit);

/// The tenant's events after `after_id` (not those addressed to one user), oldest first, at most `limit`.
std::vector<EventRecord> TenantEventsAfter(Connection& c, TenantId tenant, std::int64_t after_id, std::int64_t limit);

/// Queues a delivery unless the endpoint already has one for the event; true when inserted.
bool InsertWebhookDelivery(Connection& c, const WebhookDelivery& d);
PageOf<WebhookDelivery> ListWebhookDeliveries(Connection& c, std::int64_t endpoint_id, const PageRequest& page);
std::optional<WebhookDelivery> FindWebhookDelivery(Connection& c, std::int64_t endpoint_id, std::int64_t id);
/// Pending deliveries due at `now` of active endpoints, oldest first, at most `limit`.
std::vector<WebhookDelivery> DueWebhookDeliveries(Connection& c, UnixSeconds now, std::int64_t limit);
/// Claims a due delivery until `until` (another worker or instance does not take it meanwhile; if this one
/// dies, it is tried again then). False when someone else claimed it first.
bool LeaseWebhookDelivery(Connection& c, std::int64_t id, UnixSeconds due_at, UnixSeconds until);
/// Records an attempt: status, attempts, answer, error, next attempt and first attempt time.
void RecordWebhookAttempt(Connection& c, const WebhookDelivery& d, UnixSeconds now);
/// Queues a delivery again now (redelivery): pending, a fresh 24-hour window.
void RequeueWebhookDelivery(Connection& c, std::int64_t id, UnixSeconds now);

}  // namespace portico::storage
