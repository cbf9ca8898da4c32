// Helpers shared by the appointment service's files (issue 12): the shop's zone, the free slot re-read
// inside a write transaction, the notes limit and the customer notifications. Not a public interface.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "services/appointment_service.h"
#include "services/shop_service.h"
#include "services/support_service.h"
#include "storage/customers_repository.h"
#include "storage/notifications_repository.h"

namespace portico::services::appointment_detail {
namespace json = boost::json;

inline constexpr std::size_t kMaxNotes = 2000;
inline constexpr std::size_t kMaxUnitNumber = 50;
inline constexpr UnixSeconds kReminderLead = 24 * 3600;

/// The shop's settings and its time zone, loaded together.
struct Zone {
  ShopSettings settings;
  domain::ShopZone zone;
};

inline Zone LoadZone(storage::Connection& c, TenantId tenant) {
  auto settings = LoadShopSettings(c, tenant);
  auto zone = domain::ShopZone::Find(settings.time_zone);
  if (!zone) throw Error::Internal("stored time zone unknown: " + settings.time_zone);
  return {settings, *zone};
}

/// The free slot at `starts_at` for a service of `duration` minutes, re-read inside the transaction.
inline std::optional<domain::Slot> FreeSlotAt(storage::Connection& c, TenantId tenant, const Zone& z, UnixSeconds starts_at,
                                       std::int64_t duration, UnixSeconds now, std::int64_t except_id) {
  const std::string day = z.zone.ToLocal(starts_at).date;
  auto in = AvailabilityFor(c, tenant, z.settings, z.zone, day, 1, duration, now, except_id);
  return domain::FindFreeSlot(in, starts_at);
}

inline void CheckNotes(FieldErrors& errors, const std::string& notes) {
  if (CountCharacters(notes) > kMaxNotes) errors["notes"].push_back("At most 2000 characters.");
}

/// In-app notifications (and e-mail, per the customer's preferences) to every user of the appointment's
/// customer, each with its notification.created event. Returns the events to publish.
inline std::vector<storage::EventRecord> NotifyCustomer(storage::Connection& c, const Config& config,
                                                 const storage::AppointmentRecord& a, std::int64_t event_id,
                                                 const std::string& type, const std::string& title, UnixSeconds now,
                                                 std::optional<UserId> except) {
  std::vector<storage::EventRecord> out;
  const bool email = !config.smtp_host.empty() && storage::CustomerWantsEmail(c, a.customer);
  for (auto user : storage::CustomerUsers(c, a.customer, std::nullopt)) {
    if (except && *except == user) continue;
    storage::NotificationRecord n;
    n.tenant = a.tenant;
    n.user = user;
    n.event_id = event_id;
    n.type = type;
    n.repair = a.repair;
    n.title = title;
    n.created_at = now;
    auto nid = storage::InsertNotification(c, n, email);
    if (!nid) continue;
    storage::EventRecord ev;
    ev.tenant = a.tenant;
    ev.type = "notification.created";
    ev.repair = a.repair;
    ev.user = user;
    ev.data = json::serialize(json::object{{"notification_id", *nid}, {"type", type}, {"title", title},
                                           {"appointment_id", a.id}});
    ev.occurred_at = now;
    ev.id = storage::InsertEvent(c, ev);
    out.push_back(ev);
  }
  return out;
}

inline std::string ConfirmationTitle(const Zone& z, const storage::AppointmentRecord& a) {
  return "Your visit on " + z.zone.LocalStamp(a.starts_at).replace(10, 1, " at ") + " is confirmed";
}

}  // namespace portico::services::appointment_detail
