#include "services/webhooks.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "domain/webhook_rules.h"
#include "policy/policy.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;

namespace {
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxDescription = 500;
constexpr std::size_t kMaxEventTypes = 50;
}  // namespace

const std::vector<WebhookEventType>& WebhookEventTypes() {
  static const std::vector<WebhookEventType> kTypes = {
      {"repair.created", "status, unit_number, by (who created it), by_id"},
      {"repair.updated", "fields (names of the changed fields), materials_total when materials changed, by, by_id"},
      {"repair.status_changed", "previous_status, status, by, by_id"},
      {"repair.approval", "approved, previous_status, status, by, by_id"},
      {"repair.note_added", "note_id, visibility (internal or customer), by, by_id"},
      {"repair.material_added", "material_id, material_type, materials_total, by, by_id"},
      {"attachment.added", "attachment_id, owner {type, id}, kind, visibility, by"},
      {"attachment.removed", "attachment_id, owner {type, id}, kind, visibility, by"},
      {"unit.replaced", "unit_id, unit_number, previous_repair_count, by"},
      {"request.created", "request_id, status, type, title, created_by_id, by"},
      {"request.updated", "request_id, status, type, title, created_by_id, by; decision and converted_to {type, id} when decided or converted"},
      {"change_order.created", "change_order_id, status, amount, description, by"},
      {"change_order.updated", "change_order_id, status, amount, description, by (a decision or a withdrawal)"},
      {"appointment.created", "appointment_id, status, starts_at"},
      {"appointment.updated", "appointment_id, status, starts_at; reminder when the reminder went out"},
      {"part.low_stock", "part_id, sku, name, quantity_on_hand, reorder_level"},
      {"announcement.created", "announcement_id"},
      {"announcement.updated", "announcement_id"},
      {"announcement.deleted", "announcement_id"},
      {"webhook.test", "webhook_id (sent by POST /webhooks/{id}/test to that endpoint only)"},
  };
  return kTypes;
}

ResolvedTarget ResolveWebhookHost(const std::string& host, int port, bool allow_private) {
  ResolvedTarget out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &res) != 0 || !res) {
    out.refusal = "The host does not resolve.";
    return out;
  }
  for (addrinfo* a = res; a; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) continue;
    std::string address(text);
    if (std::find(out.addresses.begin(), out.addresses.end(), address) == out.addresses.end()) {
      out.addresses.push_back(address);
    }
  }
  freeaddrinfo(res);
  if (out.addresses.empty()) out.refusal = "The host does not resolve.";
  for (const auto& a : out.addresses) {
    if (!allow_private && !domain::IsPublicAddress(a)) {
      out.refusal = "The host resolves to a loopback, private, link-local or multicast address (" + a + ").";
      break;
    }
  }
  return out;
}

std::string WebhookPayload(const storage::EventRecord& e) {
  json::value data;
  try {
    data = json::parse(e.data.empty() ? "{}" : e.data);
  } catch (const std::exception&) {
    data = json::object{};
  }
  return json::serialize(json::object{{"id", e.id},
                                      {"type", e.type},
                                      {"occurred_at", FormatTimestamp(e.occurred_at)},
                                      {"repair_id", e.repair ? json::value(e.repair->value) : json::value(nullptr)},
                                      {"data", std::move(data)}});
}

void WebhookService::Authorize(const policy::Actor& actor) const {
  if (!policy::Can(actor, policy::Action::kManageWebhooks)) throw Error::Forbidden("Only the shop's admins manage webhooks.");
}

std::string WebhookService::ValidatedUrl(const std::string& url, FieldErrors& errors) const {
  if (url.size() > kMaxUrl) {
    errors["url"].push_back("At most 2000 characters.");
    return url;
  }
  auto target = domain::ParseWebhookUrl(url);
  if (!target) {
    errors["url"].push_back("An https:// URL with a host name.");
    return url;
  }
  const bool allow_private = deps_.config.webhooks_allow_private;
  if (!target->https && !allow_private) {
    errors["url"].push_back("Use https:// (http:// only when webhooks.allow_private is set).");
    return url;
  }
  auto resolved = ResolveWebhookHost(target->host, target->port, allow_private);
  if (!resolved.refusal.empty()) errors["url"].push_back(resolved.refusal);
  return url;
}

namespace {
void ValidateEvents(const std::vector<std::string>& events, FieldErrors& errors) {
  if (events.empty()) errors["events"].push_back("Name at least one event type, or \"*\".");
  if (events.size() > kMaxEventTypes) errors["events"].push_back("At most 50 event types.");
  for (const auto& e : events) {
    const auto& known = WebhookEventTypes();
    bool ok = e == "*" || std::any_of(known.begin(), known.end(), [&](const auto& k) { return e == k.type; });
    if (!ok) errors["events"].push_back("Unknown event type '" + e.substr(0, 100) + "'.");
  }
}
}  // namespace

storage::WebhookEndpoint WebhookService::Create(const policy::Actor& actor, const NewWebhook& in) {
  Authorize(actor);
  FieldErrors errors;
  ValidatedUrl(in.url, errors);
  ValidateEvents(in.events, errors);
  if (in.description.size() > kMaxDescription) errors["description"].push_back("At most 500 characters.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::WebhookEndpoint e;
  e.tenant = actor.tenant;
  e.url = in.url;
  e.events = in.events;
  std::sort(e.events.begin(), e.events.end());
  e.events.erase(std::unique(e.events.begin(), e.events.end()), e.events.end());
  e.description = in.description;
  e.secret = "whsec_" + RandomToken(32);
  e.created_at = e.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  e.event_cursor = storage::LastEventId(tx->conn(), actor.tenant);
  e.id = storage::InsertWebhookEndpoint(tx->conn(), e);
  tx->Commit();
  return e;
}

PageOf<storage::WebhookEndpoint> WebhookService::List(const policy::Actor& actor, const PageRequest& page) {
  Authorize(actor);
  auto tx = deps_.db.Read();
  return storage::ListWebhookEndpoints(tx->conn(), actor.tenant, page);
}

storage::WebhookEndpoint WebhookService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto e = storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id);
  if (!e) throw Error::NotFound("No such webhook.");
  Authorize(actor);
  return *e;
}

storage::WebhookEndpoint WebhookService::Update(const policy::Actor& actor, std::int64_t id, const WebhookPatch& p) {
  auto tx = deps_.db.Write();
  auto e = storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id);
  if (!e) throw Error::NotFound("No such webhook.");
  Authorize(actor);
  FieldErrors errors;
  if (p.url) ValidatedUrl(*p.url, errors);
  if (p.events) ValidateEvents(*p.events, errors);
  if (p.description && p.description->size() > kMaxDescription) errors["description"].push_back("At most 500 characters.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  if (p.url) e->url = *p.url;
  if (p.events) {
    e->events = *p.events;
    std::sort(e->events.begin(), e->events.end());
    e->events.erase(std::unique(e->events.begin(), e->events.end()), e->events.end());
  }
  if (p.description) e->description = *p.description;
  if (p.active) {
    if (*p.active && !e->active) {
      e->failing_since.reset();
      e->disabled_at.reset();
    }
    e->active = *p.active;
  }
  e->updated_at = deps_.clock.Now();
  storage::UpdateWebhookEndpoint(tx->conn(), *e);
  tx->Commit();
  return *e;
}

void WebhookService::Delete(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  if (!storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id)) throw Error::NotFound("No such webhook.");
  Authorize(actor);
  storage::DeleteWebhookEndpoint(tx->conn(), actor.tenant, id);
  tx->Commit();
}

PageOf<storage::WebhookDelivery> WebhookService::Deliveries(const policy::Actor& actor, std::int64_t id,
                                                            const PageRequest& page) {
  auto tx = deps_.db.Read();
  if (!storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id)) throw Error::NotFound("No such webhook.");
  Authorize(actor);
  return storage::ListWebhookDeliveries(tx->conn(), id, page);
}

storage::WebhookDelivery WebhookService::Redeliver(const policy::Actor& actor, std::int64_t id, std::int64_t delivery_id) {
  auto tx = deps_.db.Write();
  if (!storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id)) throw Error::NotFound("No such webhook.");
  if (!storage::FindWebhookDelivery(tx->conn(), id, delivery_id)) throw Error::NotFound("No such delivery.");
  Authorize(actor);
  storage::RequeueWebhookDelivery(tx->conn(), delivery_id, deps_.clock.Now());
  auto d = storage::FindWebhookDelivery(tx->conn(), id, delivery_id);
  tx->Commit();
  return *d;
}

storage::WebhookDelivery WebhookService::Test(const policy::Actor& actor, std::int64_t id) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (!storage::FindWebhookEndpoint(tx->conn(), actor.tenant, id)) throw Error::NotFound("No such webhook.");
  Authorize(actor);
  // An event addressed to the admin alone: the fan-out skips user-addressed events, so only this endpoint
  // gets it.
  storage::EventRecord ev;
  ev.tenant = actor.tenant;
  ev.type = "webhook.test";
  ev.user = actor.user;
  ev.internal = true;
  ev.data = json::serialize(json::object{{"webhook_id", id}});
  ev.occurred_at = now;
  ev.id = storage::InsertEvent(tx->conn(), ev);
  storage::WebhookDelivery d;
  d.endpoint_id = id;
  d.tenant = actor.tenant;
  d.event_id = ev.id;
  d.event_type = ev.type;
  d.payload = WebhookPayload(ev);
  d.created_at = now;
  storage::InsertWebhookDelivery(tx->conn(), d);
  auto newest = storage::ListWebhookDeliveries(tx->conn(), id, PageRequest{1, 1});
  tx->Commit();
  if (publish_) publish_(ev);
  if (newest.results.empty()) throw Error::Internal("test delivery not stored");
  return newest.results.front();
}

}  // namespace portico::services
