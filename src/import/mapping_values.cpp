// The value rules of the importer (dates, money, UTF-8) and the mapping's small helpers and template parser.
#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "import/mapping.h"
#include "import/mapping_rules.h"

namespace portico::importer {
namespace detail {

// ---------------------------------------------------------------------------------------------------------
// Small string helpers

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Shown(std::string_view value) {
  std::string out = "'";
  std::size_t count = 0;
  for (char c : value) {
    if (count == kMaxShownValue) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    ++count;
  }
  return out + "'";
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

bool IsStatus(std::string_view value) {
  return std::find(kStatuses.begin(), kStatuses.end(), value) != kStatuses.end();
}

// ---------------------------------------------------------------------------------------------------------
// Dates

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string CheckDateFormat(std::string_view format) {
  int year = 0, month = 0, day = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return "date format '" + std::string(format) + "' ends with a lone '%'";
    switch (format[++i]) {
      case 'Y': ++year; break;
      case 'm': ++month; break;
      case 'd': ++day; break;
      case 'H': case 'M': case 'S': case '%': break;
      default:
        return "date format '" + std::string(format) + "' uses %" + format[i] +
               "; supported: %Y %m %d %H %M %S %%";
    }
  }
  if (year != 1 || month != 1 || day != 1) {
    return "date format '" + std::string(format) + "' must contain %Y, %m and %d once each";
  }
  return {};
}

std::string ParseTemplate(std::string_view text, std::vector<Group>& groups) {
  groups.clear();
  groups.emplace_back();
  bool in_group = false;
  auto literal = [&](char c) {
    auto& pieces = groups.back().pieces;
    if (pieces.empty() || pieces.back().is_column) pieces.emplace_back();
    pieces.back().text += c;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}' || c == '[' || c == ']') && doubled) {
      literal(c);
      ++i;
    } else if (c == '{') {
      const std::size_t close = text.find('}', i + 1);
      if (close == std::string_view::npos) return "a '{' is not closed by '}'";
      const std::string_view name = Trim(text.substr(i + 1, close - i - 1));
      if (name.empty()) return "'{}' names no column";
      if (name.find_first_of("{[]") != std::string_view::npos) return "a column name may not contain '{', '[' or ']'";
      groups.back().pieces.push_back(Piece{true, std::string(name), 0});
      i = close;
    } else if (c == '}') {
      return "a '}' has no matching '{' (write '}}' for a literal brace)";
    } else if (c == '[') {
      if (in_group) return "'[...]' groups cannot be nested (write '[[' for a literal bracket)";
      in_group = true;
      groups.push_back(Group{true, {}});
    } else if (c == ']') {
      if (!in_group) return "a ']' has no matching '[' (write ']]' for a literal bracket)";
      in_group = false;
      groups.emplace_back();
    } else {
      literal(c);
    }
  }
  if (in_group) return "a '[' is not closed by ']'";
  return {};
}

std::optional<std::string> ScalarText(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  return std::nullopt;
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

}  // namespace detail

using namespace detail;

std::optional<std::string> ParseDate(std::string_view text, std::string_view format) {
  int year = -1, month = -1, day = -1;
  std::size_t pos = 0;
  auto read_number = [&](std::size_t min_digits, std::size_t max_digits) -> int {
    std::size_t digits = 0;
    int value = 0;
    while (digits < max_digits && pos < text.size() && IsDigit(text[pos])) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    return digits >= min_digits ? value : -1;
  };
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size() && format[i + 1] != '%') {
      const char directive = format[++i];
      const int value = directive == 'Y' ? read_number(4, 4) : read_number(1, 2);
      if (value < 0) return std::nullopt;
      switch (directive) {
        case 'Y': year = value; break;
        case 'm': month = value; break;
        case 'd': day = value; break;
        case 'H': if (value > 23) return std::nullopt; break;
        case 'M': if (value > 59) return std::nullopt; break;
        case 'S': if (value > 60) return std::nullopt; break;
        default: return std::nullopt;
      }
      continue;
    }
    if (format[i] == '%') ++i;  // "%%" matches one '%'
    if (pos >= text.size() || text[pos] != format[i]) return std::nullopt;
    ++pos;
  }
  if (pos != text.size() || year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  std::string out = "0000-00-00";
  auto put = [&out](std::size_t end, int value) {
    for (std::size_t i = end; value > 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
  };
  put(3, year);
  put(6, month);
  put(9, day);
  return out;
}

std::optional<std::int64_t> ParseCents(std::string_view text) {
  text = Trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() == '$') text.remove_prefix(1);
  const std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  // Group separators: "1,234,567" only, each group after the first of exactly three digits.
  std::string digits;
  if (whole.find(',') != std::string_view::npos) {
    std::size_t group_start = 0;
    bool first = true;
    while (true) {
      const std::size_t comma = whole.find(',', group_start);
      const std::string_view group = whole.substr(group_start, comma - group_start);
      if (group.empty() || group.size() > 3 || (!first && group.size() != 3)) return std::nullopt;
      digits += group;
      first = false;
      if (comma == std::string_view::npos) break;
      group_start = comma + 1;
    }
    if (whole.substr(whole.rfind(',') + 1).size() != 3) return std::nullopt;
  } else {
    digits = whole;
  }
  if (digits.size() > 15) return std::nullopt;
  std::int64_t cents = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    cents = cents * 10 + (c - '0');
  }
  cents *= 100;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    if (!IsDigit(fraction[i])) return std::nullopt;
    if (i == 0) cents += (fraction[i] - '0') * 10;
    if (i == 1) cents += fraction[i] - '0';
    if (i == 2 && fraction[i] >= '5') cents += 1;  // half away from zero; later digits cannot change it
  }
  return negative ? -cents : cents;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2, code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3, code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4, code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF.
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

SkipReason SkipReason::MalformedCsv(const std::string& problem) {
  return SkipReason{"malformed_csv", "malformed CSV record: " + problem};
}
}  // namespace portico::importer
