// Appointment status moves (issue 12; API.md "Appointments") as data with a pure decider, beside the
// repair workflow. Statuses: requested, confirmed, cancelled, completed, no_show; the last three are final.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "domain/workflow.h"  // MoveDecision

namespace portico::domain {

enum class AppointmentStatus { kRequested, kConfirmed, kCancelled, kCompleted, kNoShow };

std::string_view ToString(AppointmentStatus s);
std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view s);
/// requested and confirmed appointments hold a bay and a technician; the others release them.
bool HoldsCapacity(AppointmentStatus s);

enum class AppointmentMove { kConfirm, kReschedule, kCancel, kComplete, kNoShow };

/// Who asks, as the rules of API.md see it.
struct AppointmentActor {
  bool staff = false;
  bool customer_may_book = false;  // a customer user with requester or approver access to its customer
};

/// API.md: confirm (staff, from requested); reschedule (staff from requested or confirmed; the customer
/// while requested, 403 once confirmed); cancel (staff, or the customer until the start, from requested
/// or confirmed); complete and no-show (staff, from confirmed, at any time). A move the status does not
/// allow is a conflict whoever asks; a customer viewer may make none (403). `now` and `starts_at` in UTC.
MoveDecision DecideAppointmentMove(AppointmentStatus from, AppointmentMove move, const AppointmentActor& actor,
                                   UnixSeconds now, UnixSeconds starts_at);

/// The status a move leads to (reschedule keeps the status).
AppointmentStatus MoveTarget(AppointmentStatus from, AppointmentMove move);

}  // namespace portico::domain
