// Parts inventory routes (issue 12; API.md "Parts inventory"): parts, their movements and stock changes.
#include <boost/json.hpp>

#include "core/error.h"
#include "domain/money.h"
#include "domain/stock.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value PartJson(const storage::PartRecord& p) {
  return json::object{{"id", p.id},
                      {"sku", p.sku},
                      {"name", p.name},
                      {"unit_cost", domain::FormatMoney(p.unit_cost_cents)},
                      {"quantity_on_hand", domain::FromMilli(p.quantity_milli)},
                      {"reorder_level", domain::FromMilli(p.reorder_level_milli)},
                      {"low_stock", domain::IsLow(p.quantity_milli, p.reorder_level_milli)},
                      {"location", p.location},
                      {"active", p.active},
                      {"created_at", FormatTimestamp(p.created_at)},
                      {"updated_at", FormatTimestamp(p.updated_at)}};
}

json::value MovementJson(const storage::PartMovementRecord& m) {
  json::value by = nullptr;
  if (m.by) by = json::object{{"id", m.by->value}, {"name", m.by_name}};
  return json::object{{"id", m.id},
                      {"kind", m.kind},
                      {"quantity", domain::FromMilli(m.quantity_milli)},
                      {"repair_id", m.repair ? json::value(m.repair->value) : json::value(nullptr)},
                      {"reason", m.reason},
                      {"by", by},
                      {"created_at", FormatTimestamp(m.created_at)}};
}

services::PartInput ReadPart(const json::object& body, bool create) {
  FieldErrors errors;
  ObjectReader rd(body, errors);
  services::PartInput in;
  in.sku = rd.String("sku", create, 1000);
  in.name = rd.String("name", create, 2000);
  in.unit_cost = rd.String("unit_cost", create, 30);
  in.reorder_level = rd.Number("reorder_level");
  in.location = rd.String("location", false, 1000);
  in.active = rd.Bool("active");
  rd.CheckUnknown();
  ThrowIfErrors(errors);
  return in;
}

}  // namespace

void RegisterPartsRoutes(App& app, services::PartsService& parts) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/parts",
        {.operation_id = "listParts", .summary = "Parts by SKU; q searches SKU and name; low_stock=true (staff)", .tag = "parts",
         .response_schema = "Part", .paginated = true, .query = {"q", "low_stock", "page", "page_size"}},
        [&parts](RequestContext& ctx) {
          auto page = ctx.Page();
          auto low = ctx.req.QueryParam("low_stock");
          if (low && !low->empty() && *low != "true" && *low != "false") throw Error::Field("low_stock", "true or false.");
          return JsonResponse(200, PageJson(ctx.req, page,
                                            Paginate(parts.List(ctx.actor(), ctx.req.QueryParam("q"), low == "true"), page),
                                            PartJson));
        });
  r.Add("POST", "/api/v1/parts",
        {.operation_id = "createPart", .summary = "Create a part with no stock (manager, admin; duplicate SKU 409)", .tag = "parts",
         .body = true, .status = 201, .request_schema = "NewPart", .response_schema = "Part"},
        [&parts](RequestContext& ctx) {
          auto in = ReadPart(ctx.Body(), true);
          return JsonResponse(201, PartJson(parts.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/parts/{id}",
        {.operation_id = "getPart", .summary = "One part (staff)", .tag = "parts", .response_schema = "Part"},
        [&parts](RequestContext& ctx) { return JsonResponse(200, PartJson(parts.Get(ctx.actor(), ctx.IdParam("id")))); });
  r.Add("PATCH", "/api/v1/parts/{id}",
        {.operation_id = "updatePart", .summary = "Change a part's details; stock changes only by movements (manager, admin)",
         .tag = "parts", .body = true, .request_schema = "PartPatch", .response_schema = "Part"},
        [&parts](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto in = ReadPart(ctx.Body(), false);
          return JsonResponse(200, PartJson(parts.Update(ctx.actor(), id, in)));
        });
  r.Add("GET", "/api/v1/parts/{id}/movements",
        {.operation_id = "listPartMovements", .summary = "A part's stock movements, oldest first; they add up to its stock (staff)",
         .tag = "parts", .response_schema = "PartMovement", .array = true},
        [&parts](RequestContext& ctx) {
          json::array out;
          for (const auto& m : parts.Movements(ctx.actor(), ctx.IdParam("id"))) out.push_back(MovementJson(m));
          return JsonResponse(200, out);
        });
  r.Add("POST", "/api/v1/parts/{id}/movements",
        {.operation_id = "addPartMovement", .summary = "Receive or adjust stock (manager, admin; never below zero: 409)",
         .tag = "parts", .body = true, .status = 201, .request_schema = "NewPartMovement", .response_schema = "PartMovement"},
        [&parts](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewMovement in;
          auto kind = rd.String("kind", true, 100);
          auto quantity = rd.Number("quantity", true);
          auto reason = rd.String("reason", false, 5000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.kind = *kind;
          in.quantity = *quantity;
          in.reason = reason.value_or("");
          return JsonResponse(201, MovementJson(parts.AddMovement(ctx.actor(), id, in)));
        });
}

}  // namespace portico::http
