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

/// A technician's profile (API.md "Technician profile"): staff-only; absent fields are null.
struct TechnicianProfile {
  std::optional<std::string> phone;                // <= 50
  std::optional<std::string> certification_level;  // free text <= 50
  std::optional<std::string> hire_date;            // YYYY-MM-DD
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
  /// The @handle (issue 11): [a-z0-9][a-z0-9_.-]{1,29}, unique in the tenant.
  std::string handle;
  /// "en", "es" or none chosen (issue 13); read with the row so loading an actor needs no extra query.
  std::optional<std::string> language;
  /// Technicians only, filled by the services for staff callers (never serialised otherwise).
  std::optional<TechnicianProfile> technician_profile;
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
  std::optional<std::int64_t> approval_limit_cents;  // approvers: nullopt = no limit (issue 10)
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

namespace portico::storage {

struct UnitRecord {
  UnitId id;
  TenantId tenant;
  CustomerId customer;
  std::string unit_number;
  std::string description;
  std::int64_t repair_count = 0;
  std::optional<UnixSeconds> replaced_at;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct ApprovalRecord {
  bool approved = false;
  UserId decided_by;
  std::string decided_by_name;
  UnixSeconds decided_at = 0;
  std::string notes;
};

/// A repair with what its wire shape needs from joined rows (unit number and count, names, approval).
struct RepairRecord {
  RepairId id;
  TenantId tenant;
  CustomerId customer;
  std::string customer_name;
  UnitId unit;
  std::string unit_number;
  std::int64_t unit_repair_count = 0;
  std::optional<UserId> technician;
  std::string technician_name;
  std::string status;  // domain::RepairStatus wire name
  std::string description;
  std::string damage_type;
  std::int64_t priority = 3;
  std::string repair_date;  // YYYY-MM-DD
  std::optional<bool> drilled_before_repair;
  std::optional<double> windshield_temperature;
  std::optional<std::string> windshield_temperature_unit;  // "C" or "F"
  std::optional<std::string> resin_viscosity;
  std::optional<std::int64_t> labour_cents;          // fixed at completion
  std::optional<std::int64_t> price_override_cents;
  std::int64_t materials_cents = 0;
  std::int64_t cost_cents = 0;                       // 0 until COMPLETED (imported history keeps its cost)
  std::optional<std::string> external_ref;
  std::optional<std::string> technician_ref;  // imported: the shop or technician the source names
  std::int64_t version = 1;
  std::optional<ApprovalRecord> approval;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::int64_t change_orders_cents = 0;  // approved change orders (issue 10); part of the cost
  std::optional<std::int64_t> request_id;  // the client request it was converted from (issue 10)
  std::optional<std::string> board_rank;  // issue 12: order within its board column; nullopt = top, unplaced
};

struct LogEntry {
  std::int64_t id = 0;
  std::optional<std::string> previous_status;
  std::string new_status;
  std::optional<UserId> changed_by;
  std::string changed_by_name;
  UnixSeconds timestamp = 0;
  std::string notes;
};

struct MaterialRecord {
  std::int64_t id = 0;
  RepairId repair;
  std::string material_type;
  double quantity = 0;
  std::int64_t unit_cost_cents = 0;
  std::int64_t total_cents = 0;
  UnixSeconds created_at = 0;
  std::optional<std::int64_t> part_id;  // issue 12: the inventory part it was taken from
};

struct NoteRecord {
  std::int64_t id = 0;
  RepairId repair;
  std::optional<UserId> author;
  std::string author_name;
  std::string body;
  std::string visibility;  // internal | customer
  UnixSeconds created_at = 0;
};

struct ScheduleEntry {
  std::int64_t id = 0;
  UserId technician;
  std::string date;    // YYYY-MM-DD
  int start_minute = 0;
  int end_minute = 0;
  bool is_available = true;
  std::string notes;
};

/// One row of the event log: the single source of live updates and notifications.
struct EventRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string type;  // repair.created, repair.status_changed, ...
  std::optional<RepairId> repair;
  std::optional<CustomerId> customer;  // audience: the customer's users may see it
  bool internal = false;               // staff only (e.g. an internal note)
  std::optional<UserId> user;          // addressed to one user only (notification.created)
  bool all_customers = false;          // audience: the users of every customer of the tenant
  std::string data;                    // JSON object
  UnixSeconds occurred_at = 0;
};

}  // namespace portico::storage

namespace portico::storage {

/// An in-app notification for one user, made from one event.
struct NotificationRecord {
  std::int64_t id = 0;
  TenantId tenant;
  UserId user;
  std::int64_t event_id = 0;
  std::string type;  // approval_wanted, status_changed, customer_decision, new_request
  std::optional<RepairId> repair;
  std::optional<std::int64_t> channel;  // the conversation of a `mention`
  std::string title;
  std::string body;
  std::optional<UnixSeconds> read_at;
  UnixSeconds created_at = 0;
};

}  // namespace portico::storage
