// Client requests and change orders (issue 10; API.md "Client requests", "Change orders"). Handlers parse,
// call one service, serialise. A request's attachments are on the attachment routes.
#include <boost/json.hpp>

#include "core/error.h"
#include "domain/money.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value Who(const std::optional<UserId>& id, const std::string& name) {
  if (!id) return nullptr;
  return json::object{{"id", id->value}, {"name", name}};
}

json::value OptNumber(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value OptTime(const std::optional<UnixSeconds>& t) {
  return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
}

/// {"notes": "..."}-style bodies: one optional string field (and nothing else).
std::string OneString(const RequestContext& ctx, const char* key, std::size_t max_len = 20000) {
  if (ctx.req.body.empty()) return "";
  auto body = ctx.Body();
  FieldErrors errors;
  ObjectReader rd(body, errors);
  auto v = rd.String(key, false, max_len);
  rd.CheckUnknown();
  ThrowIfErrors(errors);
  return v.value_or("");
}

}  // namespace

json::value ClientRequestJson(const services::RequestView& v) {
  const auto& r = v.request;
  json::array actions;
  for (const auto& a : v.allowed_actions) actions.emplace_back(a);
  return json::object{
      {"id", r.id},
      {"customer_id", r.customer.value},
      {"type", r.type},
      {"title", r.title},
      {"description", r.description},
      {"repair_id", OptNumber(r.repair_id)},
      {"unit_id", OptNumber(r.unit_id)},
      {"status", r.status},
      {"created_by", Who(r.created_by, r.created_by_name)},
      {"decided_by", Who(r.decided_by, r.decided_by_name)},
      {"decided_at", OptTime(r.decided_at)},
      {"decision_notes", r.decision_notes ? json::value(*r.decision_notes) : json::value(nullptr)},
      {"converted_to", r.converted_type ? json::value(json::object{{"type", *r.converted_type}, {"id", *r.converted_id}})
                                        : json::value(nullptr)},
      {"attachment_count", r.attachment_count},
      {"allowed_actions", std::move(actions)},
      {"created_at", FormatTimestamp(r.created_at)},
      {"updated_at", FormatTimestamp(r.updated_at)},
  };
}

json::value ChangeOrderJson(const services::ChangeOrderView& v) {
  const auto& o = v.order;
  return json::object{
      {"id", o.id},
      {"repair_id", o.repair.value},
      {"request_id", OptNumber(o.request_id)},
      {"description", o.description},
      {"amount", domain::FormatMoney(o.amount_cents)},
      {"status", o.status},
      {"created_by", Who(o.created_by, o.created_by_name)},
      {"decided_by", Who(o.decided_by, o.decided_by_name)},
      {"decided_at", OptTime(o.decided_at)},
      {"notes", o.notes},
      {"can_decide", v.can_decide},
      {"can_withdraw", v.can_withdraw},
      {"within_approval_limit", v.within_approval_limit},
      {"approval_limit", v.approval_limit ? json::value(domain::FormatMoney(*v.approval_limit)) : json::value(nullptr)},
      {"repair_estimated_cost", domain::FormatMoney(v.repair_estimated_cost)},
      {"estimated_cost_if_approved", domain::FormatMoney(v.estimated_cost_if_approved)},
      {"created_at", FormatTimestamp(o.created_at)},
      {"updated_at", FormatTimestamp(o.updated_at)},
  };
}

void RegisterRequestRoutes(App& app, RequestServices s) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/requests",
        {.operation_id = "listClientRequests", .summary = "Client requests, pending first (staff: the tenant's; customer users: their customers')",
         .tag = "requests", .response_schema = "ClientRequest", .paginated = true,
         .query = {"status", "type", "customer", "repair", "page", "page_size"}},
        [&requests = s.requests](RequestContext& ctx) {
          auto page = ctx.Page();
          storage::RequestFilter f;
          if (auto v = ctx.req.QueryParam("status"); v && !v->empty()) f.status = *v;
          if (auto v = ctx.req.QueryParam("type"); v && !v->empty()) f.type = *v;
          if (auto v = ctx.IntQuery("customer")) f.customer = CustomerId(*v);
          f.repair = ctx.IntQuery("repair");
          return JsonResponse(200, PageJson(ctx.req, page, requests.List(ctx.actor(), f, page), ClientRequestJson));
        });
  r.Add("POST", "/api/v1/requests",
        {.operation_id = "createClientRequest", .summary = "Send a request to the shop (customer requesters and approvers; staff)",
         .tag = "requests", .body = true, .status = 201, .request_schema = "NewClientRequest",
         .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto customer = rd.Int("customer_id", true);
          auto type = rd.String("type", true, 50);
          auto title = rd.String("title", true, 2000);
          auto description = rd.String("description", false, 50000);
          bool null_repair = false, null_unit = false;
          auto repair = rd.NullableInt("repair_id", &null_repair);
          auto unit = rd.NullableInt("unit_id", &null_unit);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          services::NewClientRequest in{CustomerId(*customer), *type, *title, description.value_or(""), repair, unit};
          return JsonResponse(201, ClientRequestJson(requests.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/requests/{id}",
        {.operation_id = "getClientRequest", .summary = "One client request", .tag = "requests",
         .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          return JsonResponse(200, ClientRequestJson(requests.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/requests/{id}",
        {.operation_id = "updateClientRequest", .summary = "Change a pending request's title and description (its creator)",
         .tag = "requests", .body = true, .request_schema = "ClientRequestPatch", .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::RequestPatch p;
          p.title = rd.String("title", false, 2000);
          p.description = rd.String("description", false, 50000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, ClientRequestJson(requests.Update(ctx.actor(), id, p)));
        });
  r.Add("POST", "/api/v1/requests/{id}/approve",
        {.operation_id = "approveClientRequest", .summary = "Approve a pending request (manager, admin)", .tag = "requests",
         .body = true, .request_schema = "DecisionNotes", .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          return JsonResponse(200, ClientRequestJson(requests.Approve(ctx.actor(), id, OneString(ctx, "notes"))));
        });
  r.Add("POST", "/api/v1/requests/{id}/reject",
        {.operation_id = "rejectClientRequest", .summary = "Reject a pending request with a reason (manager, admin)",
         .tag = "requests", .body = true, .request_schema = "RejectRequest", .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          return JsonResponse(200, ClientRequestJson(requests.Reject(ctx.actor(), id, OneString(ctx, "reason"))));
        });
  r.Add("POST", "/api/v1/requests/{id}/convert",
        {.operation_id = "convertClientRequest", .summary = "Convert a pending request into a PENDING repair or a change order (manager, admin)",
         .tag = "requests", .body = true, .request_schema = "ConvertRequest", .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::ConvertRequest in;
          auto into = rd.String("into", true, 50);
          in.unit_number = rd.String("unit_number", false, 500);
          in.amount = rd.String("amount", false, 50);
          in.description = rd.String("description", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.into = *into;
          return JsonResponse(200, ClientRequestJson(requests.Convert(ctx.actor(), id, in)));
        });
  r.Add("POST", "/api/v1/requests/{id}/withdraw",
        {.operation_id = "withdrawClientRequest", .summary = "Withdraw a pending request (its creator)", .tag = "requests",
         .response_schema = "ClientRequest"},
        [&requests = s.requests](RequestContext& ctx) {
          return JsonResponse(200, ClientRequestJson(requests.Withdraw(ctx.actor(), ctx.IdParam("id"))));
        });

  // ---- change orders ----
  r.Add("GET", "/api/v1/repairs/{id}/change-orders",
        {.operation_id = "listChangeOrders", .summary = "A repair's change orders, oldest first", .tag = "change-orders",
         .response_schema = "ChangeOrder", .paginated = true, .query = {"page", "page_size"}},
        [&orders = s.change_orders](RequestContext& ctx) {
          auto page = ctx.Page();
          auto all = orders.List(ctx.actor(), RepairId(ctx.IdParam("id")));
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(std::move(all), page), ChangeOrderJson));
        });
  r.Add("POST", "/api/v1/repairs/{id}/change-orders",
        {.operation_id = "proposeChangeOrder", .summary = "Propose extra work on a repair that is not final (staff)",
         .tag = "change-orders", .body = true, .status = 201, .request_schema = "NewChangeOrder",
         .response_schema = "ChangeOrder"},
        [&orders = s.change_orders](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto description = rd.String("description", true, 20000);
          auto amount = rd.String("amount", true, 50);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(201, ChangeOrderJson(orders.Propose(ctx.actor(), id, *description, *amount)));
        });
  r.Add("GET", "/api/v1/change-orders/{id}",
        {.operation_id = "getChangeOrder", .summary = "One change order", .tag = "change-orders",
         .response_schema = "ChangeOrder"},
        [&orders = s.change_orders](RequestContext& ctx) {
          return JsonResponse(200, ChangeOrderJson(orders.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("POST", "/api/v1/change-orders/{id}/decision",
        {.operation_id = "decideChangeOrder", .summary = "Approve (within the approval limit) or decline a proposed change order (customer approver)",
         .tag = "change-orders", .body = true, .request_schema = "ChangeOrderDecision", .response_schema = "ChangeOrder"},
        [&orders = s.change_orders](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto approved = rd.Bool("approved", true);
          auto notes = rd.String("notes", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, ChangeOrderJson(orders.Decide(ctx.actor(), id, *approved, notes.value_or(""))));
        });
  r.Add("POST", "/api/v1/change-orders/{id}/withdraw",
        {.operation_id = "withdrawChangeOrder", .summary = "Withdraw a proposed change order (staff)", .tag = "change-orders",
         .response_schema = "ChangeOrder"},
        [&orders = s.change_orders](RequestContext& ctx) {
          return JsonResponse(200, ChangeOrderJson(orders.Withdraw(ctx.actor(), ctx.IdParam("id"))));
        });
}

}  // namespace portico::http
