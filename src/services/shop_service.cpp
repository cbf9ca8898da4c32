#include "services/shop_service.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "policy/shop_policy.h"
#include "services/support_service.h"

namespace portico::services {
namespace json = boost::json;

ShopSettings DefaultShopSettings() {
  ShopSettings s;
  for (int d = 0; d < 5; ++d) s.hours[static_cast<std::size_t>(d)] = {{8 * 60, 17 * 60}};
  return s;
}

std::string OpeningHoursJson(const domain::OpeningHours& hours) {
  json::object o;
  for (std::size_t d = 0; d < 7; ++d) {
    json::array day;
    for (const auto& [open, close] : hours[d]) {
      day.push_back(json::array{json::string(FormatTimeOfDay(open)),
                                json::string(close == 1440 ? "24:00" : FormatTimeOfDay(close))});
    }
    o[kDayKeys[d]] = std::move(day);
  }
  return json::serialize(o);
}

domain::OpeningHours ParseOpeningHoursJson(const std::string& text) {
  domain::OpeningHours h;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return h;
  for (std::size_t d = 0; d < 7; ++d) {
    auto* day = v.as_object().if_contains(kDayKeys[d]);
    if (!day || !day->is_array()) continue;
    for (const auto& iv : day->as_array()) {
      if (!iv.is_array() || iv.as_array().size() != 2) continue;
      auto open_text = std::string(iv.as_array()[0].as_string());
      auto close_text = std::string(iv.as_array()[1].as_string());
      auto open = ParseTimeOfDay(open_text);
      auto close = close_text == "24:00" ? std::optional<int>(1440) : ParseTimeOfDay(close_text);
      if (open && close) h[d].emplace_back(*open, *close);
    }
  }
  return h;
}

ShopSettings LoadShopSettings(storage::Connection& c, TenantId tenant) {
  auto rec = storage::FindShopSettings(c, tenant);
  if (!rec) return DefaultShopSettings();
  ShopSettings s;
  s.time_zone = rec->time_zone;
  s.bays = rec->bays;
  s.slot_minutes = rec->slot_minutes;
  s.hours = ParseOpeningHoursJson(rec->opening_hours);
  return s;
}

domain::AvailabilityInput AvailabilityFor(storage::Connection& c, TenantId tenant, const ShopSettings& settings,
                                          const domain::ShopZone& zone, const std::string& first_date, int days,
                                          std::int64_t duration_minutes, UnixSeconds now, std::int64_t except_id) {
  domain::AvailabilityInput in;
  in.zone = &zone;
  in.hours = settings.hours;
  in.bays = static_cast<int>(settings.bays);
  in.slot_minutes = static_cast<int>(settings.slot_minutes);
  in.duration_minutes = static_cast<int>(duration_minutes);
  in.first_date = first_date;
  in.days = days;
  in.not_before = now;
  const std::string last_date = domain::AddDays(first_date, days);
  // Schedules from the day before (a DST edge never moves a day, but a booking may start the day before).
  in.schedules = storage::SchedulesBetween(c, tenant, domain::AddDays(first_date, -1), last_date);
  auto from = zone.EdgeToUtc(first_date, 0).value_or(0) - 86400;
  auto to = zone.EdgeToUtc(last_date, 0).value_or(0) + 86400;
  in.bookings = storage::HoldingAppointments(c, tenant, from, to, except_id);
  return in;
}

ShopSettings ShopService::GetSettings(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return LoadShopSettings(tx->conn(), actor.tenant);
}

ShopSettings ShopService::PutSettings(const policy::Actor& actor, const ShopSettings& in) {
  if (!policy::CanManageShopSettings(actor)) throw Error::Forbidden("Only an admin changes the shop's settings.");
  FieldErrors errors;
  if (!domain::ShopZone::Find(in.time_zone)) errors["time_zone"].push_back("An IANA time zone, e.g. America/New_York.");
  if (in.bays < 1 || in.bays > 100) errors["bays"].push_back("Between 1 and 100.");
  if (in.slot_minutes < 5 || in.slot_minutes > 240 || 1440 % in.slot_minutes != 0) {
    errors["slot_minutes"].push_back("Between 5 and 240, dividing a day (5, 10, 15, 20, 30, 60, ...).");
  }
  if (auto problem = domain::CheckOpeningHours(in.hours); !problem.empty()) {
    errors["opening_hours"].push_back(problem);
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::ShopSettingsRecord rec;
  rec.tenant = actor.tenant;
  rec.time_zone = in.time_zone;
  rec.bays = in.bays;
  rec.slot_minutes = in.slot_minutes;
  rec.opening_hours = OpeningHoursJson(in.hours);
  rec.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  storage::UpsertShopSettings(tx->conn(), rec);
  tx->Commit();
  return in;
}

std::vector<storage::ServiceTypeRecord> ShopService::ListServiceTypes(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::ListServiceTypes(tx->conn(), actor.tenant, !actor.IsStaff());
}

namespace {

void CheckServiceType(FieldErrors& errors, const ServiceTypeInput& in) {
  if (in.name) {
    auto n = CountCharacters(*in.name);
    if (in.name->find_first_not_of(" \t") == std::string::npos || n > 100) {
      errors["name"].push_back("1 to 100 characters.");
    }
  }
  if (in.duration_minutes && (*in.duration_minutes < 5 || *in.duration_minutes > 1440)) {
    errors["duration_minutes"].push_back("Between 5 and 1440 minutes.");
  }
}

}  // namespace

storage::ServiceTypeRecord ShopService::CreateServiceType(const policy::Actor& actor, const ServiceTypeInput& in) {
  if (!policy::CanManageServiceTypes(actor)) throw Error::Forbidden("Only admins and managers manage service types.");
  FieldErrors errors;
  if (!in.name) errors["name"].push_back("Required.");
  if (!in.duration_minutes) errors["duration_minutes"].push_back("Required.");
  CheckServiceType(errors, in);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::ServiceTypeRecord s;
  s.tenant = actor.tenant;
  s.name = *in.name;
  s.duration_minutes = *in.duration_minutes;
  s.active = in.active.value_or(true);
  s.created_at = s.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  s.id = storage::InsertServiceType(tx->conn(), s);
  tx->Commit();
  return s;
}

storage::ServiceTypeRecord ShopService::UpdateServiceType(const policy::Actor& actor, std::int64_t id,
                                                          const ServiceTypeInput& in) {
  auto tx = deps_.db.Write();
  auto s = storage::FindServiceType(tx->conn(), actor.tenant, id);
  if (!s || (!actor.IsStaff() && !s->active)) throw Error::NotFound("No such service type.");
  if (!policy::CanManageServiceTypes(actor)) throw Error::Forbidden("Only admins and managers manage service types.");
  FieldErrors errors;
  CheckServiceType(errors, in);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  if (in.name) s->name = *in.name;
  if (in.duration_minutes) s->duration_minutes = *in.duration_minutes;
  if (in.active) s->active = *in.active;
  s->updated_at = deps_.clock.Now();
  storage::UpdateServiceType(tx->conn(), *s);
  tx->Commit();
  return *s;
}

std::vector<domain::Slot> ShopService::Availability(const policy::Actor& actor, std::int64_t service_type,
                                                    const std::optional<std::string>& date, std::int64_t days) {
  FieldErrors errors;
  if (days < 1 || days > 14) errors["days"].push_back("Between 1 and 14.");
  if (date && !ParseDate(*date)) errors["date"].push_back("A date YYYY-MM-DD.");
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  auto type = storage::FindServiceType(c, actor.tenant, service_type);
  if (!type || !type->active) errors["service_type"].push_back("No such active service type.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  auto settings = LoadShopSettings(c, actor.tenant);
  auto zone = domain::ShopZone::Find(settings.time_zone);
  if (!zone) throw Error::Internal("stored time zone unknown: " + settings.time_zone);
  const UnixSeconds now = deps_.clock.Now();
  const std::string first = date ? *date : zone->ToLocal(now).date;
  auto in = AvailabilityFor(c, actor.tenant, settings, *zone, first, static_cast<int>(days), type->duration_minutes,
                            now, 0);
  return domain::FreeSlots(in);
}

}  // namespace portico::services
