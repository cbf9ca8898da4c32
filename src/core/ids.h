// Strong id types: a UserId cannot be passed where a RepairId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace portico {

/// A positive database id tagged with what it identifies. Value 0 means "none".
template <class Tag>
struct Id {
  std::int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value(v) {}
  constexpr explicit operator bool() const { return value != 0; }
  constexpr auto operator<=>(const Id&) const = default;
};

using TenantId = Id<struct TenantTag>;
using UserId = Id<struct UserTag>;
using CustomerId = Id<struct CustomerTag>;
using UnitId = Id<struct UnitTag>;
using RepairId = Id<struct RepairTag>;
using TokenId = Id<struct TokenTag>;

}  // namespace portico

template <class Tag>
struct std::hash<portico::Id<Tag>> {
  std::size_t operator()(const portico::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
