// Money: exact integer minor units (cents) inside, two-decimal strings on the wire.
// Source: PRODUCT.md, "Pricing" ("Money is exact"); API.md, "Conventions" ("50.00").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::domain {

/// An amount of money in minor units (cents) of the tenant's currency. 5000 is "50.00".
using Cents = std::int64_t;

/// The largest magnitude the parsing and conversion functions accept: 9e15 cents (90,000,000,000,000.00),
/// comfortably inside int64 so that sums of a few amounts cannot overflow.
inline constexpr Cents kMaxMoneyCents = 9'000'000'000'000'000;

/// The wire form of an amount: optional '-', the integer part without leading zeros, '.', exactly two
/// digits: 5000 -> "50.00", 5 -> "0.05", -120 -> "-1.20", 0 -> "0.00". Exact for every int64 value,
/// including INT64_MIN. API.md, "Conventions".
std::string FormatMoney(Cents amount);

/// Parses a wire amount into cents. Accepted: optional '-', one or more digits, optionally '.' and one or
/// two digits ("50", "50.5", "50.50", "-3.00", "007.10"). Rejected (nullopt): empty, a leading '+', any
/// space, a missing integer part (".5") or fraction digits after '.' ("5."), more than two decimals
/// ("1.234", not rounded), exponents ("1e3"), anything else non-numeric, and magnitudes above
/// kMaxMoneyCents. "-0" and "-0.00" are 0. API.md, "Conventions".
std::optional<Cents> ParseMoney(std::string_view text);

/// `amount` (cents) times `factor`, rounded half away from zero to whole cents. The factor is taken at its
/// shortest round-trip decimal form (the digits a JSON writer prints), so 0.1 x 1005 is exactly 100.5 and
/// rounds to 101. nullopt when `factor` is NaN or infinite or the result's magnitude exceeds kMaxMoneyCents.
/// Used for quantity x unit cost (PRODUCT.md, "Pricing").
std::optional<Cents> MultiplyMoney(double factor, Cents amount);

/// An amount given as a floating-point number of major units (50.5 means "50.50") converted to cents,
/// rounded half away from zero at the cent (1.005 -> 101, -0.005 -> -1; the number's shortest decimal form
/// is used, as in MultiplyMoney). nullopt for NaN, infinities and magnitudes above kMaxMoneyCents.
/// For imported data and JSON numbers; wire strings go through ParseMoney.
std::optional<Cents> MoneyFromDouble(double units);

}  // namespace portico::domain
