#include "domain/shop_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>

namespace portico::domain {
namespace {

const date::time_zone* Zone(const void* z) { return static_cast<const date::time_zone*>(z); }

std::optional<date::local_days> ParseLocalDate(std::string_view text) {
  auto midnight = ParseDate(text);
  if (!midnight) return std::nullopt;
  return date::local_days{date::days{*midnight / 86400}};
}

}  // namespace

std::optional<ShopZone> ShopZone::Find(std::string_view name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  try {
    const date::time_zone* z = date::locate_zone(name);
    return ShopZone(z, std::string(name));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<UnixSeconds> ShopZone::ToUtc(std::string_view day, int minute) const {
  auto d = ParseLocalDate(day);
  if (!d) return std::nullopt;
  auto local = date::local_seconds{*d} + std::chrono::minutes(minute);
  auto info = Zone(zone_)->get_info(local);
  if (info.result == date::local_info::nonexistent) return std::nullopt;
  // unique or ambiguous: the first offset (before the clocks went back).
  return (local - info.first.offset).time_since_epoch().count();
}

std::optional<UnixSeconds> ShopZone::EdgeToUtc(std::string_view day, int minute) const {
  auto d = ParseLocalDate(day);
  if (!d) return std::nullopt;
  auto local = date::local_seconds{*d} + std::chrono::minutes(minute);
  auto info = Zone(zone_)->get_info(local);
  if (info.result == date::local_info::nonexistent) return info.first.end.time_since_epoch().count();
  return (local - info.first.offset).time_since_epoch().count();
}

LocalTime ShopZone::ToLocal(UnixSeconds t) const {
  auto local = Zone(zone_)->to_local(date::sys_seconds{std::chrono::seconds(t)});
  auto day = date::floor<date::days>(local);
  LocalTime out;
  out.date = date::format("%F", day);
  out.minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  return out;
}

std::string ShopZone::LocalStamp(UnixSeconds t) const {
  auto l = ToLocal(t);
  return l.date + "T" + FormatTimeOfDay(l.minute);
}

std::optional<int> Weekday(std::string_view day) {
  auto d = ParseLocalDate(day);
  if (!d) return std::nullopt;
  date::weekday wd{date::sys_days{d->time_since_epoch()}};
  return static_cast<int>(wd.iso_encoding()) - 1;
}

std::string AddDays(std::string_view day, int days) {
  auto d = ParseLocalDate(day);
  if (!d) return "";
  return date::format("%F", *d + date::days{days});
}

}  // namespace portico::domain
