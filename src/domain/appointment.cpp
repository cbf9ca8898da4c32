#include "domain/appointment.h"

namespace portico::domain {

std::string_view ToString(AppointmentStatus s) {
  switch (s) {
    case AppointmentStatus::kRequested: return "requested";
    case AppointmentStatus::kConfirmed: return "confirmed";
    case AppointmentStatus::kCancelled: return "cancelled";
    case AppointmentStatus::kCompleted: return "completed";
    case AppointmentStatus::kNoShow: return "no_show";
  }
  return "requested";
}

std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view s) {
  for (auto v : {AppointmentStatus::kRequested, AppointmentStatus::kConfirmed, AppointmentStatus::kCancelled,
                 AppointmentStatus::kCompleted, AppointmentStatus::kNoShow}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

bool HoldsCapacity(AppointmentStatus s) {
  return s == AppointmentStatus::kRequested || s == AppointmentStatus::kConfirmed;
}

MoveDecision DecideAppointmentMove(AppointmentStatus from, AppointmentMove move, const AppointmentActor& actor,
                                   UnixSeconds now, UnixSeconds starts_at) {
  using S = AppointmentStatus;
  const bool open = from == S::kRequested || from == S::kConfirmed;
  if (!actor.staff && !actor.customer_may_book) return MoveDecision::kForbidden;
  switch (move) {
    case AppointmentMove::kConfirm:
      if (!actor.staff) return MoveDecision::kForbidden;
      return from == S::kRequested ? MoveDecision::kAllowed : MoveDecision::kConflict;
    case AppointmentMove::kReschedule:
      if (!open) return MoveDecision::kConflict;
      if (!actor.staff && from != S::kRequested) return MoveDecision::kForbidden;
      return MoveDecision::kAllowed;
    case AppointmentMove::kCancel:
      if (!open) return MoveDecision::kConflict;
      if (!actor.staff && now >= starts_at) return MoveDecision::kForbidden;
      return MoveDecision::kAllowed;
    case AppointmentMove::kComplete:
    case AppointmentMove::kNoShow:
      if (!actor.staff) return MoveDecision::kForbidden;
      return from == S::kConfirmed ? MoveDecision::kAllowed : MoveDecision::kConflict;
  }
  return MoveDecision::kForbidden;
}

AppointmentStatus MoveTarget(AppointmentStatus from, AppointmentMove move) {
  switch (move) {
    case AppointmentMove::kConfirm: return AppointmentStatus::kConfirmed;
    case AppointmentMove::kReschedule: return from;
    case AppointmentMove::kCancel: return AppointmentStatus::kCancelled;
    case AppointmentMove::kComplete: return AppointmentStatus::kCompleted;
    case AppointmentMove::kNoShow: return AppointmentStatus::kNoShow;
  }
  return from;
}

}  // namespace portico::domain
