// Figures for the dashboards: per unit, per month, per imported shop, per status (API.md "Figures for
// the dashboards"). Handlers parse, call the figures service, serialise.
#include <algorithm>
#include <boost/json.hpp>

#include "core/error.h"
#include "domain/money.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

/// A query parameter that names a date, if present and not empty.
std::optional<std::string> DateQuery(const RequestContext& ctx, const char* name) {
  auto v = ctx.req.QueryParam(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

template <class T, class F>
json::array Array(const std::vector<T>& items, F&& f) {
  json::array a;
  a.reserve(items.size());
  for (const auto& i : items) a.push_back(f(i));
  return a;
}

}  // namespace

void RegisterFigureRoutes(App& app, services::FiguresService& figures) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/stats/units",
        {.operation_id = "getUnitStats", .summary = "Repair count and total cost per unit", .tag = "stats", .response_schema = "UnitFigure",
         .array = true, .query = {"customer"}},
        [&figures](RequestContext& ctx) {
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          return JsonResponse(200, Array(figures.UnitFigures(ctx.actor(), customer), [](const storage::UnitFigure& f) {
                                return json::value(json::object{{"unit_id", f.unit.value},
                                                                {"unit_number", f.unit_number},
                                                                {"repair_count", f.repair_count},
                                                                {"total_cost", domain::FormatMoney(f.total_cost_cents)}});
                              }));
        });
  r.Add("GET", "/api/v1/stats/repairs",
        {.operation_id = "getRepairStats", .summary = "Repairs, completions and cost per month (by repair_date); months=N: the N most recent months with repairs", .tag = "stats",
         .response_schema = "PeriodFigure", .array = true, .query = {"customer", "from", "to", "months", "group_by"}},
        [&figures](RequestContext& ctx) {
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          if (auto g = ctx.req.QueryParam("group_by"); g && !g->empty() && *g != "month") {
            throw Error::Field("group_by", "Only \"month\" is supported.");
          }
          // The range itself is checked by FiguresService (400 on months); clamped only to fit an int.
          std::optional<int> months;
          if (auto v = ctx.IntQuery("months")) months = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 100000));
          auto rows = figures.MonthFigures(ctx.actor(), customer, DateQuery(ctx, "from"), DateQuery(ctx, "to"), months);
          return JsonResponse(200, Array(rows, [](const storage::PeriodFigure& f) {
                                return json::value(json::object{{"period", f.period},
                                                                {"count", f.count},
                                                                {"completed", f.completed},
                                                                {"cost", domain::FormatMoney(f.cost_cents)}});
                              }));
        });
  r.Add("GET", "/api/v1/stats/shops",
        {.operation_id = "getShopStats", .summary = "Repairs, completions and cost per imported shop (the source's technician_ref), most repairs first", .tag = "stats",
         .response_schema = "ShopFigure", .array = true, .query = {"customer", "from", "to", "months"}},
        [&figures](RequestContext& ctx) {
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          std::optional<int> months;
          if (auto v = ctx.IntQuery("months")) months = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 100000));
          auto shops = figures.ShopFigures(ctx.actor(), customer, DateQuery(ctx, "from"), DateQuery(ctx, "to"), months);
          return JsonResponse(200, Array(shops, [](const storage::ShopFigure& f) {
                                return json::value(json::object{{"shop", f.shop},
                                                                {"count", f.count},
                                                                {"completed", f.completed},
                                                                {"cost", domain::FormatMoney(f.cost_cents)}});
                              }));
        });
  r.Add("GET", "/api/v1/stats/status",
        {.operation_id = "getStatusCounts", .summary = "Repairs per status in my scope", .tag = "stats", .response_schema = "StatusCounts"},
        [&figures](RequestContext& ctx) {
          json::object o;
          for (const auto& [status, n] : figures.StatusCounts(ctx.actor())) o[status] = n;
          return JsonResponse(200, o);
        });
}

}  // namespace portico::http
