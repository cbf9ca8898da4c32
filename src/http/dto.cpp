#include "http/dto.h"

#include <boost/json.hpp>

#include "core/clock.h"

namespace portico::http {
namespace json = boost::json;

json::value MeJson(const policy::Actor& a) {
  json::array customers;
  for (const auto& g : a.customers) {
    customers.push_back(json::object{{"id", g.customer.value},
                                     {"name", g.name},
                                     {"access", std::string(domain::ToString(g.access))},
                                     {"is_primary_contact", g.is_primary_contact}});
  }
  return json::object{{"id", a.user.value},
                      {"email", a.email},
                      {"name", a.name},
                      {"handle", a.handle},
                      {"role", std::string(domain::ToString(a.role))},
                      {"tenant", json::object{{"slug", a.tenant_slug}, {"name", a.tenant_name},
                                              {"default_language", a.tenant_default_language}}},
                      {"customers", std::move(customers)},
                      {"language", a.language ? json::value(*a.language) : json::value(nullptr)}};
}

void AddTechnicianProfile(json::object& o, const std::optional<storage::TechnicianProfile>& p) {
  if (!p) return;  // not a technician, or a caller who may not see profiles: the fields are absent
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  o["phone"] = opt(p->phone);
  o["certification_level"] = opt(p->certification_level);
  o["hire_date"] = opt(p->hire_date);
}

json::value UserJson(const storage::UserRecord& u) {
  json::object o{{"id", u.id.value},
                 {"email", u.email},
                 {"name", u.name},
                 {"handle", u.handle},
                 {"role", std::string(domain::ToString(u.role))},
                 {"is_active", u.is_active},
                 {"created_at", FormatTimestamp(u.created_at)},
                 {"updated_at", FormatTimestamp(u.updated_at)}};
  AddTechnicianProfile(o, u.technician_profile);
  return o;
}

json::value CustomerJson(const storage::CustomerRecord& c) {
  return json::object{{"id", c.id.value},
                      {"name", c.name},
                      {"address", c.address},
                      {"phone", c.phone},
                      {"email", c.email ? json::value(*c.email) : json::value(nullptr)},
                      {"is_active", c.is_active},
                      {"created_at", FormatTimestamp(c.created_at)},
                      {"updated_at", FormatTimestamp(c.updated_at)}};
}

json::value AccessJson(const storage::AccessRecord& a) {
  return json::object{{"customer_id", a.customer.value},
                      {"user_id", a.user.value},
                      {"name", a.user_name},
                      {"email", a.user_email},
                      {"access", std::string(domain::ToString(a.access))},
                      {"is_primary_contact", a.is_primary_contact},
                      {"approval_limit", a.approval_limit_cents ? json::value(domain::FormatMoney(*a.approval_limit_cents))
                                                                : json::value(nullptr)}};
}

json::value PreferencesJson(const storage::Preferences& p) {
  return json::object{{"receive_email_notifications", p.receive_email_notifications},
                      {"receive_sms_notifications", p.receive_sms_notifications},
                      {"default_view", p.default_view}};
}

json::value TokenJson(const storage::TokenRecord& t) {
  return json::object{{"id", t.id.value},
                      {"name", t.name},
                      {"created_at", FormatTimestamp(t.created_at)},
                      {"last_used_at", t.last_used_at ? json::value(FormatTimestamp(*t.last_used_at)) : nullptr}};
}

namespace {

/// The request's target with page=N (other parameters kept), as a relative URL.
std::string WithPage(const Request& req, std::int64_t page) {
  std::string out = req.path + "?";
  bool first = true;
  auto enc = [](const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
        o.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        o += buf;
      }
    }
    return o;
  };
  for (const auto& [k, v] : req.query) {
    if (k == "page") continue;
    out += (first ? "" : "&") + enc(k) + "=" + enc(v);
    first = false;
  }
  out += (first ? "" : "&") + std::string("page=") + std::to_string(page);
  return out;
}

}  // namespace

json::value PageEnvelope(const Request& req, const PageRequest& page, std::int64_t count, json::array results) {
  json::value next = nullptr, previous = nullptr;
  if (page.page * page.page_size < count) next = WithPage(req, page.page + 1);
  if (page.page > 1) previous = WithPage(req, std::min(page.page - 1, (count + page.page_size - 1) / page.page_size));
  if (page.page > 1 && count == 0) previous = WithPage(req, 1);
  return json::object{{"count", count}, {"next", next}, {"previous", previous}, {"results", std::move(results)}};
}

}  // namespace portico::http

#include "domain/money.h"

namespace portico::http {

namespace {
/// Whole numbers as integers ("2", not "2E0"); others as doubles.
json::value Number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)) && v > -9e15 && v < 9e15) {
    return static_cast<std::int64_t>(v);
  }
  return v;
}

json::value Person(const std::optional<UserId>& id, const std::string& name) {
  if (!id) return nullptr;
  return json::object{{"id", id->value}, {"name", name}};
}
}  // namespace

// RepairJson: http/repair_json.cpp (written as text, issue 16).

json::value UnitJson(const services::UnitView& v) {
  const auto& u = v.unit;
  return json::object{{"id", u.id.value},
                      {"customer_id", u.customer.value},
                      {"unit_number", u.unit_number},
                      {"description", u.description},
                      {"repair_count", u.repair_count},
                      {"next_price", domain::FormatMoney(v.next_price)},
                      {"replaced_at", u.replaced_at ? json::value(FormatTimestamp(*u.replaced_at)) : nullptr},
                      {"created_at", FormatTimestamp(u.created_at)},
                      {"updated_at", FormatTimestamp(u.updated_at)}};
}

json::value LogJson(const storage::LogEntry& e) {
  return json::object{{"id", e.id},
                      {"previous_status", e.previous_status ? json::value(*e.previous_status) : nullptr},
                      {"new_status", e.new_status},
                      {"changed_by", Person(e.changed_by, e.changed_by_name)},
                      {"timestamp", FormatTimestamp(e.timestamp)},
                      {"notes", e.notes}};
}

json::value MaterialJson(const storage::MaterialRecord& m) {
  return json::object{{"id", m.id},
                      {"repair_id", m.repair.value},
                      {"material_type", m.material_type},
                      {"quantity", Number(m.quantity)},
                      {"unit_cost", domain::FormatMoney(m.unit_cost_cents)},
                      {"total", domain::FormatMoney(m.total_cents)},
                      {"part_id", m.part_id ? json::value(*m.part_id) : json::value(nullptr)},
                      {"created_at", FormatTimestamp(m.created_at)}};
}

json::value NoteJson(const storage::NoteRecord& n) {
  return json::object{{"id", n.id},
                      {"repair_id", n.repair.value},
                      {"author", Person(n.author, n.author_name)},
                      {"body", n.body},
                      {"visibility", n.visibility},
                      {"created_at", FormatTimestamp(n.created_at)}};
}

json::value ScheduleJson(const storage::ScheduleEntry& e) {
  return json::object{{"id", e.id},
                      {"technician_id", e.technician.value},
                      {"date", e.date},
                      {"start_time", FormatTimeOfDay(e.start_minute)},
                      {"end_time", FormatTimeOfDay(e.end_minute)},
                      {"is_available", e.is_available},
                      {"notes", e.notes}};
}

json::value TechnicianJson(const services::TechnicianView& t) {
  json::object o{{"id", t.user.id.value},
                 {"name", t.user.name},
                 {"handle", t.user.handle},
                 {"email", t.user.email},
                 {"is_active", t.user.is_active},
                 {"open_repairs", t.open_repairs},
                 {"completed_repairs", t.completed_repairs}};
  AddTechnicianProfile(o, t.user.technician_profile);
  return o;
}

}  // namespace portico::http
