#include <boost/json.hpp>

#include "core/error.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "http/openapi.h"

namespace portico::http {
namespace json = boost::json;

void RegisterOpsRoutes(App& app, storage::Database& db, const Config& config) {
  Router& r = app.router();
  r.Add("GET", "/healthz", {.operation_id = "getHealth", .summary = "200 while the process serves", .tag = "ops", .auth = false, .response_schema = "Health"},
        [](RequestContext&) { return JsonResponse(200, json::object{{"status", "ok"}}); });
  r.Add("GET", "/readyz", {.operation_id = "getReadiness", .summary = "200 when the database answers", .tag = "ops", .auth = false, .response_schema = "Health"},
        [&db](RequestContext&) {
          if (!db.Ping()) throw Error(ErrorCode::kUnavailable, "The database does not answer.");
          return JsonResponse(200, json::object{{"status", "ready"}});
        });
  r.Add("GET", "/metrics", {.operation_id = "getMetrics", .summary = "Prometheus metrics", .tag = "ops", .auth = false, .response_schema = "Metrics"},
        [&app](RequestContext&) {
          Response res;
          res.content_type = "text/plain; version=0.0.4; charset=utf-8";
          res.body = app.metrics().Render();
          return res;
        });
  r.Add("GET", "/api/v1/openapi.json", {.operation_id = "getOpenApi", .summary = "This document", .tag = "ops", .auth = false,
                                        .response_schema = "OpenApiDocument"},
        [&app](RequestContext&) { return JsonResponse(200, BuildOpenApi(app.router())); });
  r.Add("GET", "/api/v1/config", {.operation_id = "getPortalConfig", .summary = "Public settings the portal needs before login", .tag = "ops",
                                  .auth = false, .response_schema = "PortalConfig"},
        [&config](RequestContext&) {
          return JsonResponse(200, json::object{{"default_tenant", config.default_tenant}, {"version", "0.1.0"}});
        });
}

}  // namespace portico::http
