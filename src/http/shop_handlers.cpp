// Shop operations routes (issue 12; API.md "Appointments"): shop settings, service types, availability,
// appointments and their moves, calendar-feed tokens and the technicians' iCalendar feeds.
#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value SettingsJson(const services::ShopSettings& s) {
  json::object hours;
  for (std::size_t d = 0; d < 7; ++d) {
    json::array day;
    for (const auto& [open, close] : s.hours[d]) {
      day.push_back(json::array{json::string(FormatTimeOfDay(open)),
                                json::string(close == 1440 ? "24:00" : FormatTimeOfDay(close))});
    }
    hours[services::kDayKeys[d]] = std::move(day);
  }
  return json::object{{"time_zone", s.time_zone},
                      {"bays", s.bays},
                      {"opening_hours", std::move(hours)},
                      {"slot_minutes", s.slot_minutes}};
}

json::value ServiceTypeJson(const storage::ServiceTypeRecord& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"duration_minutes", s.duration_minutes},
                      {"active", s.active},
                      {"created_at", FormatTimestamp(s.created_at)},
                      {"updated_at", FormatTimestamp(s.updated_at)}};
}

json::value SlotJson(const domain::Slot& s) {
  return json::object{{"starts_at", FormatTimestamp(s.starts_at)},
                      {"ends_at", FormatTimestamp(s.ends_at)},
                      {"local_start", s.local_start}};
}

json::value OptId(const auto& v) { return v ? json::value(v->value) : json::value(nullptr); }

json::value AppointmentJson(const services::AppointmentView& v) {
  const auto& a = v.record;
  return json::object{{"id", a.id},
                      {"customer_id", a.customer.value},
                      {"unit_id", a.unit.value},
                      {"service_type_id", a.service_type},
                      {"repair_id", OptId(a.repair)},
                      {"technician_id", OptId(a.technician)},
                      {"starts_at", FormatTimestamp(a.starts_at)},
                      {"ends_at", FormatTimestamp(a.ends_at)},
                      {"local_start", v.local_start},
                      {"status", a.status},
                      {"notes", a.notes},
                      {"cancel_reason", a.cancel_reason},
                      {"created_at", FormatTimestamp(a.created_at)},
                      {"updated_at", FormatTimestamp(a.updated_at)}};
}

/// Opening hours from {"mon": [["08:00", "17:00"]], ...}: all seven days required.
domain::OpeningHours ReadOpeningHours(const json::object& o, FieldErrors& errors) {
  domain::OpeningHours h;
  for (const auto& [k, v] : o) {
    bool known = false;
    for (auto key : services::kDayKeys) known = known || k == key;
    if (!known) errors["opening_hours." + std::string(k)].push_back("Unknown day; use mon..sun.");
  }
  for (std::size_t d = 0; d < 7; ++d) {
    const std::string field = std::string("opening_hours.") + services::kDayKeys[d];
    auto* day = o.if_contains(services::kDayKeys[d]);
    if (!day) {
      errors[field].push_back("Required: a list of [open, close] pairs, [] when closed.");
      continue;
    }
    if (!day->is_array() || day->as_array().size() > 12) {
      errors[field].push_back("A list of at most 12 [\"HH:MM\", \"HH:MM\"] pairs.");
      continue;
    }
    for (const auto& iv : day->as_array()) {
      if (!iv.is_array() || iv.as_array().size() != 2 || !iv.as_array()[0].is_string() ||
          !iv.as_array()[1].is_string()) {
        errors[field].push_back("Each interval is [\"HH:MM\", \"HH:MM\"].");
        break;
      }
      std::string open_text(iv.as_array()[0].as_string()), close_text(iv.as_array()[1].as_string());
      auto open = ParseTimeOfDay(open_text);
      auto close = close_text == "24:00" ? std::optional<int>(1440) : ParseTimeOfDay(close_text);
      if (!open || !close) {
        errors[field].push_back("Times are HH:MM (24:00 for midnight at the end of the day).");
        break;
      }
      h[d].emplace_back(*open, *close);
    }
  }
  return h;
}

services::ServiceTypeInput ReadServiceType(const json::object& body, bool create) {
  FieldErrors errors;
  ObjectReader rd(body, errors);
  services::ServiceTypeInput in;
  in.name = rd.String("name", create, 1000);
  in.duration_minutes = rd.Int("duration_minutes", create);
  in.active = rd.Bool("active");
  rd.CheckUnknown();
  ThrowIfErrors(errors);
  return in;
}

}  // namespace

void RegisterShopRoutes(App& app, ShopServices s) {
  Router& r = app.router();

  r.Add("GET", "/api/v1/settings/shop",
        {.operation_id = "getShopSettings", .summary = "The shop's time zone, bays, opening hours and slot grid (anyone logged in)",
         .tag = "shop", .response_schema = "ShopSettings"},
        [&shop = s.shop](RequestContext& ctx) { return JsonResponse(200, SettingsJson(shop.GetSettings(ctx.actor()))); });
  r.Add("PUT", "/api/v1/settings/shop",
        {.operation_id = "putShopSettings", .summary = "Change the shop's settings (admin)", .tag = "shop", .body = true,
         .request_schema = "ShopSettings", .response_schema = "ShopSettings"},
        [&shop = s.shop](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::ShopSettings in;
          auto zone = rd.String("time_zone", true, 100);
          auto bays = rd.Int("bays", true);
          auto slot = rd.Int("slot_minutes", true);
          auto* hours = rd.Object("opening_hours", true);
          rd.CheckUnknown();
          if (hours) in.hours = ReadOpeningHours(*hours, errors);
          ThrowIfErrors(errors);
          in.time_zone = *zone;
          in.bays = *bays;
          in.slot_minutes = *slot;
          return JsonResponse(200, SettingsJson(shop.PutSettings(ctx.actor(), in)));
        });

  r.Add("GET", "/api/v1/service-types",
        {.operation_id = "listServiceTypes", .summary = "Service types (staff: all; customer users: active ones)", .tag = "shop",
         .response_schema = "ServiceType", .paginated = true, .query = {"page", "page_size"}},
        [&shop = s.shop](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(shop.ListServiceTypes(ctx.actor()), page),
                                            ServiceTypeJson));
        });
  r.Add("POST", "/api/v1/service-types",
        {.operation_id = "createServiceType", .summary = "Create a service type (admin, manager)", .tag = "shop", .body = true,
         .status = 201, .request_schema = "NewServiceType", .response_schema = "ServiceType"},
        [&shop = s.shop](RequestContext& ctx) {
          auto in = ReadServiceType(ctx.Body(), true);
          return JsonResponse(201, ServiceTypeJson(shop.CreateServiceType(ctx.actor(), in)));
        });
  r.Add("PATCH", "/api/v1/service-types/{id}",
        {.operation_id = "updateServiceType", .summary = "Change a service type (admin, manager)", .tag = "shop", .body = true,
         .request_schema = "ServiceTypePatch", .response_schema = "ServiceType"},
        [&shop = s.shop](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto in = ReadServiceType(ctx.Body(), false);
          return JsonResponse(200, ServiceTypeJson(shop.UpdateServiceType(ctx.actor(), id, in)));
        });

  r.Add("GET", "/api/v1/availability",
        {.operation_id = "getAvailability", .summary = "Free slots of a service type over local days (anyone logged in; days <= 14)",
         .tag = "shop", .response_schema = "Slot", .array = true, .query = {"service_type", "date", "days"}},
        [&shop = s.shop](RequestContext& ctx) {
          auto type = ctx.IntQuery("service_type");
          if (!type) throw Error::Field("service_type", "Required: a service type id.");
          auto days = ctx.IntQuery("days");
          json::array out;
          for (const auto& slot : shop.Availability(ctx.actor(), *type, ctx.req.QueryParam("date"), days.value_or(7))) {
            out.push_back(SlotJson(slot));
          }
          return JsonResponse(200, out);
        });

  r.Add("GET", "/api/v1/appointments",
        {.operation_id = "listAppointments", .summary = "Appointments in the caller's scope, by start (from/to: local dates)", .tag = "shop",
         .response_schema = "Appointment", .paginated = true,
         .query = {"from", "to", "customer", "technician", "status", "page", "page_size"}},
        [&ap = s.appointments](RequestContext& ctx) {
          auto page = ctx.Page();
          services::AppointmentQuery q;
          q.from = ctx.req.QueryParam("from");
          q.to = ctx.req.QueryParam("to");
          if (auto v = ctx.IntQuery("customer")) q.customer = CustomerId(*v);
          if (auto v = ctx.IntQuery("technician")) q.technician = UserId(*v);
          q.status = ctx.req.QueryParam("status");
          if (q.status && q.status->empty()) q.status.reset();
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(ap.List(ctx.actor(), q), page), AppointmentJson));
        });
  r.Add("POST", "/api/v1/appointments",
        {.operation_id = "createAppointment", .summary = "Book a slot (customer requesters and approvers: requested; staff: confirmed)",
         .tag = "shop", .body = true, .status = 201, .request_schema = "NewAppointment", .response_schema = "Appointment"},
        [&ap = s.appointments](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewAppointment in;
          auto customer = rd.Int("customer_id", true);
          auto unit = rd.Int("unit_id");
          in.unit_number = rd.String("unit_number", false, 200);
          auto type = rd.Int("service_type_id", true);
          auto starts = rd.String("starts_at", true, 100);
          auto tech = rd.Int("technician_id");
          auto notes = rd.String("notes", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.customer = CustomerId(*customer);
          if (unit) in.unit = UnitId(*unit);
          in.service_type = *type;
          in.starts_at = *starts;
          if (tech) in.technician = UserId(*tech);
          in.notes = notes.value_or("");
          return JsonResponse(201, AppointmentJson(ap.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/appointments/{id}",
        {.operation_id = "getAppointment", .summary = "One appointment", .tag = "shop", .response_schema = "Appointment"},
        [&ap = s.appointments](RequestContext& ctx) {
          return JsonResponse(200, AppointmentJson(ap.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/appointments/{id}",
        {.operation_id = "updateAppointment", .summary = "Link a repair, change the technician or notes (staff)", .tag = "shop",
         .body = true, .request_schema = "AppointmentPatch", .response_schema = "Appointment"},
        [&ap = s.appointments](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::AppointmentPatch p;
          bool repair_null = false;
          auto repair = rd.NullableInt("repair_id", &repair_null);
          auto tech = rd.Int("technician_id");
          p.notes = rd.String("notes", false, 20000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          if (repair_null) p.repair = std::optional<RepairId>();
          if (repair) p.repair = std::optional<RepairId>(RepairId(*repair));
          if (tech) p.technician = UserId(*tech);
          return JsonResponse(200, AppointmentJson(ap.Update(ctx.actor(), id, p)));
        });

  struct MoveRoute {
    const char* path;
    const char* operation;
    const char* summary;
    domain::AppointmentMove move;
    const char* schema;
  };
  static const MoveRoute kMoves[] = {
      {"/api/v1/appointments/{id}/confirm", "confirmAppointment", "Confirm a requested appointment (staff)",
       domain::AppointmentMove::kConfirm, ""},
      {"/api/v1/appointments/{id}/reschedule", "rescheduleAppointment",
       "Move to another free slot (staff; the customer while requested)", domain::AppointmentMove::kReschedule,
       "AppointmentReschedule"},
      {"/api/v1/appointments/{id}/cancel", "cancelAppointment", "Cancel (staff; the customer until the start)",
       domain::AppointmentMove::kCancel, "AppointmentCancel"},
      {"/api/v1/appointments/{id}/complete", "completeAppointment", "Mark a confirmed appointment completed (staff)",
       domain::AppointmentMove::kComplete, ""},
      {"/api/v1/appointments/{id}/no-show", "markAppointmentNoShow", "Mark a confirmed appointment a no-show (staff)",
       domain::AppointmentMove::kNoShow, ""},
  };
  for (const auto& m : kMoves) {
    r.Add("POST", m.path,
          {.operation_id = m.operation, .summary = m.summary, .tag = "shop", .body = true,
           .request_schema = m.schema, .response_schema = "Appointment"},
          [&ap = s.appointments, move = m.move](RequestContext& ctx) {
            auto id = ctx.IdParam("id");
            std::optional<std::string> starts;
            std::string reason;
            if (!ctx.req.body.empty()) {
              auto body = ctx.Body();
              FieldErrors errors;
              ObjectReader rd(body, errors);
              if (move == domain::AppointmentMove::kReschedule) starts = rd.String("starts_at", true, 100);
              if (move == domain::AppointmentMove::kCancel) reason = rd.String("reason", false, 20000).value_or("");
              rd.CheckUnknown();
              ThrowIfErrors(errors);
            }
            return JsonResponse(200, AppointmentJson(ap.Move(ctx.actor(), id, move, starts, reason)));
          });
  }

  r.Add("POST", "/api/v1/repairs/{id}/position",
        {.operation_id = "positionRepair", .summary = "Place a repair between two repairs of its board column (staff)",
         .tag = "repairs", .body = true, .request_schema = "BoardPosition", .response_schema = "Repair"},
        [&board = s.board](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          bool after_null = false, before_null = false;
          auto after = rd.NullableInt("after_id", &after_null);
          auto before = rd.NullableInt("before_id", &before_null);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          std::optional<RepairId> a, b;
          if (after) a = RepairId(*after);
          if (before) b = RepairId(*before);
          return JsonResponse(200, RepairJson(board.Position(ctx.actor(), RepairId(id), a, b)));
        });

  r.Add("POST", "/api/v1/me/calendar-token",
        {.operation_id = "createCalendarToken", .summary = "A new iCalendar feed URL for the caller (shown once; replaces the old one)",
         .tag = "shop", .status = 201, .response_schema = "CalendarFeed"},
        [&ap = s.appointments](RequestContext& ctx) {
          return JsonResponse(201, json::object{{"url", ap.CreateFeedToken(ctx.actor())}});
        });
  r.Add("DELETE", "/api/v1/me/calendar-token",
        {.operation_id = "revokeCalendarToken", .summary = "Revoke the caller's iCalendar feed", .tag = "shop", .status = 204},
        [&ap = s.appointments](RequestContext& ctx) {
          ap.RevokeFeedToken(ctx.actor());
          Response res;
          res.status = 204;
          return res;
        });
  r.Add("GET", "/api/v1/technicians/{id}/calendar.ics",
        {.operation_id = "getTechnicianCalendar", .summary = "A technician's confirmed appointments as iCalendar (RFC 5545), by feed token",
         .tag = "shop", .auth = false, .response_schema = "ICalendar", .query = {"token"}},
        [&ap = s.appointments](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          Response res;
          res.content_type = "text/calendar; charset=utf-8";
          res.body = ap.Feed(id, ctx.req.QueryParam("token").value_or(""));
          res.SetHeader("Cache-Control", "private, max-age=300");
          return res;
        });
}

}  // namespace portico::http
