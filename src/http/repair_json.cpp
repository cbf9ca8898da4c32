// The repair's wire shape (API.md "Repairs"), written straight into the response body with JsonWriter:
// the list writes 50 of them per request without a boost::json tree per row (issue 16). The one
// definition of the shape: RepairJson (dto.h) parses this text where a tree is needed.
#include "http/repair_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/money.h"
#include "domain/repair_status.h"
#include "http/json_io.h"
#include "http/json_writer.h"

namespace portico::http {

void WriteRepair(JsonWriter& w, const services::RepairView& v) {
  const auto& r = v.repair;
  w.BeginObject();
  w.Key("id"), w.Int(r.id.value);
  w.Key("customer_id"), w.Int(r.customer.value);
  w.Key("customer_name"), w.String(r.customer_name);
  w.Key("unit_id"), w.Int(r.unit.value);
  w.Key("unit_number"), w.String(r.unit_number);
  w.Key("technician_id");
  r.technician ? w.Int(r.technician->value) : w.Null();
  w.Key("technician_name");
  r.technician ? w.String(r.technician_name) : w.Null();
  w.Key("status"), w.String(r.status);
  w.Key("description"), w.String(r.description);
  w.Key("damage_type"), w.String(r.damage_type);
  w.Key("priority"), w.Int(r.priority);
  w.Key("repair_date"), w.String(r.repair_date);
  w.Key("drilled_before_repair");
  r.drilled_before_repair ? w.Bool(*r.drilled_before_repair) : w.Null();
  w.Key("windshield_temperature");
  r.windshield_temperature ? w.Number(*r.windshield_temperature) : w.Null();
  w.Key("windshield_temperature_unit"), w.OptString(r.windshield_temperature_unit);
  w.Key("resin_viscosity"), w.OptString(r.resin_viscosity);
  w.Key("cost"), w.String(domain::FormatMoney(r.status == "COMPLETED" || r.external_ref ? r.cost_cents : 0));
  w.Key("estimated_cost"), w.String(domain::FormatMoney(v.estimated_cost));
  w.Key("price_override");
  r.price_override_cents ? w.String(domain::FormatMoney(*r.price_override_cents)) : w.Null();
  w.Key("materials_total"), w.String(domain::FormatMoney(r.materials_cents));
  w.Key("change_orders_total"), w.String(domain::FormatMoney(r.change_orders_cents));
  w.Key("request_id"), w.OptInt(r.request_id);
  w.Key("within_approval_limit"), w.Bool(v.within_approval_limit);
  w.Key("approval");
  if (r.approval) {
    w.BeginObject();
    w.Key("approved"), w.Bool(r.approval->approved);
    w.Key("decided_by");
    w.BeginObject();
    w.Key("id"), w.Int(r.approval->decided_by.value);
    w.Key("name"), w.String(r.approval->decided_by_name);
    w.EndObject();
    w.Key("decided_at"), w.String(FormatTimestamp(r.approval->decided_at));
    w.Key("notes"), w.String(r.approval->notes);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("allowed_moves");
  w.BeginArray();
  for (auto s : v.allowed_moves) w.String(domain::ToString(s));
  w.EndArray();
  w.Key("moves_needing_reason");
  w.BeginArray();
  for (auto s : v.moves_needing_reason) w.String(domain::ToString(s));
  w.EndArray();
  w.Key("can_approve"), w.Bool(v.can_approve);
  w.Key("external_ref"), w.OptString(r.external_ref);
  w.Key("technician_ref"), w.OptString(r.technician_ref);
  // Issue 14: where the invoice is, once there is one (COMPLETED); the portals show the button from it.
  w.Key("invoice_url");
  r.status == "COMPLETED" ? w.String("/api/v1/repairs/" + std::to_string(r.id.value) + "/invoice.pdf") : w.Null();
  w.Key("version"), w.Int(r.version);
  w.Key("board_rank"), w.OptString(r.board_rank);
  w.Key("created_at"), w.String(FormatTimestamp(r.created_at));
  w.Key("updated_at"), w.String(FormatTimestamp(r.updated_at));
  w.EndObject();
}

std::string RepairJsonText(const services::RepairView& v) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  WriteRepair(w, v);
  return out;
}

boost::json::value RepairJson(const services::RepairView& v) { return boost::json::parse(RepairJsonText(v)); }

Response RepairResponse(int status, const services::RepairView& v) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = RepairJsonText(v);
  return r;
}

Response RepairPageResponse(const Request& req, const PageRequest& page, const PageOf<services::RepairView>& p) {
  // The envelope as PageEnvelope writes it (count, next, previous), its results written here.
  std::string head = boost::json::serialize(PageEnvelope(req, page, p.count, {}));
  constexpr std::string_view kTail = "\"results\":[]}";
  if (!head.ends_with(kTail)) {  // PageEnvelope changed its shape: fall back to the tree
    boost::json::array results;
    for (const auto& v : p.results) results.push_back(RepairJson(v));
    return JsonResponse(200, PageEnvelope(req, page, p.count, std::move(results)));
  }
  Response r;
  r.status = 200;
  r.content_type = "application/json";
  r.body.reserve(head.size() + p.results.size() * 900);
  r.body.append(head, 0, head.size() - kTail.size());
  r.body += "\"results\":";
  JsonWriter w(r.body);
  w.BeginArray();
  for (const auto& v : p.results) WriteRepair(w, v);
  w.EndArray();
  r.body.push_back('}');
  return r;
}

}  // namespace portico::http
