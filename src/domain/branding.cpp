#include "domain/branding.h"

#include <boost/json.hpp>

namespace portico::domain {
namespace json = boost::json;

Branding DefaultBranding(const std::string& name) {
  Branding b;
  b.company.name = name;
  b.company.display_name = name;
  b.portal.footer_text = name;
  return b;
}

bool IsSupportedLanguage(const std::string& language) { return language == "en" || language == "es"; }

bool IsHexColor(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

namespace {

void MaxLen(FieldErrors& errors, const char* field, const std::string& v, std::size_t max) {
  if (v.size() > max) errors[field].push_back("At most " + std::to_string(max) + " characters.");
}

void UrlLike(FieldErrors& errors, const char* field, const std::string& v) {
  if (v.empty()) return;
  if (!(v.starts_with("https://") || v.starts_with("http://") || (v.starts_with("/") && !v.starts_with("//")))) {
    errors[field].push_back("Must be an http(s) URL or a path starting with /.");
  }
}

}  // namespace

FieldErrors ValidateBranding(const Branding& b) {
  FieldErrors errors;
  const std::pair<const char*, const std::string*> colors[] = {
      {"colors.primary", &b.colors.primary},       {"colors.secondary", &b.colors.secondary},
      {"colors.accent", &b.colors.accent},         {"colors.background", &b.colors.background},
      {"colors.text", &b.colors.text}};
  for (const auto& [field, value] : colors) {
    if (!IsHexColor(*value)) errors[field].push_back("Must be a colour written #rrggbb.");
  }
  if (b.company.name.empty()) errors["company.name"].push_back("Required.");
  MaxLen(errors, "company.name", b.company.name, 200);
  MaxLen(errors, "company.display_name", b.company.display_name, 200);
  MaxLen(errors, "company.support_email", b.company.support_email, 254);
  if (!b.company.support_email.empty() && b.company.support_email.find('@') == std::string::npos) {
    errors["company.support_email"].push_back("Must be an e-mail address.");
  }
  MaxLen(errors, "company.support_phone", b.company.support_phone, 50);
  MaxLen(errors, "company.support_hours", b.company.support_hours, 200);
  MaxLen(errors, "company.website", b.company.website, 500);
  UrlLike(errors, "company.website", b.company.website);
  MaxLen(errors, "logo_url", b.logo_url, 2000);
  UrlLike(errors, "logo_url", b.logo_url);
  MaxLen(errors, "portal.welcome_message", b.portal.welcome_message, 2000);
  MaxLen(errors, "portal.footer_text", b.portal.footer_text, 1000);
  if (!IsSupportedLanguage(b.default_language)) errors["default_language"].push_back("Must be \"en\" or \"es\".");
  return errors;
}

json::value BrandingToJson(const Branding& b) {
  return json::object{
      {"company", json::object{{"name", b.company.name},
                               {"display_name", b.company.display_name},
                               {"support_email", b.company.support_email},
                               {"support_phone", b.company.support_phone},
                               {"support_hours", b.company.support_hours},
                               {"website", b.company.website}}},
      {"colors", json::object{{"primary", b.colors.primary},
                              {"secondary", b.colors.secondary},
                              {"accent", b.colors.accent},
                              {"background", b.colors.background},
                              {"text", b.colors.text}}},
      {"logo_url", b.logo_url.empty() ? json::value(nullptr) : json::value(b.logo_url)},
      {"portal", json::object{{"welcome_message", b.portal.welcome_message}, {"footer_text", b.portal.footer_text}}},
      {"default_language", b.default_language},
      {"currency", b.currency.empty() ? std::string("USD") : b.currency},
  };
}

namespace {
void Read(const json::object& o, const char* key, std::string& out) {
  if (auto p = o.if_contains(key); p && p->is_string()) out = std::string(p->as_string());
}
}  // namespace

Branding BrandingFromJson(const json::value& v) {
  Branding b;
  const auto* o = v.if_object();
  if (!o) return b;
  if (auto c = o->if_contains("company"); c && c->is_object()) {
    const auto& co = c->as_object();
    Read(co, "name", b.company.name);
    Read(co, "display_name", b.company.display_name);
    Read(co, "support_email", b.company.support_email);
    Read(co, "support_phone", b.company.support_phone);
    Read(co, "support_hours", b.company.support_hours);
    Read(co, "website", b.company.website);
  }
  if (auto c = o->if_contains("colors"); c && c->is_object()) {
    const auto& co = c->as_object();
    Read(co, "primary", b.colors.primary);
    Read(co, "secondary", b.colors.secondary);
    Read(co, "accent", b.colors.accent);
    Read(co, "background", b.colors.background);
    Read(co, "text", b.colors.text);
  }
  Read(*o, "logo_url", b.logo_url);
  if (auto c = o->if_contains("portal"); c && c->is_object()) {
    Read(c->as_object(), "welcome_message", b.portal.welcome_message);
    Read(c->as_object(), "footer_text", b.portal.footer_text);
  }
  Read(*o, "default_language", b.default_language);
  if (!IsSupportedLanguage(b.default_language)) b.default_language = "en";
  return b;
}

}  // namespace portico::domain
