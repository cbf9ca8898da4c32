// Rows as the repositories return them. Times in Unix seconds UTC, money in cents.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/branding.h"
#include "domain/pricing.h"
#include "domain/roles.h"

namespace portico::storage {

struct TenantRecord {
  TenantId id;
  std::string slug;
  std::string name;
  std::string currency;
  domain::Branding branding;
  domain::PricingSettings pricing;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct UserRecord {
  UserId id;
  TenantId tenant;
  std::string email;  // stored lower-case
  std::string name;
  domain::Role role = domain::Role::kCustomer;
  std::string password_hash;
  bool is_active = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

/// A customer's notification preferences (API.md, /customers/{id}/preferences).
struct Preferences {
  bool receive_email_notifications = true;
  bool receive_sms_notifications = false;
  std::string default_view = "DASHBOARD";  // REPAIRS | UNITS | DASHBOARD
};

struct CustomerRecord {
  CustomerId id;
  TenantId tenant;
  std::string name;
  std::string address;
  std::string phone;
  std::optional<std::string> email;
  bool is_active = true;
  Preferences preferences;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

/// One user's access to one customer, with the user's name and e-mail for display.
struct AccessRecord {
  CustomerId customer;
  std::string customer_name;
  UserId user;
  std::string user_name;
  std::string user_email;
  domain::CustomerAccess access = domain::CustomerAccess::kViewer;
  bool is_primary_contact = false;
};

struct SessionRecord {
  std::int64_t id = 0;
  UserId user;
  std::string csrf_token;
  UnixSeconds created_at = 0;
  UnixSeconds last_seen_at = 0;
  UnixSeconds expires_at = 0;
};

struct TokenRecord {
  TokenId id;
  UserId user;
  std::string name;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> last_used_at;
};

}  // namespace portico::storage
