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
                      {"role", std::string(domain::ToString(a.role))},
                      {"tenant", json::object{{"slug", a.tenant_slug}, {"name", a.tenant_name}}},
                      {"customers", std::move(customers)}};
}

json::value UserJson(const storage::UserRecord& u) {
  return json::object{{"id", u.id.value},
                      {"email", u.email},
                      {"name", u.name},
                      {"role", std::string(domain::ToString(u.role))},
                      {"is_active", u.is_active},
                      {"created_at", FormatTimestamp(u.created_at)},
                      {"updated_at", FormatTimestamp(u.updated_at)}};
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
                      {"is_primary_contact", a.is_primary_contact}};
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
