#include "policy/shop_policy.h"

namespace portico::policy {

using domain::CustomerAccess;
using domain::Role;

bool CanManageShopSettings(const Actor& actor) { return actor.role == Role::kAdmin; }

bool CanManageServiceTypes(const Actor& actor) { return actor.role == Role::kAdmin || actor.role == Role::kManager; }

bool CanManageAppointments(const Actor& actor) { return actor.IsStaff(); }

bool CanBookFor(const Actor& actor, CustomerId customer) {
  if (actor.IsStaff()) return true;
  auto access = actor.AccessTo(customer);
  return access == CustomerAccess::kApprover || access == CustomerAccess::kRequester;
}

domain::AppointmentActor AppointmentActorFor(const Actor& actor, CustomerId customer) {
  return {actor.IsStaff(), !actor.IsStaff() && CanBookFor(actor, customer)};
}

bool CanReadCalendarFeed(const Actor& actor, UserId technician) {
  return actor.user == technician || actor.role == Role::kAdmin || actor.role == Role::kManager;
}

bool CanReadParts(const Actor& actor) { return actor.IsStaff(); }

bool CanManageParts(const Actor& actor) { return actor.role == Role::kAdmin || actor.role == Role::kManager; }

bool CanOrderBoard(const Actor& actor) { return actor.IsStaff(); }

}  // namespace portico::policy
