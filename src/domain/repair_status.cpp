#include "domain/repair_status.h"

namespace portico::domain {

std::string_view ToString(RepairStatus status) {
  switch (status) {
    case RepairStatus::kRequested: return "REQUESTED";
    case RepairStatus::kPending: return "PENDING";
    case RepairStatus::kApproved: return "APPROVED";
    case RepairStatus::kDenied: return "DENIED";
    case RepairStatus::kInProgress: return "IN_PROGRESS";
    case RepairStatus::kCompleted: return "COMPLETED";
    case RepairStatus::kCancelled: return "CANCELLED";
  }
  return {};
}

std::optional<RepairStatus> ParseRepairStatus(std::string_view text) {
  for (RepairStatus status : kAllRepairStatuses) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

bool IsFinal(RepairStatus status) {
  return status == RepairStatus::kDenied || status == RepairStatus::kCompleted ||
         status == RepairStatus::kCancelled;
}

}  // namespace portico::domain
