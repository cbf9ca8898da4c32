// Internal to the repair service's files (repair_service.cpp, repair_moves.cpp, repair_materials_notes.cpp,
// repair_units_schedules.cpp): the field limits and small checks they share. Not a public header.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/error.h"
#include "domain/pricing.h"
#include "domain/workflow.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::services::repair_detail {

inline constexpr std::size_t kMaxDescription = 5000;
inline constexpr std::size_t kMaxDamageType = 200;
inline constexpr std::size_t kMaxUnitNumber = 50;
inline constexpr std::size_t kMaxNote = 10000;
inline constexpr std::size_t kMaxNotesOnMove = 2000;

/// 400 with the field errors, when there are any.
inline void Throw(FieldErrors& errors) {
  if (!errors.empty()) throw Error::Validation(std::move(errors));
}

/// The stored status as the enum; an unknown one is a bug (500).
inline domain::RepairStatus StatusOf(const storage::RepairRecord& r) {
  auto s = domain::ParseRepairStatus(r.status);
  if (!s) throw Error::Internal("repair " + std::to_string(r.id.value) + " has unknown status " + r.status);
  return *s;
}

/// A tenant's pricing for reads and answers, cached while storage::IdentityEpoch stays `epoch` (read before
/// the caller's reads began); nullopt reads it every time. Defined in repair_service.cpp.
domain::PricingSettings ReadPricing(storage::Connection& c, TenantId tenant, std::optional<std::uint64_t> epoch);

/// The repair date of a move made at `now` (UTC, YYYY-MM-DD).
std::string Today(UnixSeconds now);

/// `s` without leading and trailing white space.
inline std::string Trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace portico::services::repair_detail
