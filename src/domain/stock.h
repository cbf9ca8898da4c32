// Stock arithmetic of the parts inventory (issue 12; API.md "Parts inventory"). Quantities are numbers
// with at most 3 decimals on the wire and whole thousandths ("milli") inside, so sums are exact.
#pragma once

#include <cstdint>
#include <optional>

namespace portico::domain {

/// Thousandths of a unit of stock.
using Milli = std::int64_t;

/// The largest quantity on hand or moved at once (one billion units).
inline constexpr Milli kMaxStockMilli = 1'000'000'000'000;

/// `q` as thousandths; nullopt when it has more than 3 decimals, is not finite, or |q| exceeds the limit.
std::optional<Milli> ToMilli(double q);
/// Thousandths as a JSON number (exact for values up to the limit).
double FromMilli(Milli m);
/// The stock after a movement of `delta`; nullopt when it would go below zero or above the limit.
std::optional<Milli> ApplyMovement(Milli on_hand, Milli delta);
/// A part is low when its stock is at or below its reorder level.
bool IsLow(Milli on_hand, Milli reorder_level);
/// True when a change from `before` to `after` reaches the reorder level (was above, now at or below):
/// the moment a low-stock notification is due, once per crossing.
bool CrossesReorderLevel(Milli before, Milli after, Milli reorder_level);
/// The cost in cents of `quantity` units at `unit_cost_cents`, rounded half up; nullopt on overflow.
std::optional<std::int64_t> LineCents(Milli quantity, std::int64_t unit_cost_cents);

}  // namespace portico::domain
