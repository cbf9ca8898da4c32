#include "services/ical_feed.h"

#include <libical/ical.h>

#include <memory>

namespace portico::services {
namespace {

icaltimetype Utc(UnixSeconds t) { return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone()); }

}  // namespace

std::string CalendarText(const std::string& calendar_name, const std::vector<FeedEvent>& events, UnixSeconds now) {
  icalcomponent* cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                           icalproperty_new_prodid("-//Portico//Appointments//EN"),
                                           icalproperty_new_calscale("GREGORIAN"),
                                           icalproperty_new_method(ICAL_METHOD_PUBLISH), nullptr);
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> owner(cal, icalcomponent_free);
  icalproperty* name = icalproperty_new_x(calendar_name.c_str());
  icalproperty_set_x_name(name, "X-WR-CALNAME");
  icalcomponent_add_property(cal, name);
  for (const auto& e : events) {
    icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(Utc(now)));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(Utc(e.starts_at)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(Utc(e.ends_at)));
    icalcomponent_add_property(ev, icalproperty_new_lastmodified(Utc(e.updated_at)));
    icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
    if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
    icalcomponent_add_component(cal, ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal);
  std::string out(text ? text : "");
  free(text);
  return out;
}

}  // namespace portico::services
