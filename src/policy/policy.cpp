#include "policy/policy.h"

#include <algorithm>

namespace portico::policy {

using domain::CustomerAccess;
using domain::Role;

bool Can(const Actor& actor, Action action) {
  const Role r = actor.role;
  switch (action) {
    case Action::kManageUsers:
    case Action::kEditBranding:
    case Action::kEditPricing:
      return r == Role::kAdmin;
    case Action::kReplaceUnit:
    case Action::kManageSupportContent:
      return r == Role::kAdmin || r == Role::kManager;
    case Action::kEditTechnicianProfile:
    case Action::kManageWebhooks:
      return r == Role::kAdmin;
    case Action::kReadUnpublishedFaq:
    case Action::kReadAllAnnouncements:
    case Action::kReadTechnicianProfiles:
      return actor.IsStaff();
    case Action::kCreateUnit:
    case Action::kListTechnicians:
    case Action::kReadSchedules:
    case Action::kEditMaterials:
    case Action::kReadInternalNotes:
      return actor.IsStaff();
    case Action::kCreateCustomer:
    case Action::kManageAccess:
      return r == Role::kAdmin || r == Role::kManager;
    case Action::kReadCustomerAccess:
      return actor.IsStaff();
    case Action::kUpdateCustomer:
    case Action::kWritePreferences:
      // Customer approvers may, on their own customers: decided per record.
      return r == Role::kAdmin || r == Role::kManager || r == Role::kCustomer;
    case Action::kReadPreferences:
    case Action::kManageOwnTokens:
      return true;
    case Action::kManageInvitations:
      return r == Role::kAdmin || r == Role::kManager;
    case Action::kManageDomains:
      return r == Role::kAdmin;
  }
  return false;
}

bool CanOnCustomer(const Actor& actor, Action action, CustomerId customer) {
  if (!Can(actor, action)) return false;
  if (actor.IsStaff()) return true;  // Can() above already limited staff by role
  auto access = actor.AccessTo(customer);
  if (!access) return false;
  switch (action) {
    case Action::kReadPreferences:
      return true;
    case Action::kUpdateCustomer:
    case Action::kWritePreferences:
      return *access == CustomerAccess::kApprover;
    default:
      return false;
  }
}

std::vector<std::string> EditableCustomerFields(const Actor& actor, CustomerId customer) {
  if (actor.role == Role::kAdmin || actor.role == Role::kManager) {
    return {"name", "address", "phone", "email", "is_active"};
  }
  if (actor.role == Role::kCustomer && actor.AccessTo(customer) == CustomerAccess::kApprover) {
    return {"address", "phone"};
  }
  return {};
}

domain::MoveActor MoveActorFor(const Actor& actor, CustomerId repair_customer, std::optional<UserId> technician) {
  domain::MoveActor m;
  m.role = actor.role;
  m.access = actor.AccessTo(repair_customer);
  m.repair_has_technician = technician.has_value();
  m.is_assigned_technician = technician && *technician == actor.user;
  return m;
}

bool CanCreateRepairFor(const Actor& actor, CustomerId customer) {
  if (actor.IsStaff()) return true;
  auto access = actor.AccessTo(customer);
  return access == CustomerAccess::kApprover || access == CustomerAccess::kRequester;
}

std::vector<std::string> EditableRepairFields(const Actor& actor, CustomerId customer) {
  if (actor.IsStaff()) {
    std::vector<std::string> fields = {"description", "damage_type", "priority", "repair_date",
                                       "drilled_before_repair", "windshield_temperature",
                                       "windshield_temperature_unit", "resin_viscosity"};
    if (actor.role == Role::kAdmin || actor.role == Role::kManager) {
      fields.push_back("technician_id");
      fields.push_back("price_override");
    }
    return fields;
  }
  if (CanCreateRepairFor(actor, customer)) return {"description", "damage_type", "priority"};
  return {};
}

bool MayEditInStatus(const Actor& actor, domain::RepairStatus status) {
  if (actor.IsStaff()) return true;
  return status == domain::RepairStatus::kRequested || status == domain::RepairStatus::kPending;
}

bool SeesUserId(const Actor& actor, UserId id) { return actor.IsStaff() || id == actor.user; }

std::string DefaultNoteVisibility(const Actor& actor) { return actor.IsStaff() ? "internal" : "customer"; }

bool CanWriteNote(const Actor& actor, CustomerId customer, const std::string& visibility) {
  if (actor.IsStaff()) return visibility == "internal" || visibility == "customer";
  return visibility == "customer" && CanCreateRepairFor(actor, customer);
}

bool CanWriteSchedule(const Actor& actor, UserId technician) {
  return actor.role == Role::kAdmin || actor.role == Role::kManager ||
         (actor.role == Role::kTechnician && actor.user == technician);
}

bool CustomerScope::Contains(CustomerId id) const {
  return all_of_tenant || std::find(customers.begin(), customers.end(), id) != customers.end();
}

CustomerScope ScopeOf(const Actor& actor) {
  CustomerScope scope;
  scope.tenant = actor.tenant;
  if (actor.IsStaff()) {
    scope.all_of_tenant = true;
    return scope;
  }
  for (const auto& g : actor.customers) scope.customers.push_back(g.customer);
  return scope;
}

bool CanAddAttachment(const Actor& actor, CustomerId customer, const std::string& visibility) {
  return CanWriteNote(actor, customer, visibility);
}

bool CanChangeAttachment(const Actor& actor, std::optional<UserId> uploader) {
  return actor.IsStaff() || (uploader && *uploader == actor.user);
}

bool CanSeeInternal(const Actor& actor) { return actor.IsStaff(); }

// ---- client requests and change orders ----

bool CanCreateRequestFor(const Actor& actor, CustomerId customer) { return CanCreateRepairFor(actor, customer); }

domain::RequestActor RequestActorFor(const Actor& actor, std::optional<UserId> creator) {
  return {actor.role, creator && *creator == actor.user};
}

domain::ChangeOrderActor ChangeOrderActorFor(const Actor& actor, CustomerId customer) {
  return {actor.role, actor.AccessTo(customer)};
}

bool CanProposeChangeOrder(const Actor& actor) { return actor.IsStaff(); }

std::optional<domain::Cents> ApprovalLimitOf(const Actor& actor, CustomerId customer) {
  if (actor.IsStaff()) return std::nullopt;
  for (const auto& g : actor.customers) {
    if (g.customer == customer) return g.approval_limit;
  }
  return std::nullopt;
}

}  // namespace portico::policy
