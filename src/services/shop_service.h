// Shop settings, service types and availability (issue 12; API.md "Appointments"). Each use case:
// validate -> load (tenant-scoped) -> authorize (policy/shop_policy.h) -> one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/availability.h"
#include "policy/actor.h"
#include "services/deps.h"
#include "storage/shop_repository.h"

namespace portico::services {

/// The shop's settings as the API carries them (opening hours parsed).
struct ShopSettings {
  std::string time_zone = "UTC";
  std::int64_t bays = 1;
  domain::OpeningHours hours;  // minutes after local midnight
  std::int64_t slot_minutes = 30;
};

/// The settings of a tenant without any saved: UTC, one bay, Monday to Friday 08:00-17:00, 30 minutes.
ShopSettings DefaultShopSettings();
/// The saved settings of `tenant`, or the defaults.
ShopSettings LoadShopSettings(storage::Connection& c, TenantId tenant);
/// Opening hours to and from their stored JSON text ({"mon": [["08:00","17:00"]], ..., "sun": []}).
std::string OpeningHoursJson(const domain::OpeningHours& hours);
domain::OpeningHours ParseOpeningHoursJson(const std::string& text);
/// Local day keys, index 0 = Monday.
inline constexpr const char* kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct ServiceTypeInput {
  std::optional<std::string> name;
  std::optional<std::int64_t> duration_minutes;
  std::optional<bool> active;
};

/// The availability inputs of a tenant for local dates [first_date, first_date + days), with every
/// appointment that holds capacity (except `except_id`). `zone` must outlive the result.
domain::AvailabilityInput AvailabilityFor(storage::Connection& c, TenantId tenant, const ShopSettings& settings,
                                          const domain::ShopZone& zone, const std::string& first_date, int days,
                                          std::int64_t duration_minutes, UnixSeconds now, std::int64_t except_id);

class ShopService {
 public:
  explicit ShopService(Deps deps) : deps_(deps) {}

  /// Anyone logged in may read them (the portals need the zone); PUT is admin only.
  ShopSettings GetSettings(const policy::Actor& actor);
  /// Admin (403). time_zone an IANA name, bays 1..100, slot_minutes 5..240 dividing a day, opening hours
  /// valid (400 with the field).
  ShopSettings PutSettings(const policy::Actor& actor, const ShopSettings& in);

  /// Anyone logged in; customer users see the active ones only.
  std::vector<storage::ServiceTypeRecord> ListServiceTypes(const policy::Actor& actor);
  /// Admin, manager. name 1..100 characters, duration_minutes 5..1440.
  storage::ServiceTypeRecord CreateServiceType(const policy::Actor& actor, const ServiceTypeInput& in);
  storage::ServiceTypeRecord UpdateServiceType(const policy::Actor& actor, std::int64_t id, const ServiceTypeInput& in);

  /// The free slots of an active service type on `days` (1..14) local days from `date` (default: today
  /// in the shop's zone). 400 for a bad service type, date or days.
  std::vector<domain::Slot> Availability(const policy::Actor& actor, std::int64_t service_type,
                                         const std::optional<std::string>& date, std::int64_t days);

 private:
  Deps deps_;
};

}  // namespace portico::services
