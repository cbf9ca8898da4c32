// Free appointment slots as one pure function (issue 12; API.md "Appointments", GET /availability):
// working hours minus busy intervals, in the shop's zone, DST-safe (Cal.com's slot computation). A slot
// is free when, for its whole length, a bay is free and some technician is on schedule and not booked.
// Nothing here reads a clock or a database: the service passes everything in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "domain/shop_time.h"

namespace portico::domain {

/// Local opening intervals per weekday, index 0 = Monday .. 6 = Sunday; each [open, close) in minutes
/// after local midnight (close may be 1440). An empty day is closed.
using OpeningHours = std::array<std::vector<std::pair<int, int>>, 7>;

/// Checks opening hours: times on the grid of whole minutes, open < close, intervals ascending and not
/// overlapping. Returns the first problem, or "" when valid.
std::string CheckOpeningHours(const OpeningHours& hours);

/// A technician's schedule entry, in the shop's zone (storage's schedules rows).
struct ScheduleEntry {
  std::int64_t technician = 0;
  std::string date;  // YYYY-MM-DD, local
  int start_minute = 0;
  int end_minute = 0;
  bool is_available = true;  // false: the technician is away for that time (a gap)
};

/// An appointment that holds a bay and a technician (requested or confirmed), in UTC.
struct Booking {
  UnixSeconds starts_at = 0;
  UnixSeconds ends_at = 0;
  std::optional<std::int64_t> technician;
};

/// A free slot: its UTC interval, its local start, and the technicians free for the whole of it
/// (ascending id; the first is the one the server assigns).
struct Slot {
  UnixSeconds starts_at = 0;
  UnixSeconds ends_at = 0;
  std::string local_start;  // "2026-03-08T09:30"
  std::vector<std::int64_t> technicians;
};

/// What the availability of a range of days depends on.
struct AvailabilityInput {
  const ShopZone* zone = nullptr;
  OpeningHours hours;
  int bays = 1;
  int slot_minutes = 30;
  int duration_minutes = 30;
  std::string first_date;  // YYYY-MM-DD, local
  int days = 1;
  UnixSeconds not_before = 0;  // slots starting earlier are not offered (now)
  std::vector<ScheduleEntry> schedules;
  std::vector<Booking> bookings;
};

/// The free slots of `in`, by start time. Slots start on the `slot_minutes` grid counted from each
/// opening interval's start in local time; a local start the clocks skip does not exist and is not
/// offered; a repeated local time is offered once (its first occurrence). A slot lasts
/// `duration_minutes` of real time and must end by the interval's close.
std::vector<Slot> FreeSlots(const AvailabilityInput& in);

/// Whether the slot [starts_at, starts_at + duration) is one FreeSlots offers (re-checked inside the
/// booking's write transaction); returns it with its free technicians, or nullopt.
std::optional<Slot> FindFreeSlot(const AvailabilityInput& in, UnixSeconds starts_at);

}  // namespace portico::domain
