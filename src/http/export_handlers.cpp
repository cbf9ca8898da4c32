// CSV exports (issue 14; API.md, "Exports and invoices"): the repairs list, a unit's history and the
// monthly figures as text/csv. The repairs and a unit's history are streamed with chunked transfer
// encoding, one chunk of rows read per piece (constant memory); the figures are a few hundred rows at most.
#include <algorithm>

#include "core/error.h"
#include "domain/csv_writer.h"
#include "domain/money.h"
#include "http/handlers.h"

namespace portico::http {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    auto j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    auto part = s.substr(i, j - i);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    i = j + 1;
  }
  return out;
}

Response CsvHeaders(const std::string& filename) {
  Response res;
  res.content_type = "text/csv; charset=utf-8";
  res.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

/// A response whose body is the export, generated piece by piece as the client reads it.
Response Streamed(std::unique_ptr<services::RepairExport> export_run, const std::string& filename) {
  Response res = CsvHeaders(filename);
  auto source = std::make_shared<BodySource>();
  source->size = BodySource::kUnknownSize;
  std::shared_ptr<services::RepairExport> run = std::move(export_run);
  source->read = [run](std::int64_t, std::int64_t) { return run->Next(); };
  res.stream_body = std::move(source);
  return res;
}

}  // namespace

void RegisterExportRoutes(App& app, services::ExportService& exports, services::FiguresService& figures,
                          services::InvoiceService& invoices) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/repairs/{id}/invoice.pdf",
        {.operation_id = "getRepairInvoicePdf",
         .summary = "The invoice of a COMPLETED repair as a one-page PDF (409 before completion)",
         .tag = "exports",
         .response_schema = "Pdf"},
        [&invoices](RequestContext& ctx) {
          const auto id = ctx.IdParam("id");
          Response res;
          res.content_type = "application/pdf";
          res.body = invoices.Pdf(ctx.actor(), RepairId(id));
          res.SetHeader("Content-Disposition", "attachment; filename=\"invoice-R-" + std::to_string(id) + ".pdf\"");
          res.SetHeader("Cache-Control", "no-store");
          return res;
        });
  r.Add("GET", "/api/v1/repairs/export.csv",
        {.operation_id = "exportRepairsCsv",
         .summary = "Repairs in my scope with the list's filters as CSV, oldest first (streamed)",
         .tag = "exports",
         .response_schema = "Csv",
         .query = {"status", "customer", "unit", "technician", "q"}},
        [&exports](RequestContext& ctx) {
          storage::RepairFilter f;
          if (auto s = ctx.req.QueryParam("status")) f.statuses = SplitList(*s);
          if (auto v = ctx.IntQuery("customer")) f.customer = CustomerId(*v);
          if (auto v = ctx.IntQuery("unit")) f.unit = UnitId(*v);
          if (auto v = ctx.IntQuery("technician")) f.technician = UserId(*v);
          if (auto q = ctx.req.QueryParam("q"); q && !q->empty()) {
            if (q->size() > 200) throw Error::Field("q", "At most 200 characters.");
            f.q = *q;
          }
          return Streamed(exports.Repairs(ctx.actor(), std::move(f)), "repairs.csv");
        });
  r.Add("GET", "/api/v1/units/{id}/history.csv",
        {.operation_id = "exportUnitHistoryCsv", .summary = "Every repair of a unit as CSV, oldest first (streamed)",
         .tag = "exports", .response_schema = "Csv"},
        [&exports](RequestContext& ctx) {
          const auto id = ctx.IdParam("id");
          return Streamed(exports.UnitHistory(ctx.actor(), UnitId(id)), "unit-" + std::to_string(id) + "-history.csv");
        });
  r.Add("GET", "/api/v1/stats/repairs.csv",
        {.operation_id = "exportRepairStatsCsv",
         .summary = "The monthly figures of GET /stats/repairs as CSV (same parameters)",
         .tag = "exports",
         .response_schema = "Csv",
         .query = {"customer", "from", "to", "months", "group_by"}},
        [&figures](RequestContext& ctx) {
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          if (auto g = ctx.req.QueryParam("group_by"); g && !g->empty() && *g != "month") {
            throw Error::Field("group_by", "Only \"month\" is supported.");
          }
          // The range itself is checked by FiguresService (400 on months); clamped only to fit an int.
          std::optional<int> months;
          if (auto v = ctx.IntQuery("months")) months = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 100000));
          auto date = [&ctx](const char* name) -> std::optional<std::string> {
            auto v = ctx.req.QueryParam(name);
            if (!v || v->empty()) return std::nullopt;
            return v;
          };
          auto rows = figures.MonthFigures(ctx.actor(), customer, date("from"), date("to"), months);
          Response res = CsvHeaders("repair-figures.csv");
          domain::AppendCsvRow(res.body, {"period", "count", "completed", "cost"});
          for (const auto& f : rows) {
            domain::AppendCsvRow(res.body, {f.period, std::to_string(f.count), std::to_string(f.completed),
                                            domain::FormatMoney(f.cost_cents)});
          }
          return res;
        });
}

}  // namespace portico::http
