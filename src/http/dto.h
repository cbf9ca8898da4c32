// Wire shapes (API.md) of the records services return.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/page.h"
#include "http/message.h"
#include "policy/actor.h"
#include "storage/records.h"

namespace portico::http {

boost::json::value MeJson(const policy::Actor& actor);
boost::json::value UserJson(const storage::UserRecord& u);
boost::json::value CustomerJson(const storage::CustomerRecord& c);
boost::json::value AccessJson(const storage::AccessRecord& a);
boost::json::value PreferencesJson(const storage::Preferences& p);
boost::json::value TokenJson(const storage::TokenRecord& t);
/// Adds "phone", "certification_level", "hire_date" when `p` is set (technicians, staff callers only).
void AddTechnicianProfile(boost::json::object& o, const std::optional<storage::TechnicianProfile>& p);

/// {"count", "next", "previous", "results"} with next/previous links built from the request's target.
template <class T, class F>
boost::json::value PageJson(const Request& req, const PageRequest& page, const PageOf<T>& p, F&& item);
boost::json::value PageEnvelope(const Request& req, const PageRequest& page, std::int64_t count,
                                boost::json::array results);

template <class T, class F>
boost::json::value PageJson(const Request& req, const PageRequest& page, const PageOf<T>& p, F&& item) {
  boost::json::array results;
  results.reserve(p.results.size());
  for (const auto& r : p.results) results.push_back(item(r));
  return PageEnvelope(req, page, p.count, std::move(results));
}

}  // namespace portico::http

#include "services/repair_service.h"
#include "storage/attachments_repository.h"

namespace portico::http {

boost::json::value RepairJson(const services::RepairView& v);
boost::json::value UnitJson(const services::UnitView& v);
boost::json::value LogJson(const storage::LogEntry& e);
boost::json::value MaterialJson(const storage::MaterialRecord& m);
boost::json::value NoteJson(const storage::NoteRecord& n);
boost::json::value ScheduleJson(const storage::ScheduleEntry& e);
boost::json::value TechnicianJson(const services::TechnicianView& t);
boost::json::value AttachmentJson(const storage::AttachmentRecord& a);

}  // namespace portico::http
