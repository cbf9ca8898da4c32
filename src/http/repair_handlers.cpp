#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "http/repair_json.h"

namespace portico::http {
namespace json = boost::json;

namespace {

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

std::vector<std::string> SplitCsv(const std::string& s) {
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

void RegisterRepairRoutes(App& app, services::RepairService& repairs) {
  Router& r = app.router();

  // ---- repairs ----
  r.Add("GET", "/api/v1/repairs",
        {.operation_id = "listRepairs", .summary = "Repairs in my scope, filtered and ordered", .tag = "repairs", .response_schema = "Repair",
         .paginated = true,
         .query = {"status", "customer", "unit", "technician", "q", "ordering", "page", "page_size"}},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          storage::RepairFilter f;
          if (auto s = ctx.req.QueryParam("status")) f.statuses = SplitCsv(*s);
          if (auto v = ctx.IntQuery("customer")) f.customer = CustomerId(*v);
          if (auto v = ctx.IntQuery("unit")) f.unit = UnitId(*v);
          if (auto v = ctx.IntQuery("technician")) f.technician = UserId(*v);
          if (auto q = ctx.req.QueryParam("q"); q && !q->empty()) {
            if (q->size() > 200) throw Error::Field("q", "At most 200 characters.");
            f.q = *q;
          }
          if (auto o = ctx.req.QueryParam("ordering"); o && !o->empty()) f.ordering = *o;
          return RepairPageResponse(ctx.req, page, repairs.List(ctx.actor(), f, page));
        });
  r.Add("POST", "/api/v1/repairs",
        {.operation_id = "createRepair", .summary = "Create a repair (customers: REQUESTED; staff: PENDING)", .tag = "repairs", .body = true,
         .status = 201, .request_schema = "NewRepair", .response_schema = "Repair"},
        [&repairs](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewRepair in;
          auto customer = rd.Int("customer_id", true);
          in.unit_number = rd.String("unit_number", false, 200);
          auto unit = rd.Int("unit_id");
          auto description = rd.String("description", true, 20000);
          auto damage_type = rd.String("damage_type", false, 1000);
          auto priority = rd.Int("priority");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.customer = CustomerId(*customer);
          if (unit) in.unit = UnitId(*unit);
          in.description = *description;
          in.damage_type = damage_type.value_or("");
          in.priority = priority.value_or(3);
          return RepairResponse(201, repairs.Create(ctx.actor(), in));
        });
  r.Add("GET", "/api/v1/repairs/{id}", {.operation_id = "getRepair", .summary = "One repair", .tag = "repairs", .response_schema = "Repair"},
        [&repairs](RequestContext& ctx) {
          return RepairResponse(200, repairs.Get(ctx.actor(), RepairId(ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/repairs/{id}",
        {.operation_id = "updateRepair", .summary = "Change a repair's details (send version to guard against lost updates)", .tag = "repairs",
         .body = true, .request_schema = "RepairPatch", .response_schema = "Repair"},
        [&repairs](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::RepairPatch p;
          p.version = rd.Int("version");
          p.description = rd.String("description", false, 20000);
          p.damage_type = rd.String("damage_type", false, 1000);
          p.priority = rd.Int("priority");
          p.repair_date = rd.String("repair_date", false, 20);
          bool null = false;
          if (auto v = rd.NullableBool("drilled_before_repair", &null); v || null) p.drilled_before_repair = v;
          if (auto v = rd.NullableNumber("windshield_temperature", &null); v || null) p.windshield_temperature = v;
          if (auto v = rd.NullableString("windshield_temperature_unit", &null, 5); v || null) {
            p.windshield_temperature_unit = v;
          }
          if (auto v = rd.NullableString("resin_viscosity", &null, 1000); v || null) p.resin_viscosity = v;
          if (auto v = rd.NullableInt("technician_id", &null); v || null) p.technician_id = v;
          if (auto v = rd.NullableString("price_override", &null, 30); v || null) p.price_override = v;
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          for (const auto& kv : body) p.present.emplace_back(kv.key());
          return RepairResponse(200, repairs.Update(ctx.actor(), id, p));
        });
  r.Add("POST", "/api/v1/repairs/{id}/status",
        {.operation_id = "moveRepairStatus", .summary = "Move a repair through the workflow", .tag = "repairs", .body = true,
         .request_schema = "StatusMove", .response_schema = "Repair"},
        [&repairs](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto status = rd.String("status", true, 50);
          auto notes = rd.String("notes", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return RepairResponse(200, repairs.Move(ctx.actor(), id, *status, notes.value_or("")));
        });
  r.Add("POST", "/api/v1/repairs/{id}/approval",
        {.operation_id = "decideRepairApproval", .summary = "The customer approver's decision on a PENDING repair", .tag = "repairs", .body = true,
         .request_schema = "ApprovalDecision", .response_schema = "Repair"},
        [&repairs](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto approved = rd.Bool("approved", true);
          auto notes = rd.String("notes", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return RepairResponse(200, repairs.Approve(ctx.actor(), id, *approved, notes.value_or("")));
        });
  r.Add("GET", "/api/v1/repairs/{id}/log",
        {.operation_id = "listRepairLog", .summary = "The repair's status history, oldest first", .tag = "repairs", .response_schema = "LogEntry",
         .array = true},
        [&repairs](RequestContext& ctx) {
          return JsonResponse(200, Array(repairs.Log(ctx.actor(), RepairId(ctx.IdParam("id"))), LogJson));
        });
  r.Add("GET", "/api/v1/repairs/{id}/materials",
        {.operation_id = "listRepairMaterials", .summary = "Materials used on a repair", .tag = "repairs", .response_schema = "Material", .paginated = true},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          auto p = Paginate(repairs.Materials(ctx.actor(), RepairId(ctx.IdParam("id"))), page);
          return JsonResponse(200, PageJson(ctx.req, page, p, MaterialJson));
        });
  r.Add("POST", "/api/v1/repairs/{id}/materials",
        {.operation_id = "addRepairMaterial", .summary = "Add a material (staff; not on final repairs)", .tag = "repairs", .body = true, .status = 201,
         .request_schema = "NewMaterial", .response_schema = "Material"},
        [&repairs](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          // Issue 12: {"part_id", "quantity"} takes a part from stock; material_type and unit_cost come from it.
          const bool from_part = rd.Has("part_id");
          auto part = rd.Int("part_id");
          auto type = rd.String("material_type", !from_part, 1000);
          auto quantity = rd.Number("quantity", true);
          auto unit_cost = rd.String("unit_cost", !from_part, 30);
          rd.CheckUnknown();
          if (from_part && type) errors["material_type"].push_back("Comes from the part; leave it out.");
          if (from_part && unit_cost) errors["unit_cost"].push_back("Comes from the part; leave it out.");
          ThrowIfErrors(errors);
          return JsonResponse(201, MaterialJson(repairs.AddMaterial(
                                       ctx.actor(), id, {type.value_or(""), *quantity, unit_cost.value_or(""), part})));
        });
  r.Add("DELETE", "/api/v1/repairs/{id}/materials/{material_id}",
        {.operation_id = "removeRepairMaterial", .summary = "Remove a material (staff; not on final repairs)", .tag = "repairs", .status = 204},
        [&repairs](RequestContext& ctx) {
          repairs.RemoveMaterial(ctx.actor(), RepairId(ctx.IdParam("id")), ctx.IdParam("material_id"));
          return NoContent();
        });
  r.Add("GET", "/api/v1/repairs/{id}/notes",
        {.operation_id = "listRepairNotes", .summary = "Notes on a repair (customers see customer notes only)", .tag = "repairs",
         .response_schema = "Note", .paginated = true},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          auto p = Paginate(repairs.Notes(ctx.actor(), RepairId(ctx.IdParam("id"))), page);
          return JsonResponse(200, PageJson(ctx.req, page, p, NoteJson));
        });
  r.Add("POST", "/api/v1/repairs/{id}/notes",
        {.operation_id = "addRepairNote", .summary = "Add a note: internal (staff only) or customer", .tag = "repairs", .body = true, .status = 201,
         .request_schema = "NewNote", .response_schema = "Note"},
        [&repairs](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto text = rd.String("body", true, 20000);
          auto visibility = rd.String("visibility", false, 20);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(201, NoteJson(repairs.AddNote(ctx.actor(), id, *text, visibility.value_or(""))));
        });

  // ---- units ----
  r.Add("GET", "/api/v1/units",
        {.operation_id = "listUnits", .summary = "Units in my scope", .tag = "units", .response_schema = "Unit", .paginated = true,
         .query = {"customer", "q", "page", "page_size"}},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          auto q = ctx.req.QueryParam("q");
          return JsonResponse(200, PageJson(ctx.req, page, repairs.Units(ctx.actor(), customer, q, page), UnitJson));
        });
  r.Add("POST", "/api/v1/units",
        {.operation_id = "createUnit", .summary = "Add a unit to a customer (staff)", .tag = "units", .body = true, .status = 201,
         .request_schema = "NewUnit", .response_schema = "Unit"},
        [&repairs](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto customer = rd.Int("customer_id", true);
          auto number = rd.String("unit_number", true, 200);
          auto description = rd.String("description", false, 5000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(201, UnitJson(repairs.CreateUnit(ctx.actor(), CustomerId(*customer), *number,
                                                               description.value_or(""))));
        });
  r.Add("GET", "/api/v1/units/{id}", {.operation_id = "getUnit", .summary = "One unit with its repair count and next price", .tag = "units",
                                      .response_schema = "Unit"},
        [&repairs](RequestContext& ctx) {
          return JsonResponse(200, UnitJson(repairs.Unit(ctx.actor(), UnitId(ctx.IdParam("id")))));
        });
  r.Add("POST", "/api/v1/units/{id}/replace",
        {.operation_id = "replaceUnit", .summary = "Mark a unit replaced: its repair count goes back to 0 (manager, admin)", .tag = "units",
         .response_schema = "Unit"},
        [&repairs](RequestContext& ctx) {
          return JsonResponse(200, UnitJson(repairs.ReplaceUnit(ctx.actor(), UnitId(ctx.IdParam("id")))));
        });

  // ---- technicians ----
  r.Add("GET", "/api/v1/technicians",
        {.operation_id = "listTechnicians", .summary = "Technicians with their open and completed repair counts (staff)", .tag = "technicians",
         .response_schema = "Technician", .paginated = true},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, repairs.Technicians(ctx.actor(), page), TechnicianJson));
        });
  r.Add("GET", "/api/v1/technicians/{id}/schedule",
        {.operation_id = "listTechnicianSchedule", .summary = "A technician's shifts (staff)", .tag = "technicians", .response_schema = "ScheduleEntry",
         .paginated = true, .query = {"from", "to"}},
        [&repairs](RequestContext& ctx) {
          auto page = ctx.Page();
          auto p = Paginate(repairs.Schedule(ctx.actor(), UserId(ctx.IdParam("id")), DateQuery(ctx, "from"),
                                      DateQuery(ctx, "to")), page);
          return JsonResponse(200, PageJson(ctx.req, page, p, ScheduleJson));
        });
  r.Add("POST", "/api/v1/technicians/{id}/schedule",
        {.operation_id = "addTechnicianShift", .summary = "Add a shift (admin, manager, or the technician itself)", .tag = "technicians", .body = true,
         .status = 201, .request_schema = "NewScheduleEntry", .response_schema = "ScheduleEntry"},
        [&repairs](RequestContext& ctx) {
          auto id = UserId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto date = rd.String("date", true, 20);
          auto start = rd.String("start_time", true, 10);
          auto end = rd.String("end_time", true, 10);
          auto available = rd.Bool("is_available");
          auto notes = rd.String("notes", false, 5000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(201, ScheduleJson(repairs.AddSchedule(ctx.actor(), id, *date, *start, *end,
                                                                    available.value_or(true), notes.value_or(""))));
        });
}

}  // namespace portico::http
