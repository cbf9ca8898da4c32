// Webhooks (issue 14; API.md, "Webhooks"): the admin's endpoints, their delivery log, redelivery and test
// sends. The secret appears only in the answer to POST /webhooks.
#include <boost/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value OptTime(const std::optional<UnixSeconds>& t) {
  return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
}

json::value WebhookJson(const storage::WebhookEndpoint& e, bool with_secret = false) {
  json::array events;
  for (const auto& t : e.events) events.emplace_back(t);
  json::object o{{"id", e.id},
                 {"url", e.url},
                 {"events", std::move(events)},
                 {"description", e.description},
                 {"active", e.active},
                 {"failing_since", OptTime(e.failing_since)},
                 {"disabled_at", OptTime(e.disabled_at)},
                 {"created_at", FormatTimestamp(e.created_at)},
                 {"updated_at", FormatTimestamp(e.updated_at)}};
  if (with_secret) o["secret"] = e.secret;
  return o;
}

json::value DeliveryJson(const storage::WebhookDelivery& d) {
  return json::object{
      {"id", d.id},
      {"event_id", d.event_id},
      {"event_type", d.event_type},
      {"status", d.status},
      {"attempts", d.attempts},
      {"last_status_code", d.last_status_code ? json::value(*d.last_status_code) : json::value(nullptr)},
      {"last_error", d.last_error ? json::value(*d.last_error) : json::value(nullptr)},
      {"next_attempt_at", d.status == "pending" ? OptTime(d.next_attempt_at) : json::value(nullptr)},
      {"delivered_at", OptTime(d.delivered_at)},
      {"created_at", FormatTimestamp(d.created_at)},
  };
}

Response Status(int status) {
  Response r;
  r.status = status;
  return r;
}

}  // namespace

void RegisterWebhookRoutes(App& app, services::WebhookService& webhooks) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/webhooks",
        {.operation_id = "listWebhooks", .summary = "The tenant's webhook endpoints (admin)", .tag = "webhooks",
         .response_schema = "Webhook", .paginated = true, .query = {"page", "page_size"}},
        [&webhooks](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, webhooks.List(ctx.actor(), page),
                                            [](const auto& e) { return WebhookJson(e); }));
        });
  r.Add("POST", "/api/v1/webhooks",
        {.operation_id = "createWebhook", .summary = "Register an endpoint; the answer shows its secret once (admin)",
         .tag = "webhooks", .body = true, .status = 201, .request_schema = "NewWebhook",
         .response_schema = "CreatedWebhook"},
        [&webhooks](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewWebhook in;
          auto url = rd.String("url", true, 2000);
          auto events = rd.StringArray("events", true, 50, 100);
          auto description = rd.String("description", false, 500);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.url = *url;
          in.events = *events;
          in.description = description.value_or("");
          return JsonResponse(201, WebhookJson(webhooks.Create(ctx.actor(), in), true));
        });
  r.Add("GET", "/api/v1/webhooks/{id}",
        {.operation_id = "getWebhook", .summary = "One webhook endpoint (admin)", .tag = "webhooks",
         .response_schema = "Webhook"},
        [&webhooks](RequestContext& ctx) { return JsonResponse(200, WebhookJson(webhooks.Get(ctx.actor(), ctx.IdParam("id")))); });
  r.Add("PATCH", "/api/v1/webhooks/{id}",
        {.operation_id = "updateWebhook", .summary = "Change an endpoint; active=true re-enables a disabled one (admin)",
         .tag = "webhooks", .body = true, .request_schema = "WebhookPatch", .response_schema = "Webhook"},
        [&webhooks](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::WebhookPatch p;
          p.url = rd.String("url", false, 2000);
          p.events = rd.StringArray("events", false, 50, 100);
          p.description = rd.String("description", false, 500);
          p.active = rd.Bool("active");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, WebhookJson(webhooks.Update(ctx.actor(), id, p)));
        });
  r.Add("DELETE", "/api/v1/webhooks/{id}",
        {.operation_id = "deleteWebhook", .summary = "Remove an endpoint and its delivery log (admin)", .tag = "webhooks",
         .status = 204},
        [&webhooks](RequestContext& ctx) {
          webhooks.Delete(ctx.actor(), ctx.IdParam("id"));
          return Status(204);
        });
  r.Add("GET", "/api/v1/webhooks/{id}/deliveries",
        {.operation_id = "listWebhookDeliveries", .summary = "An endpoint's deliveries, newest first (admin)",
         .tag = "webhooks", .response_schema = "WebhookDelivery", .paginated = true, .query = {"page", "page_size"}},
        [&webhooks](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, webhooks.Deliveries(ctx.actor(), ctx.IdParam("id"), page),
                                            DeliveryJson));
        });
  r.Add("POST", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        {.operation_id = "redeliverWebhookDelivery", .summary = "Send a delivery again now; answers the queued delivery (admin)",
         .tag = "webhooks", .status = 202, .response_schema = "WebhookDelivery"},
        [&webhooks](RequestContext& ctx) {
          return JsonResponse(202, DeliveryJson(webhooks.Redeliver(ctx.actor(), ctx.IdParam("id"), ctx.IdParam("delivery_id"))));
        });
  r.Add("POST", "/api/v1/webhooks/{id}/test",
        {.operation_id = "testWebhook", .summary = "Queue a webhook.test event for this endpoint (admin)",
         .tag = "webhooks", .status = 202, .response_schema = "WebhookDelivery"},
        [&webhooks](RequestContext& ctx) {
          return JsonResponse(202, DeliveryJson(webhooks.Test(ctx.actor(), ctx.IdParam("id"))));
        });
}

}  // namespace portico::http
