#include "domain/availability.h"

#include <algorithm>
#include <map>

namespace portico::domain {
namespace {

using Interval = std::pair<UnixSeconds, UnixSeconds>;

/// Sorted, merged union of intervals.
std::vector<Interval> Merge(std::vector<Interval> v) {
  std::sort(v.begin(), v.end());
  std::vector<Interval> out;
  for (const auto& i : v) {
    if (i.first >= i.second) continue;
    if (!out.empty() && i.first <= out.back().second) {
      out.back().second = std::max(out.back().second, i.second);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

bool Overlaps(UnixSeconds a0, UnixSeconds a1, UnixSeconds b0, UnixSeconds b1) { return a0 < b1 && b0 < a1; }

/// Per technician: the merged intervals it is on schedule, and the merged intervals it is away.
struct TechnicianTime {
  std::vector<Interval> on;
  std::vector<Interval> away;
};

std::map<std::int64_t, TechnicianTime> TechnicianTimes(const AvailabilityInput& in) {
  std::map<std::int64_t, std::vector<Interval>> on, away;
  for (const auto& e : in.schedules) {
    auto s = in.zone->EdgeToUtc(e.date, e.start_minute);
    auto t = in.zone->EdgeToUtc(e.date, e.end_minute);
    if (!s || !t) continue;
    (e.is_available ? on : away)[e.technician].emplace_back(*s, *t);
  }
  std::map<std::int64_t, TechnicianTime> out;
  for (auto& [id, v] : on) out[id].on = Merge(std::move(v));
  for (auto& [id, v] : away) out[id].away = Merge(std::move(v));
  return out;
}

bool Covers(const std::vector<Interval>& merged, UnixSeconds s, UnixSeconds e) {
  for (const auto& i : merged) {
    if (i.first <= s && e <= i.second) return true;
  }
  return false;
}

bool Touches(const std::vector<Interval>& merged, UnixSeconds s, UnixSeconds e) {
  for (const auto& i : merged) {
    if (Overlaps(i.first, i.second, s, e)) return true;
  }
  return false;
}

/// The technicians free for all of [s, e), or an empty list when no bay is free.
std::vector<std::int64_t> FreeFor(const AvailabilityInput& in, const std::map<std::int64_t, TechnicianTime>& techs,
                                  UnixSeconds s, UnixSeconds e) {
  std::vector<std::int64_t> out;
  // Bays: the most bookings that overlap at once inside [s, e) (sweep over their starts and ends).
  std::vector<std::pair<UnixSeconds, int>> edges;
  for (const auto& b : in.bookings) {
    if (!Overlaps(b.starts_at, b.ends_at, s, e)) continue;
    edges.emplace_back(std::max(b.starts_at, s), +1);
    edges.emplace_back(std::min(b.ends_at, e), -1);
  }
  std::sort(edges.begin(), edges.end());  // an end (-1) sorts before a start (+1) at the same instant
  int busy = 0, peak = 0;
  for (const auto& [t, d] : edges) peak = std::max(peak, busy += d);
  if (peak >= in.bays) return out;
  for (const auto& [id, time] : techs) {
    if (!Covers(time.on, s, e) || Touches(time.away, s, e)) continue;
    bool booked = std::any_of(in.bookings.begin(), in.bookings.end(), [&, id = id](const Booking& b) {
      return b.technician == id && Overlaps(b.starts_at, b.ends_at, s, e);
    });
    if (!booked) out.push_back(id);
  }
  return out;
}

}  // namespace

std::string CheckOpeningHours(const OpeningHours& hours) {
  for (const auto& day : hours) {
    int last_close = -1;
    for (const auto& [open, close] : day) {
      if (open < 0 || close > 1440 || open >= close) return "Each interval opens before it closes, within the day.";
      if (open < last_close) return "Intervals of a day are in order and do not overlap.";
      last_close = close;
    }
  }
  return "";
}

std::vector<Slot> FreeSlots(const AvailabilityInput& in) {
  std::vector<Slot> out;
  if (in.zone == nullptr || in.slot_minutes <= 0 || in.duration_minutes <= 0 || in.bays <= 0) return out;
  const auto techs = TechnicianTimes(in);
  const UnixSeconds length = static_cast<UnixSeconds>(in.duration_minutes) * 60;
  UnixSeconds last_start = -1;
  for (int d = 0; d < in.days; ++d) {
    const std::string date = AddDays(in.first_date, d);
    auto wd = Weekday(date);
    if (!wd) continue;
    for (const auto& [open, close] : in.hours[static_cast<std::size_t>(*wd)]) {
      auto close_utc = in.zone->EdgeToUtc(date, close);
      if (!close_utc) continue;
      for (int m = open; m < close; m += in.slot_minutes) {
        auto start = in.zone->ToUtc(date, m);
        if (!start) continue;                 // skipped by the clocks
        if (*start <= last_start) continue;   // a repeated local time: offered once
        if (*start < in.not_before) continue;
        const UnixSeconds end = *start + length;
        if (end > *close_utc) break;
        last_start = *start;
        auto free = FreeFor(in, techs, *start, end);
        if (free.empty()) continue;
        out.push_back(Slot{*start, end, in.zone->LocalStamp(*start), std::move(free)});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) { return a.starts_at < b.starts_at; });
  return out;
}

std::optional<Slot> FindFreeSlot(const AvailabilityInput& in, UnixSeconds starts_at) {
  if (in.zone == nullptr) return std::nullopt;
  AvailabilityInput day = in;
  // The local day of the start, and the one before (an interval may start the previous local day only
  // if it closes after midnight, which opening hours do not allow; one day suffices).
  day.first_date = in.zone->ToLocal(starts_at).date;
  day.days = 1;
  for (auto& s : FreeSlots(day)) {
    if (s.starts_at == starts_at) return std::move(s);
  }
  return std::nullopt;
}

}  // namespace portico::domain
