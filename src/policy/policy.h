// Who may do what. Every role check of Portico lives here and nowhere else (deny by default).
// Two questions, as in DRF: Can(actor, action) — may this caller use this endpoint at all — and the
// object-level Can*(actor, action, record) — may it touch this row. Rows outside the caller's scope are
// answered 404 by the services, which load them through the scopes below.
// Source of the rules: PRODUCT.md "Users and roles", API.md per endpoint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "domain/client_requests.h"
#include "domain/repair_status.h"
#include "domain/workflow.h"
#include "policy/actor.h"

namespace portico::policy {

enum class Action {
  kManageUsers,        // list, read, create, update users (admin)
  kCreateCustomer,     // admin, manager
  kUpdateCustomer,     // all fields: admin, manager; address and phone: customer approver of it
  kReadCustomerAccess, // staff
  kManageAccess,       // grant and revoke customer access (admin, manager)
  kReadPreferences,    // staff; customer users with any access to the customer
  kWritePreferences,   // admin, manager; customer approver of the customer
  kEditBranding,       // admin of the tenant
  kManageOwnTokens,    // any authenticated user
  kEditPricing,        // admin
  kCreateUnit,         // staff
  kReplaceUnit,        // admin, manager
  kListTechnicians,    // staff
  kReadSchedules,      // staff
  kEditMaterials,      // staff (add, remove)
  kReadInternalNotes,  // staff
  // Support content (API.md "Support content"):
  kManageSupportContent,    // create, change, delete, reorder FAQ entries and announcements (admin, manager)
  kReadUnpublishedFaq,      // staff; customer users and anonymous callers see published entries only
  kReadAllAnnouncements,    // staff: every announcement, any window and audience; customers: active, addressed
  kEditTechnicianProfile,   // admin (PATCH /users/{id} phone, certification_level, hire_date)
  kReadTechnicianProfiles,  // staff; customer users never receive these fields
  // Integrations (issue 14; API.md "Webhooks"):
  kManageWebhooks,  // endpoints, deliveries, redelivery, test sends (admin)
  // Self-service accounts (API.md "Invitations, sign-up and password reset"):
  kManageInvitations,  // invite, list and revoke invitations, issue access codes (admin, manager)
  kManageDomains,      // read and set the tenant's custom domains (admin)
};

/// Endpoint-level permission: may `actor` use `action` at all (before any record is looked at)?
bool Can(const Actor& actor, Action action);

/// Object-level permission on one customer organisation already known to be in the actor's scope.
bool CanOnCustomer(const Actor& actor, Action action, CustomerId customer);

/// The customer fields `actor` may change on `customer` with PATCH (empty: none).
std::vector<std::string> EditableCustomerFields(const Actor& actor, CustomerId customer);

/// The workflow's view of an actor on one repair (domain/workflow.h decides the moves).
domain::MoveActor MoveActorFor(const Actor& actor, CustomerId repair_customer, std::optional<UserId> technician);

/// May `actor` create a repair for `customer` (staff: any of the tenant's; customer users: requester or
/// approver access to it)? PRODUCT.md, workflow "(new)" rows.
bool CanCreateRepairFor(const Actor& actor, CustomerId customer);

/// The repair fields `actor`'s role lets it change with PATCH on a repair of `customer` (empty: none).
/// Staff: description, damage_type, priority, repair_date and the technical details; admin and manager
/// also technician_id and price_override; a customer requester or approver: description, damage_type and
/// priority (API.md, PATCH /repairs/{id}). When a repair may be edited at all (not final; customers only
/// while REQUESTED or PENDING) is the workflow's rule, applied by the service as a 409.
std::vector<std::string> EditableRepairFields(const Actor& actor, CustomerId customer);

/// Whether `actor`'s role may still edit a repair in `status`: staff while it is not final (the final
/// case is a workflow conflict, decided by the service); customer users only while REQUESTED or PENDING,
/// when they may still cancel it (API.md, PATCH /repairs/{id}).
bool MayEditInStatus(const Actor& actor, domain::RepairStatus status);

/// The visibility of a note written without one: internal for staff (nothing reaches a customer by
/// accident), customer for customer users.
std::string DefaultNoteVisibility(const Actor& actor);

/// May `actor` write a note of `visibility` ("internal" or "customer") on a repair of `customer`?
/// Staff: both; customer requester or approver: customer notes only; viewers: none.
bool CanWriteNote(const Actor& actor, CustomerId customer, const std::string& visibility);

/// May `actor` attach a file of `visibility` ("internal" or "customer") to a record of `customer`?
/// Staff: both; customer requester or approver: customer-visible only; viewers: none (API.md "Attachments").
bool CanAddAttachment(const Actor& actor, CustomerId customer, const std::string& visibility);

/// May `actor` change the caption and label of, or delete, an attachment it can read that `uploader`
/// uploaded? Staff, or the uploader itself. Changing the visibility is staff only (CanReadInternal).
bool CanChangeAttachment(const Actor& actor, std::optional<UserId> uploader);

/// Staff see and set internal things (notes, attachments).
bool CanSeeInternal(const Actor& actor);

/// May `actor` add schedule entries for `technician`? Admin, manager, or the technician itself.
bool CanWriteSchedule(const Actor& actor, UserId technician);

/// May `actor` learn whether user `id` exists (a user or a technician looked up by id)? Staff: yes;
/// customer users: only themselves. Outside this scope a lookup answers 404 whether or not the id
/// exists, before any 403 (API.md, order of checks; issue 18).
bool SeesUserId(const Actor& actor, UserId id);

/// Which customers' rows an actor may see: all of its tenant's (staff), or exactly a list (customer
/// users; an empty list sees nothing). Repositories turn this into SQL; there is no unscoped variant.
struct CustomerScope {
  TenantId tenant;
  bool all_of_tenant = false;
  std::vector<CustomerId> customers;

  bool Contains(CustomerId id) const;
};

/// The row scope of an actor (deny by default: a customer user without grants gets an empty list).
CustomerScope ScopeOf(const Actor& actor);

// ---- client requests and change orders (issue 10; API.md "Client requests", "Change orders") ----

/// May `actor` create a client request for `customer`? Staff: any customer of the tenant; customer users:
/// requester or approver access to it (viewers 403).
bool CanCreateRequestFor(const Actor& actor, CustomerId customer);

/// The request table's view of an actor on one request (domain/client_requests.h decides).
domain::RequestActor RequestActorFor(const Actor& actor, std::optional<UserId> creator);

/// The change-order table's view of an actor on a change order of `customer`.
domain::ChangeOrderActor ChangeOrderActorFor(const Actor& actor, CustomerId customer);

/// May `actor` propose a change order on a repair it can see? Staff only.
bool CanProposeChangeOrder(const Actor& actor);

/// The approval limit (cents) of `actor` on `customer`; nullopt when it has none (or is not an approver).
std::optional<domain::Cents> ApprovalLimitOf(const Actor& actor, CustomerId customer);

}  // namespace portico::policy
