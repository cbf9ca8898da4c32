// A tenant's branding: company details, colours, logo and portal messages (API.md, "Tenant branding").
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "core/error.h"

namespace portico::domain {

struct Branding {
  struct Company {
    std::string name, display_name, support_email, support_phone, support_hours, website;
  } company;
  struct Colors {
    std::string primary = "#1f4e79", secondary = "#2e7d32", accent = "#f59e0b", background = "#ffffff",
                text = "#1f2937";
  } colors;
  std::string logo_url;
  struct Portal {
    std::string welcome_message = "Welcome to your repair portal.", footer_text;
  } portal;
  /// The language ("en" or "es") of the portal and the e-mails for users who chose none (API.md "Users
  /// (additions)": the browser's, else the tenant's). Empty in a PUT that omits it: the stored one stays.
  std::string default_language = "en";
  /// The tenant's ISO 4217 currency ("USD"): read-only, from the tenant (PRODUCT.md "Tenant"), shown so the
  /// portals format money in it; never stored in the branding JSON and ignored in a PUT.
  std::string currency;
};

/// True for a language the portals and e-mails exist in: "en" or "es".
bool IsSupportedLanguage(const std::string& language);

/// Default branding for a new tenant called `name`.
Branding DefaultBranding(const std::string& name);

/// Field errors (keys like "colors.primary", "company.support_email") for values out of bounds:
/// colours must be "#rrggbb"; texts have length limits; logo_url and website must be http(s) or "/" paths.
FieldErrors ValidateBranding(const Branding& b);

/// The API shape of API.md.
boost::json::value BrandingToJson(const Branding& b);
/// Reads the API shape leniently (missing keys keep defaults); for stored values.
Branding BrandingFromJson(const boost::json::value& v);

/// True for "#rrggbb" (hex digits, either case).
bool IsHexColor(const std::string& s);

}  // namespace portico::domain
