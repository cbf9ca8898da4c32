// The statuses of a repair. Source: PRODUCT.md, "The repair workflow"; wire names as in API.md, "Repairs".
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace portico::domain {

/// The status of a repair. DENIED, COMPLETED and CANCELLED are final (PRODUCT.md, "The repair workflow").
enum class RepairStatus { kRequested, kPending, kApproved, kDenied, kInProgress, kCompleted, kCancelled };

/// Every status, in workflow order (the board's column order).
inline constexpr std::array kAllRepairStatuses{
    RepairStatus::kRequested, RepairStatus::kPending,   RepairStatus::kApproved,  RepairStatus::kDenied,
    RepairStatus::kInProgress, RepairStatus::kCompleted, RepairStatus::kCancelled,
};

/// The wire name: "REQUESTED", "PENDING", "APPROVED", "DENIED", "IN_PROGRESS", "COMPLETED", "CANCELLED".
std::string_view ToString(RepairStatus status);

/// The status with this exact upper-case wire name; nullopt for anything else (other case, spaces, unknown
/// names). An unknown status in a request is a 400 (API.md, POST /repairs/{id}/status).
std::optional<RepairStatus> ParseRepairStatus(std::string_view text);

/// True for DENIED, COMPLETED and CANCELLED: nothing leaves them and the repair can no longer be edited
/// (PRODUCT.md, "The repair workflow"; API.md, PATCH /repairs/{id}).
bool IsFinal(RepairStatus status);

}  // namespace portico::domain
