#include "services/change_order_service.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "domain/client_requests.h"
#include "domain/pricing.h"
#include "domain/repair_status.h"
#include "policy/policy.h"
#include "services/support_service.h"
#include "storage/accounts_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
using domain::ChangeOrderAction;

namespace {

constexpr std::size_t kMaxDescription = 2000;
constexpr std::size_t kMaxNotes = 2000;

std::string Trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool RepairIsFinal(const storage::RepairRecord& r) {
  auto s = domain::ParseRepairStatus(r.status);
  return s && domain::IsFinal(*s);
}

storage::RepairRecord LoadRepair(storage::Connection& c, const policy::Actor& actor, RepairId id) {
  auto r = storage::FindRepair(c, policy::ScopeOf(actor), id);
  if (!r) throw Error::NotFound("No such repair.");
  return *r;
}

json::object OrderData(const storage::ChangeOrderRecord& o, const policy::Actor& actor) {
  return json::object{{"change_order_id", o.id},
                      {"status", o.status},
                      {"amount", domain::FormatMoney(o.amount_cents)},
                      {"description", o.description},
                      {"by", actor.name}};
}

}  // namespace

storage::EventRecord RecordEvent(storage::Connection& c, const policy::Actor& actor, const char* type,
                                 std::optional<RepairId> repair, CustomerId customer, json::object data,
                                 UnixSeconds now) {
  storage::EventRecord e;
  e.tenant = actor.tenant;
  e.type = type;
  e.repair = repair;
  e.customer = customer;
  data["by_id"] = actor.user.value;
  e.data = json::serialize(data);
  e.occurred_at = now;
  e.id = storage::InsertEvent(c, e);
  return e;
}

domain::Cents EstimatedCostOf(storage::Connection& c, const storage::RepairRecord& r) {
  if (r.status == "COMPLETED") return r.cost_cents;
  auto t = storage::FindTenant(c, r.tenant);
  const domain::PricingSettings pricing = t ? t->pricing : domain::PricingSettings{};
  return domain::RepairCost(domain::EstimatedLabour(pricing, static_cast<int>(r.unit_repair_count)),
                            r.price_override_cents, r.materials_cents, r.change_orders_cents);
}

domain::Cents ParseChangeOrderAmount(const std::string& amount) {
  auto cents = domain::ParseMoney(amount);
  if (!cents || *cents <= 0 || *cents > domain::kMaxChangeOrderCents) {
    throw Error::Field("amount", "An amount greater than 0 like \"120.00\" (at most 100000000.00).");
  }
  return *cents;
}

ChangeOrderView ChangeOrderService::View(storage::Connection& c, const policy::Actor& actor,
                                         storage::ChangeOrderRecord o) {
  ChangeOrderView v;
  auto repair = storage::FindRepair(c, policy::ScopeOf(actor), o.repair);
  const bool final_repair = !repair || RepairIsFinal(*repair);
  const auto status = domain::ParseChangeOrderStatus(o.status).value_or(domain::ChangeOrderStatus::kWithdrawn);
  const auto who = policy::ChangeOrderActorFor(actor, o.customer);
  v.can_decide = !final_repair &&
                 domain::DecideChangeOrder(status, ChangeOrderAction::kApprove, who) == domain::Verdict::kAllowed;
  v.can_withdraw = !final_repair &&
                   domain::DecideChangeOrder(status, ChangeOrderAction::kWithdraw, who) == domain::Verdict::kAllowed;
  v.approval_limit = policy::ApprovalLimitOf(actor, o.customer);
  v.within_approval_limit = domain::WithinApprovalLimit(v.approval_limit, o.amount_cents);
  if (repair) {
    v.repair_estimated_cost = EstimatedCostOf(c, *repair);
    v.estimated_cost_if_approved =
        v.repair_estimated_cost + (o.status == "proposed" && !final_repair ? o.amount_cents : 0);
  }
  v.order = std::move(o);
  return v;
}

std::vector<ChangeOrderView> ChangeOrderService::List(const policy::Actor& actor, RepairId repair) {
  auto tx = deps_.db.Read();
  LoadRepair(tx->conn(), actor, repair);
  std::vector<ChangeOrderView> out;
  for (auto& o : storage::ListChangeOrders(tx->conn(), actor.tenant, repair)) {
    out.push_back(View(tx->conn(), actor, std::move(o)));
  }
  return out;
}

std::vector<storage::ChangeOrderRecord> ChangeOrderService::ListRecords(const policy::Actor& actor, RepairId repair) {
  auto tx = deps_.db.Read();
  LoadRepair(tx->conn(), actor, repair);
  return storage::ListChangeOrders(tx->conn(), actor.tenant, repair);
}

ChangeOrderView ChangeOrderService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto o = storage::FindChangeOrder(tx->conn(), policy::ScopeOf(actor), id);
  if (!o) throw Error::NotFound("No such change order.");
  return View(tx->conn(), actor, std::move(*o));
}

storage::ChangeOrderRecord ChangeOrderService::ProposeIn(storage::Connection& c, const policy::Actor& actor,
                                                         const storage::RepairRecord& repair,
                                                         const std::string& description, domain::Cents amount,
                                                         std::optional<std::int64_t> request_id,
                                                         std::vector<storage::EventRecord>& events) {
  const std::string text = Trimmed(description);
  if (text.empty() || CountCharacters(text) > kMaxDescription) {
    throw Error::Field("description", "Describe the extra work: 1 to 2000 characters.");
  }
  if (RepairIsFinal(repair)) {
    throw Error::Conflict("The repair is " + repair.status + "; no more change orders can be added.");
  }
  const UnixSeconds now = deps_.clock.Now();
  storage::ChangeOrderRecord o;
  o.tenant = actor.tenant;
  o.customer = repair.customer;
  o.repair = repair.id;
  o.request_id = request_id;
  o.description = text;
  o.amount_cents = amount;
  o.status = "proposed";
  o.created_by = actor.user;
  o.created_by_name = actor.name;
  o.created_at = o.updated_at = now;
  o.id = storage::InsertChangeOrder(c, o);
  storage::InsertLog(c, actor.tenant, repair.id, repair.status, repair.status, actor.user,
                     "Change order #" + std::to_string(o.id) + " proposed (" + domain::FormatMoney(amount) +
                         "): " + text,
                     now);
  events.push_back(RecordEvent(c, actor, "change_order.created", repair.id, repair.customer, OrderData(o, actor), now));
  return o;
}

ChangeOrderView ChangeOrderService::Propose(const policy::Actor& actor, RepairId repair_id,
                                            const std::string& description, const std::string& amount) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto repair = LoadRepair(c, actor, repair_id);
  if (!policy::CanProposeChangeOrder(actor)) throw Error::Forbidden("Only the shop proposes change orders.");
  FieldErrors errors;
  const std::string text = Trimmed(description);
  if (text.empty() || CountCharacters(text) > kMaxDescription) {
    errors["description"].push_back("Describe the extra work: 1 to 2000 characters.");
  }
  domain::Cents cents = 0;
  try {
    cents = ParseChangeOrderAmount(amount);
  } catch (const Error& e) {
    errors["amount"].push_back(e.field_errors().at("amount").front());
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  std::vector<storage::EventRecord> events;
  auto o = ProposeIn(c, actor, repair, text, cents, std::nullopt, events);
  auto view = View(c, actor, o);
  tx->Commit();
  for (const auto& e : events) Publish(e);
  return view;
}

ChangeOrderView ChangeOrderService::Decide(const policy::Actor& actor, std::int64_t id, bool approved,
                                           const std::string& notes) {
  return Finish(actor, id, approved, notes);
}

ChangeOrderView ChangeOrderService::Withdraw(const policy::Actor& actor, std::int64_t id) {
  return Finish(actor, id, std::nullopt, "");
}

ChangeOrderView ChangeOrderService::Finish(const policy::Actor& actor, std::int64_t id, std::optional<bool> approved,
                                           const std::string& notes) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto o = storage::FindChangeOrder(c, policy::ScopeOf(actor), id);
  if (!o) throw Error::NotFound("No such change order.");
  const auto action = !approved ? ChangeOrderAction::kWithdraw
                      : *approved ? ChangeOrderAction::kApprove
                                  : ChangeOrderAction::kDecline;
  const auto status = domain::ParseChangeOrderStatus(o->status).value_or(domain::ChangeOrderStatus::kWithdrawn);
  const auto verdict = domain::DecideChangeOrder(status, action, policy::ChangeOrderActorFor(actor, o->customer));
  if (verdict == domain::Verdict::kForbidden) {
    throw Error::Forbidden(approved ? "Only an approver of this customer decides its change orders."
                                    : "Only the shop withdraws a change order.");
  }
  if (domain::BoundedByLimit(action)) {
    auto limit = policy::ApprovalLimitOf(actor, o->customer);
    if (!domain::WithinApprovalLimit(limit, o->amount_cents)) {
      throw Error::Forbidden("This change order (" + domain::FormatMoney(o->amount_cents) +
                             ") is above your approval limit of " + domain::FormatMoney(*limit) +
                             "; ask an approver with a higher limit.");
    }
  }
  if (notes.size() > kMaxNotes * 4 || CountCharacters(notes) > kMaxNotes) {
    throw Error::Field("notes", "At most 2000 characters.");
  }
  if (verdict == domain::Verdict::kConflict) {
    throw Error::Conflict("This change order is " + o->status + "; only a proposed one can be decided or withdrawn.");
  }
  auto repair = LoadRepair(c, actor, o->repair);
  if (RepairIsFinal(repair)) {
    throw Error::Conflict("The repair is " + repair.status + "; its change orders can no longer change.");
  }
  o->status = std::string(domain::ToString(domain::ChangeOrderTarget(action)));
  o->decided_by = actor.user;
  o->decided_by_name = actor.name;
  o->decided_at = now;
  o->notes = Trimmed(notes);
  if (!storage::DecideChangeOrderRow(c, *o)) throw Error::Conflict("The change order was decided by someone else.");
  std::vector<storage::EventRecord> events;
  std::string log = "Change order #" + std::to_string(o->id) + " " + o->status + " (" +
                    domain::FormatMoney(o->amount_cents) + ")";
  if (!o->notes.empty()) log += ": " + o->notes;
  storage::InsertLog(c, actor.tenant, repair.id, repair.status, repair.status, actor.user, log, now);
  auto data = OrderData(*o, actor);
  data["approved"] = approved ? json::value(*approved) : json::value(nullptr);
  events.push_back(RecordEvent(c, actor, "change_order.updated", repair.id, repair.customer, data, now));
  if (action == ChangeOrderAction::kApprove) {
    auto total = storage::RefreshChangeOrdersTotal(c, repair.id, now);
    events.push_back(RecordEvent(c, actor, "repair.updated", repair.id, repair.customer,
                                 json::object{{"fields", json::array{"change_orders_total"}},
                                              {"change_orders_total", domain::FormatMoney(total)},
                                              {"by", actor.name}},
                                 now));
  }
  auto view = View(c, actor, *o);
  tx->Commit();
  for (const auto& e : events) Publish(e);
  return view;
}

}  // namespace portico::services
