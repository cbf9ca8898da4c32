// iCalendar (RFC 5545) text of a technician's appointments, written with libical (Debian libical-dev).
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"

namespace portico::services {

struct FeedEvent {
  std::string uid;  // globally unique, stable across fetches
  UnixSeconds starts_at = 0;
  UnixSeconds ends_at = 0;
  UnixSeconds updated_at = 0;
  std::string summary;
  std::string description;
};

/// A VCALENDAR with one VEVENT per event (UTC times, STATUS:CONFIRMED), CRLF line endings, folded lines.
std::string CalendarText(const std::string& calendar_name, const std::vector<FeedEvent>& events, UnixSeconds now);

}  // namespace portico::services
