// RepairService: units, technicians and their schedules.
#include "services/repair_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.h"
#include "domain/money.h"
#include "domain/workflow.h"
#include "policy/policy.h"
#include "services/repair_service_internal.h"
#include "services/parts_service.h"  // issue 12
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/parts_repository.h"  // issue 12
#include "storage/support_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::RepairStatus;
using policy::Action;
using namespace repair_detail;

PageOf<UnitView> RepairService::Units(const policy::Actor& actor, std::optional<CustomerId> customer,
                                      const std::optional<std::string>& q, const PageRequest& page) {
  auto tx = deps_.db.Read();
  auto rows = storage::ListUnits(tx->conn(), policy::ScopeOf(actor), customer, q, page);
  auto pricing = Pricing(tx->conn(), actor.tenant);
  PageOf<UnitView> out;
  out.count = rows.count;
  for (auto& u : rows.results) {
    auto price = domain::EstimatedLabour(pricing, static_cast<int>(u.repair_count));
    out.results.push_back({std::move(u), price});
  }
  return out;
}

UnitView RepairService::Unit(const policy::Actor& actor, UnitId id) {
  auto tx = deps_.db.Read();
  auto u = storage::FindUnit(tx->conn(), policy::ScopeOf(actor), id);
  if (!u) throw Error::NotFound("No such unit.");
  auto price = domain::EstimatedLabour(Pricing(tx->conn(), actor.tenant), static_cast<int>(u->repair_count));
  return {*u, price};
}

UnitView RepairService::CreateUnit(const policy::Actor& actor, CustomerId customer, const std::string& unit_number,
                                   const std::string& description) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  if (!policy::Can(actor, Action::kCreateUnit)) throw Error::Forbidden("Only the shop adds units.");
  FieldErrors errors;
  if (!storage::FindCustomer(c, policy::ScopeOf(actor), customer)) errors["customer_id"].push_back("No such customer.");
  std::string number = Trimmed(unit_number);
  if (number.empty() || number.size() > kMaxUnitNumber) errors["unit_number"].push_back("1 to 50 characters.");
  if (description.size() > 1000) errors["description"].push_back("At most 1000 characters.");
  Throw(errors);
  storage::UnitRecord u;
  u.tenant = actor.tenant;
  u.customer = customer;
  u.unit_number = number;
  u.description = Trimmed(description);
  u.created_at = u.updated_at = now;
  u.id = storage::InsertUnit(c, u);
  auto price = domain::EstimatedLabour(Pricing(c, actor.tenant), 0);
  tx->Commit();
  return {u, price};
}

UnitView RepairService::ReplaceUnit(const policy::Actor& actor, UnitId id) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto u = storage::FindUnit(c, policy::ScopeOf(actor), id);
  if (!u) throw Error::NotFound("No such unit.");
  if (!policy::Can(actor, Action::kReplaceUnit)) throw Error::Forbidden("Only a manager or admin marks units replaced.");
  std::int64_t before = u->repair_count;
  storage::SetUnitRepairCount(c, id, 0, now, now);
  u->repair_count = 0;
  u->replaced_at = now;
  u->updated_at = now;
  storage::EventRecord e;
  e.tenant = actor.tenant;
  e.type = "unit.replaced";
  e.customer = u->customer;
  e.data = json::serialize(json::object{{"unit_id", id.value},
                                        {"unit_number", u->unit_number},
                                        {"previous_repair_count", before},
                                        {"by", actor.name}});
  e.occurred_at = now;
  e.id = storage::InsertEvent(c, e);
  auto event = e;
  auto price = domain::EstimatedLabour(Pricing(c, actor.tenant), 0);
  tx->Commit();
  Published(event);
  return {*u, price};
}

// ---- technicians and schedules ----

PageOf<TechnicianView> RepairService::Technicians(const policy::Actor& actor, const PageRequest& page) {
  if (!policy::Can(actor, Action::kListTechnicians)) throw Error::Forbidden("Only staff see technicians.");
  auto tx = deps_.db.Read();
  auto techs = storage::ListTechnicians(tx->conn(), actor.tenant);
  auto completed = storage::CompletedPerTechnician(tx->conn(), actor.tenant);
  std::vector<std::pair<UserId, storage::TechnicianProfile>> profiles;
  const bool with_profiles = policy::Can(actor, Action::kReadTechnicianProfiles);
  if (with_profiles) profiles = storage::ListTechnicianProfiles(tx->conn(), actor.tenant);
  std::vector<TechnicianView> all;
  for (auto& [user, open] : techs) {
    TechnicianView v{std::move(user), open, 0};
    for (const auto& [id, n] : completed) {
      if (id == v.user.id) v.completed_repairs = n;
    }
    if (with_profiles) {
      v.user.technician_profile = storage::TechnicianProfile{};
      for (const auto& [id, p] : profiles) {
        if (id == v.user.id) v.user.technician_profile = p;
      }
    }
    all.push_back(std::move(v));
  }
  return Paginate(std::move(all), page);
}

std::vector<storage::ScheduleEntry> RepairService::Schedule(const policy::Actor& actor, UserId technician,
                                                            const std::optional<std::string>& from,
                                                            const std::optional<std::string>& to) {
  if (!policy::SeesUserId(actor, technician)) throw Error::NotFound("No such technician.");
  auto tx = deps_.db.Read();
  auto t = storage::FindUser(tx->conn(), actor.tenant, technician);
  if (!t || t->role != domain::Role::kTechnician) throw Error::NotFound("No such technician.");
  if (!policy::Can(actor, Action::kReadSchedules)) throw Error::Forbidden("Only staff see schedules.");
  FieldErrors errors;
  if (from && !ParseDate(*from)) errors["from"].push_back("A date written YYYY-MM-DD.");
  if (to && !ParseDate(*to)) errors["to"].push_back("A date written YYYY-MM-DD.");
  Throw(errors);
  return storage::ListSchedule(tx->conn(), actor.tenant, technician, from, to);
}

storage::ScheduleEntry RepairService::AddSchedule(const policy::Actor& actor, UserId technician,
                                                  const std::string& date, const std::string& start_time,
                                                  const std::string& end_time, bool is_available,
                                                  const std::string& notes) {
  if (!policy::SeesUserId(actor, technician)) throw Error::NotFound("No such technician.");
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto t = storage::FindUser(c, actor.tenant, technician);
  if (!t || t->role != domain::Role::kTechnician) throw Error::NotFound("No such technician.");
  if (!policy::CanWriteSchedule(actor, technician)) {
    throw Error::Forbidden("Only a manager, an admin or the technician itself plans shifts.");
  }
  FieldErrors errors;
  if (!ParseDate(date)) errors["date"].push_back("A date written YYYY-MM-DD.");
  auto start = ParseTimeOfDay(start_time);
  auto end = ParseTimeOfDay(end_time);
  if (!start) errors["start_time"].push_back("A time written HH:MM.");
  if (!end) errors["end_time"].push_back("A time written HH:MM.");
  if (start && end && *end <= *start) errors["end_time"].push_back("Must be after the start time.");
  if (notes.size() > 1000) errors["notes"].push_back("At most 1000 characters.");
  Throw(errors);
  storage::ScheduleEntry e;
  e.technician = technician;
  e.date = date;
  e.start_minute = *start;
  e.end_minute = *end;
  e.is_available = is_available;
  e.notes = notes;
  e.id = storage::InsertSchedule(c, actor.tenant, e, deps_.clock.Now());
  tx->Commit();
  return e;
}

}  // namespace portico::services
