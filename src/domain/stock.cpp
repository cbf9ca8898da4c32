#include "domain/stock.h"

#include <cmath>

namespace portico::domain {

std::optional<Milli> ToMilli(double q) {
  if (!std::isfinite(q)) return std::nullopt;
  const double scaled = q * 1000.0;
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, std::fabs(scaled))) return std::nullopt;
  if (std::fabs(rounded) > static_cast<double>(kMaxStockMilli)) return std::nullopt;
  return static_cast<Milli>(rounded);
}

double FromMilli(Milli m) { return static_cast<double>(m) / 1000.0; }

std::optional<Milli> ApplyMovement(Milli on_hand, Milli delta) {
  const Milli after = on_hand + delta;  // both bounded by kMaxStockMilli: no overflow
  if (after < 0 || after > kMaxStockMilli) return std::nullopt;
  return after;
}

bool IsLow(Milli on_hand, Milli reorder_level) { return on_hand <= reorder_level; }

bool CrossesReorderLevel(Milli before, Milli after, Milli reorder_level) {
  return before > reorder_level && after <= reorder_level;
}

std::optional<std::int64_t> LineCents(Milli quantity, std::int64_t unit_cost_cents) {
  __int128 product = static_cast<__int128>(quantity) * unit_cost_cents;
  __int128 cents = (product + (product >= 0 ? 500 : -500)) / 1000;
  if (cents > INT64_MAX || cents < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(cents);
}

}  // namespace portico::domain
