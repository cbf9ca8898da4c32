// Who may do what in shop operations (issue 12; API.md "Appointments", "Parts inventory", "Board
// order"). Deny by default; rows outside the caller's scope are 404 (the services load them scoped).
#pragma once

#include "core/ids.h"
#include "domain/appointment.h"
#include "policy/actor.h"

namespace portico::policy {

/// GET|PUT /settings/shop: admin.
bool CanManageShopSettings(const Actor& actor);
/// POST|PATCH /service-types: admin, manager.
bool CanManageServiceTypes(const Actor& actor);
/// Staff: confirm, complete, no-show, PATCH, choose a technician, see every customer's appointments.
bool CanManageAppointments(const Actor& actor);
/// May `actor` book for `customer` (staff: any of the tenant's; customer users: requester or approver).
bool CanBookFor(const Actor& actor, CustomerId customer);
/// The appointment workflow's view of an actor on an appointment of `customer`.
domain::AppointmentActor AppointmentActorFor(const Actor& actor, CustomerId customer);
/// May `actor` read the calendar feed of technician `technician` (its own; admins and managers any).
bool CanReadCalendarFeed(const Actor& actor, UserId technician);
/// GET /parts and movements: staff. POST /parts, PATCH, stock movements: admin, manager.
bool CanReadParts(const Actor& actor);
bool CanManageParts(const Actor& actor);
/// POST /repairs/{id}/position: staff.
bool CanOrderBoard(const Actor& actor);

}  // namespace portico::policy
