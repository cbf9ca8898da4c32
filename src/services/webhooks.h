// Webhooks (issue 14; API.md, "Webhooks"; PRODUCT.md, "Integrations"): the admin's endpoints and their
// delivery log (WebhookService), and the worker that queues the tenant's events for each endpoint from the
// event log (a persisted cursor per endpoint) and POSTs them, signed, with retries (WebhookWorker).
// Errors: 403 for anyone but the tenant's admin; 404 for another tenant's endpoint or delivery; 400 for an
// invalid URL, a host that does not resolve or resolves to a loopback, private, link-local or multicast
// address (unless webhooks.allow_private), an unknown event type.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/page.h"
#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/webhooks_repository.h"

namespace portico::services {

/// The event types an endpoint may subscribe to (besides "*"), with what their `data` holds. The one list
/// the API's validation, the OpenAPI document and docs/webhooks.md use.
struct WebhookEventType {
  const char* type;
  const char* data;  // the fields of `data`, as documentation
};
const std::vector<WebhookEventType>& WebhookEventTypes();

struct NewWebhook {
  std::string url;
  std::vector<std::string> events;
  std::string description;
};

struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> description;
  std::optional<bool> active;
};

/// The addresses `host` resolves to (numeric text), or the reason it cannot be used as a webhook target:
/// it does not resolve, or (without `allow_private`) one of its addresses is not public. Used when an
/// endpoint is saved and again before every delivery (DNS may change: the delivery goes to the address
/// checked here).
struct ResolvedTarget {
  std::vector<std::string> addresses;
  std::string refusal;  // empty when usable
};
ResolvedTarget ResolveWebhookHost(const std::string& host, int port, bool allow_private);

class WebhookService {
 public:
  WebhookService(Deps deps, EventPublisher publish = {}) : deps_(deps), publish_(std::move(publish)) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  /// POST /webhooks: the new endpoint with its secret (shown only here). Deliveries start with the events
  /// committed after it.
  storage::WebhookEndpoint Create(const policy::Actor& actor, const NewWebhook& in);
  PageOf<storage::WebhookEndpoint> List(const policy::Actor& actor, const PageRequest& page);
  storage::WebhookEndpoint Get(const policy::Actor& actor, std::int64_t id);
  /// PATCH: re-activating an endpoint clears its failure record.
  storage::WebhookEndpoint Update(const policy::Actor& actor, std::int64_t id, const WebhookPatch& patch);
  void Delete(const policy::Actor& actor, std::int64_t id);
  PageOf<storage::WebhookDelivery> Deliveries(const policy::Actor& actor, std::int64_t id, const PageRequest& page);
  /// POST .../redeliver: the delivery is pending again, now, with a fresh 24-hour window; returns it.
  storage::WebhookDelivery Redeliver(const policy::Actor& actor, std::int64_t id, std::int64_t delivery_id);
  /// POST /webhooks/{id}/test: queues a `webhook.test` event for this endpoint only; returns the delivery.
  storage::WebhookDelivery Test(const policy::Actor& actor, std::int64_t id);

 private:
  void Authorize(const policy::Actor& actor) const;
  std::string ValidatedUrl(const std::string& url, FieldErrors& errors) const;
  Deps deps_;
  EventPublisher publish_;
};

/// The request body of an event: {"id", "type", "occurred_at", "repair_id", "data"}.
std::string WebhookPayload(const storage::EventRecord& e);

}  // namespace portico::services
