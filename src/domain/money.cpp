#include "domain/money.h"

#include <charconv>
#include <cmath>
#include <cstddef>

namespace portico::domain {

namespace {

__extension__ typedef unsigned __int128 Uint128;

/// A finite double at its shortest round-trip decimal form: (-1)^negative x digits x 10^exp10.
struct Decimal {
  bool negative = false;
  std::uint64_t digits = 0;
  int exp10 = 0;
};

/// The magnitude of `amount` without overflow (also for INT64_MIN).
std::uint64_t Magnitude(Cents amount) {
  const auto bits = static_cast<std::uint64_t>(amount);
  return amount < 0 ? std::uint64_t{0} - bits : bits;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// The shortest decimal form of a finite `value` (std::to_chars prints at most 17 significant digits).
std::optional<Decimal> ToDecimal(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc{}) return std::nullopt;
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));

  Decimal result;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    result.negative = true;
    ++i;
  }
  std::string significand;  // every digit of the mantissa, integer and fraction part
  int fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
    } else if (IsDigit(text[i])) {
      significand.push_back(text[i]);
      if (in_fraction) ++fraction_digits;
    } else {
      return std::nullopt;
    }
  }
  int exponent = 0;
  if (i < text.size()) {  // 'e', then sign and digits
    const char* first = text.data() + i + 1;
    if (first < text.data() + text.size() && *first == '+') ++first;
    const auto parsed = std::from_chars(first, text.data() + text.size(), exponent);
    if (parsed.ec != std::errc{}) return std::nullopt;
  }
  result.exp10 = exponent - fraction_digits;

  const std::size_t first_nonzero = significand.find_first_not_of('0');
  if (first_nonzero == std::string::npos) return Decimal{};  // zero, also "-0"
  significand.erase(0, first_nonzero);
  while (significand.back() == '0') {
    significand.pop_back();
    ++result.exp10;
  }
  if (significand.size() > 19) return std::nullopt;  // cannot happen for a shortest form
  for (char c : significand) result.digits = result.digits * 10 + static_cast<std::uint64_t>(c - '0');
  return result;
}

Uint128 PowerOfTen(int exponent) {
  Uint128 power = 1;
  for (int i = 0; i < exponent; ++i) power *= 10;
  return power;
}

}  // namespace

std::string FormatMoney(Cents amount) {
  const std::uint64_t magnitude = Magnitude(amount);
  const std::uint64_t fraction = magnitude % 100;
  std::string text = amount < 0 ? "-" : "";
  text += std::to_string(magnitude / 100);
  text.push_back('.');
  text.push_back(static_cast<char>('0' + fraction / 10));
  text.push_back(static_cast<char>('0' + fraction % 10));
  return text;
}

std::optional<Cents> ParseMoney(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty()) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return std::nullopt;

  Cents units = 0;
  for (char c : whole) {
    if (!IsDigit(c)) return std::nullopt;
    units = units * 10 + (c - '0');
    if (units > kMaxMoneyCents / 100) return std::nullopt;  // also keeps the next step from overflowing
  }
  Cents cents = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    if (i < fraction.size() && !IsDigit(fraction[i])) return std::nullopt;
    cents = cents * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  const Cents total = units * 100 + cents;
  if (total > kMaxMoneyCents) return std::nullopt;
  return negative ? -total : total;
}

std::optional<Cents> MultiplyMoney(double factor, Cents amount) {
  const std::optional<Decimal> decimal = ToDecimal(factor);
  if (!decimal) return std::nullopt;
  // |result| = digits x |amount| x 10^exp10, with digits < 10^17 and |amount| < 2^63: fits 128 bits.
  Uint128 magnitude = static_cast<Uint128>(decimal->digits) * Magnitude(amount);
  if (magnitude == 0) return Cents{0};
  if (decimal->exp10 >= 0) {
    // Every step keeps magnitude <= kMaxMoneyCents x 10 < 2^128 before it is checked again.
    for (int i = 0; i < decimal->exp10; ++i) {
      if (magnitude > static_cast<Uint128>(kMaxMoneyCents)) return std::nullopt;
      magnitude *= 10;
    }
  } else if (decimal->exp10 < -37) {
    magnitude = 0;  // below 10^36 / 10^38: rounds to zero
  } else {
    const Uint128 divisor = PowerOfTen(-decimal->exp10);
    const Uint128 remainder = magnitude % divisor;
    magnitude /= divisor;
    if (remainder * 2 >= divisor) ++magnitude;  // half away from zero
  }
  if (magnitude > static_cast<Uint128>(kMaxMoneyCents)) return std::nullopt;
  const Cents result = static_cast<Cents>(magnitude);
  return decimal->negative != (amount < 0) ? -result : result;
}

std::optional<Cents> MoneyFromDouble(double units) { return MultiplyMoney(units, 100); }

}  // namespace portico::domain
