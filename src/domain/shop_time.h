// The shop's own time (issue 12; PRODUCT.md "Shop operations"): every time is stored in UTC and shown in
// the tenant's IANA time zone. The zone rules come from Howard Hinnant's date/tz over the system tzdata
// (g++ 12's <chrono> has no time-zone database); this file is the only one that includes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace portico::domain {

/// A wall-clock time in the shop's zone: a calendar date and minutes after local midnight.
struct LocalTime {
  std::string date;  // YYYY-MM-DD
  int minute = 0;    // 0..1439
};

/// An IANA time zone, resolved once. Cheap to copy (points into the process-wide database).
class ShopZone {
 public:
  /// The zone named `name` ("America/New_York", "UTC"); nullopt when the name is unknown.
  static std::optional<ShopZone> Find(std::string_view name);
  const std::string& name() const { return name_; }

  /// The UTC instant of local `date` at `minute`. A local time in the hour skipped by a daylight-saving
  /// change does not exist: nullopt. A repeated local time (the clocks go back) is its first occurrence.
  std::optional<UnixSeconds> ToUtc(std::string_view date, int minute) const;
  /// The UTC instant of local `date` at `minute`, for interval edges: a skipped local time maps to the
  /// instant the clocks jumped (so "open 01:00-03:00" still closes at 03:00 local on a spring-forward day).
  /// nullopt only for a malformed date.
  std::optional<UnixSeconds> EdgeToUtc(std::string_view date, int minute) const;
  /// The local date and minute of UTC instant `t`.
  LocalTime ToLocal(UnixSeconds t) const;
  /// "2026-03-08T09:30": the local start as API.md's `local_start`.
  std::string LocalStamp(UnixSeconds t) const;

 private:
  explicit ShopZone(const void* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const void* zone_;  // const date::time_zone*
  std::string name_;
};

/// Day of the week of `date` (YYYY-MM-DD), 0 = Monday .. 6 = Sunday; nullopt if malformed.
std::optional<int> Weekday(std::string_view date);
/// The date `days` after `date` (YYYY-MM-DD in, YYYY-MM-DD out); "" if malformed.
std::string AddDays(std::string_view date, int days);

}  // namespace portico::domain
