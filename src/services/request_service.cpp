#include "services/request_service.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "domain/repair_status.h"
#include "policy/policy.h"
#include "services/support_service.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::RequestAction;

namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 5000;
constexpr std::size_t kMaxNotes = 2000;
constexpr std::size_t kMaxUnitNumber = 50;

std::string Trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

const char* ActionName(RequestAction a) {
  switch (a) {
    case RequestAction::kEdit: return "edit";
    case RequestAction::kApprove: return "approve";
    case RequestAction::kReject: return "reject";
    case RequestAction::kConvert: return "convert";
    case RequestAction::kWithdraw: return "withdraw";
  }
  return "";
}

domain::RequestStatus StatusOf(const storage::ClientRequestRecord& r) {
  return domain::ParseRequestStatus(r.status).value_or(domain::RequestStatus::kWithdrawn);
}

json::object RequestData(const storage::ClientRequestRecord& r, const policy::Actor& actor) {
  return json::object{{"request_id", r.id},
                      {"status", r.status},
                      {"type", r.type},
                      {"title", r.title},
                      {"created_by_id", r.created_by ? json::value(r.created_by->value) : json::value(nullptr)},
                      {"by", actor.name}};
}

void CheckNotes(const std::string& notes, const char* field) {
  if (notes.size() > kMaxNotes * 4 || CountCharacters(notes) > kMaxNotes) {
    throw Error::Field(field, "At most 2000 characters.");
  }
}

}  // namespace

RequestView ClientRequestService::View(const policy::Actor& actor, storage::ClientRequestRecord r) const {
  RequestView v;
  auto who = policy::RequestActorFor(actor, r.created_by);
  for (auto a : domain::kAllRequestActions) {
    if (domain::DecideRequest(StatusOf(r), a, who) == domain::Verdict::kAllowed) v.allowed_actions.push_back(ActionName(a));
  }
  v.request = std::move(r);
  return v;
}

storage::ClientRequestRecord ClientRequestService::Load(storage::Connection& c, const policy::Actor& actor,
                                                        std::int64_t id) const {
  auto r = storage::FindClientRequest(c, policy::ScopeOf(actor), id, policy::CanSeeInternal(actor));
  if (!r) throw Error::NotFound("No such request.");
  return *r;
}

void ClientRequestService::Check(const policy::Actor& actor, const storage::ClientRequestRecord& r,
                                 RequestAction action) const {
  switch (domain::DecideRequest(StatusOf(r), action, policy::RequestActorFor(actor, r.created_by))) {
    case domain::Verdict::kAllowed: return;
    case domain::Verdict::kForbidden:
      throw Error::Forbidden(action == RequestAction::kEdit || action == RequestAction::kWithdraw
                                 ? "Only the request's creator may do this."
                                 : "Only a manager or an admin decides requests.");
    case domain::Verdict::kConflict:
      throw Error::Conflict("The request is " + r.status + "; only a pending request can be changed or decided.");
  }
}

PageOf<RequestView> ClientRequestService::List(const policy::Actor& actor, const storage::RequestFilter& filter,
                                               const PageRequest& page) {
  FieldErrors errors;
  if (filter.status && !domain::ParseRequestStatus(*filter.status)) {
    errors["status"].push_back("One of pending, approved, rejected, converted, withdrawn.");
  }
  if (filter.type && !domain::ParseRequestType(*filter.type)) {
    errors["type"].push_back("One of material, change_order, info, other.");
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  auto tx = deps_.db.Read();
  auto rows = storage::ListClientRequests(tx->conn(), policy::ScopeOf(actor), filter, page, policy::CanSeeInternal(actor));
  PageOf<RequestView> out;
  out.count = rows.count;
  for (auto& r : rows.results) out.results.push_back(View(actor, std::move(r)));
  return out;
}

RequestView ClientRequestService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  return View(actor, Load(tx->conn(), actor, id));
}

RequestView ClientRequestService::Create(const policy::Actor& actor, const NewClientRequest& in) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto scope = policy::ScopeOf(actor);
  if (!storage::FindCustomer(c, scope, in.customer)) throw Error::Field("customer_id", "No such customer.");
  if (!policy::CanCreateRequestFor(actor, in.customer)) {
    throw Error::Forbidden("Your access to this customer does not allow sending requests.");
  }
  FieldErrors errors;
  auto type = domain::ParseRequestType(in.type);
  if (!type) errors["type"].push_back("One of material, change_order, info, other.");
  const std::string title = Trimmed(in.title);
  if (title.empty() || CountCharacters(title) > kMaxTitle) errors["title"].push_back("1 to 200 characters.");
  const std::string description = Trimmed(in.description);
  if (CountCharacters(description) > kMaxDescription) errors["description"].push_back("At most 5000 characters.");
  std::optional<storage::RepairRecord> repair;
  if (in.repair_id) {
    repair = storage::FindRepair(c, scope, RepairId(*in.repair_id));
    if (!repair || repair->customer != in.customer) errors["repair_id"].push_back("No such repair for this customer.");
  } else if (type == domain::RequestType::kChangeOrder) {
    errors["repair_id"].push_back("A change order request names the repair it is for.");
  }
  std::optional<std::int64_t> unit_id = in.unit_id;
  if (in.unit_id) {
    auto unit = storage::FindUnit(c, scope, UnitId(*in.unit_id));
    if (!unit || unit->customer != in.customer) errors["unit_id"].push_back("No such unit for this customer.");
  } else if (repair && repair->customer == in.customer) {
    unit_id = repair->unit.value;
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::ClientRequestRecord r;
  r.tenant = actor.tenant;
  r.customer = in.customer;
  r.type = std::string(domain::ToString(*type));
  r.title = title;
  r.description = description;
  r.repair_id = in.repair_id;
  r.unit_id = unit_id;
  r.status = "pending";
  r.created_by = actor.user;
  r.created_at = r.updated_at = now;
  r.id = storage::InsertClientRequest(c, r);
  auto event = RecordEvent(c, actor, "request.created", repair ? std::optional(repair->id) : std::nullopt, r.customer,
                           RequestData(r, actor), now);
  auto created = Load(c, actor, r.id);
  tx->Commit();
  Publish(event);
  return View(actor, std::move(created));
}

RequestView ClientRequestService::Update(const policy::Actor& actor, std::int64_t id, const RequestPatch& patch) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  auto who = policy::RequestActorFor(actor, r.created_by);
  if (domain::DecideRequest(StatusOf(r), RequestAction::kEdit, who) == domain::Verdict::kForbidden) {
    Check(actor, r, RequestAction::kEdit);
  }
  FieldErrors errors;
  if (patch.title) {
    r.title = Trimmed(*patch.title);
    if (r.title.empty() || CountCharacters(r.title) > kMaxTitle) errors["title"].push_back("1 to 200 characters.");
  }
  if (patch.description) {
    r.description = Trimmed(*patch.description);
    if (CountCharacters(r.description) > kMaxDescription) errors["description"].push_back("At most 5000 characters.");
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  Check(actor, r, RequestAction::kEdit);
  return Decide(*tx, actor, std::move(r), RequestAction::kEdit, "", {});
}

RequestView ClientRequestService::Approve(const policy::Actor& actor, std::int64_t id, const std::string& notes) {
  auto tx = deps_.db.Write();
  auto r = Load(tx->conn(), actor, id);
  if (domain::DecideRequest(StatusOf(r), RequestAction::kApprove, policy::RequestActorFor(actor, r.created_by)) ==
      domain::Verdict::kForbidden) {
    Check(actor, r, RequestAction::kApprove);
  }
  CheckNotes(notes, "notes");
  Check(actor, r, RequestAction::kApprove);
  return Decide(*tx, actor, std::move(r), RequestAction::kApprove, Trimmed(notes), {});
}

RequestView ClientRequestService::Reject(const policy::Actor& actor, std::int64_t id, const std::string& reason) {
  auto tx = deps_.db.Write();
  auto r = Load(tx->conn(), actor, id);
  if (domain::DecideRequest(StatusOf(r), RequestAction::kReject, policy::RequestActorFor(actor, r.created_by)) ==
      domain::Verdict::kForbidden) {
    Check(actor, r, RequestAction::kReject);
  }
  CheckNotes(reason, "reason");
  if (Trimmed(reason).empty()) throw Error::Field("reason", "Give a reason.");
  Check(actor, r, RequestAction::kReject);
  return Decide(*tx, actor, std::move(r), RequestAction::kReject, Trimmed(reason), {});
}

RequestView ClientRequestService::Withdraw(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto r = Load(tx->conn(), actor, id);
  Check(actor, r, RequestAction::kWithdraw);
  return Decide(*tx, actor, std::move(r), RequestAction::kWithdraw, "", {});
}

RequestView ClientRequestService::Convert(const policy::Actor& actor, std::int64_t id, const ConvertRequest& in) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto r = Load(c, actor, id);
  if (domain::DecideRequest(StatusOf(r), RequestAction::kConvert, policy::RequestActorFor(actor, r.created_by)) ==
      domain::Verdict::kForbidden) {
    Check(actor, r, RequestAction::kConvert);
  }
  std::vector<storage::EventRecord> events;
  auto scope = policy::ScopeOf(actor);
  if (in.into == "repair") {
    if (in.amount) throw Error::Field("amount", "Only a change order has an amount.");
    std::optional<storage::UnitRecord> unit;
    if (r.unit_id) {
      unit = storage::FindUnit(c, scope, UnitId(*r.unit_id));
    } else if (in.unit_number) {
      std::string number = Trimmed(*in.unit_number);
      if (number.empty() || number.size() > kMaxUnitNumber) throw Error::Field("unit_number", "1 to 50 characters.");
      unit = storage::FindUnitByNumber(c, actor.tenant, r.customer, number);
      if (!unit) {
        Check(actor, r, RequestAction::kConvert);  // 409 before creating anything
        storage::UnitRecord u;
        u.tenant = actor.tenant;
        u.customer = r.customer;
        u.unit_number = number;
        u.created_at = u.updated_at = now;
        u.id = storage::InsertUnit(c, u);
        unit = u;
      }
    }
    if (!unit) throw Error::Field("unit_number", "The request names no unit: give unit_number.");
    Check(actor, r, RequestAction::kConvert);
    storage::RepairRecord repair;
    repair.tenant = actor.tenant;
    repair.customer = r.customer;
    repair.unit = unit->id;
    repair.unit_number = unit->unit_number;
    repair.status = std::string(domain::ToString(domain::RepairStatus::kPending));
    std::string text = r.description.empty() ? r.title : r.title + "\n\n" + r.description;
    repair.description = CountCharacters(text) > kMaxDescription ? r.description : text;
    if (repair.description.empty()) repair.description = r.title;
    repair.priority = 3;
    repair.repair_date = FormatDate(now);
    repair.created_at = repair.updated_at = now;
    repair.id = storage::InsertRepair(c, repair);
    storage::SetRepairRequest(c, repair.id, r.id);
    storage::InsertLog(c, actor.tenant, repair.id, std::nullopt, repair.status, actor.user,
                       "From request #" + std::to_string(r.id), now);
    events.push_back(RecordEvent(c, actor, "repair.created", repair.id, repair.customer,
                                 json::object{{"status", repair.status},
                                              {"unit_number", repair.unit_number},
                                              {"request_id", r.id},
                                              {"by", actor.name}},
                                 now));
    r.converted_type = "repair";
    r.converted_id = repair.id.value;
  } else if (in.into == "change_order") {
    if (in.unit_number) throw Error::Field("unit_number", "Only a repair has a unit number.");
    FieldErrors errors;
    if (!r.repair_id) errors["repair_id"].push_back("The request names no repair to add a change order to.");
    if (!in.amount) errors["amount"].push_back("Give the amount, like \"120.00\".");
    if (!errors.empty()) throw Error::Validation(std::move(errors));
    auto cents = ParseChangeOrderAmount(*in.amount);
    auto repair = storage::FindRepair(c, scope, RepairId(*r.repair_id));
    if (!repair) throw Error::Field("repair_id", "The request's repair is gone.");
    std::string text = in.description ? *in.description : (r.description.empty() ? r.title : r.description);
    Check(actor, r, RequestAction::kConvert);
    auto order = change_orders_.ProposeIn(c, actor, *repair, text, cents, r.id, events);
    r.converted_type = "change_order";
    r.converted_id = order.id;
  } else {
    throw Error::Field("into", "Either \"repair\" or \"change_order\".");
  }
  return Decide(*tx, actor, std::move(r), RequestAction::kConvert, "", std::move(events));
}

RequestView ClientRequestService::Decide(storage::Transaction& tx, const policy::Actor& actor,
                                         storage::ClientRequestRecord r, RequestAction action, const std::string& notes,
                                         std::vector<storage::EventRecord> events) {
  const UnixSeconds now = deps_.clock.Now();
  auto& c = tx.conn();
  const std::string previous = r.status;
  r.status = std::string(domain::ToString(domain::RequestTarget(action)));
  const bool decision = action == RequestAction::kApprove || action == RequestAction::kReject ||
                        action == RequestAction::kConvert;
  if (decision) {
    r.decided_by = actor.user;
    r.decided_at = now;
    r.decision_notes = notes;
  }
  r.updated_at = now;
  if (!storage::UpdateClientRequest(c, r, previous)) throw Error::Conflict("The request was changed by someone else.");
  auto data = RequestData(r, actor);
  data["action"] = ActionName(action);
  if (decision) data["decision"] = r.status;
  if (r.converted_type) data["converted_to"] = json::object{{"type", *r.converted_type}, {"id", *r.converted_id}};
  events.push_back(RecordEvent(c, actor, "request.updated",
                               r.repair_id ? std::optional(RepairId(*r.repair_id)) : std::nullopt, r.customer, data,
                               now));
  auto fresh = Load(c, actor, r.id);
  tx.Commit();
  for (const auto& e : events) Publish(e);
  return View(actor, std::move(fresh));
}

}  // namespace portico::services
