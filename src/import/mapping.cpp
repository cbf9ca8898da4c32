#include "import/mapping.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "core/error.h"

namespace portico::importer {
namespace {

// ---------------------------------------------------------------------------------------------------------
// Target fields

enum class Kind { kText, kPriority, kStatus, kDate, kCost };

enum Target : std::size_t {
  kExternalRef,
  kCustomerName,
  kCustomerRef,
  kUnitNumber,
  kUnitDescription,
  kDescription,
  kDamageType,
  kPriority,
  kStatus,
  kCreatedDate,
  kRepairDate,
  kCost,
  kTechnicianRef,
  kTargetCount,
};

struct TargetInfo {
  const char* name;
  Kind kind;
  bool must_be_mapped;  // the mapping must name a source, and an empty result skips the record
};

constexpr std::array<TargetInfo, kTargetCount> kTargets = {{
    {"external_ref", Kind::kText, false},
    {"customer_name", Kind::kText, true},
    {"customer_ref", Kind::kText, false},
    {"unit_number", Kind::kText, true},
    {"unit_description", Kind::kText, false},
    {"description", Kind::kText, false},
    {"damage_type", Kind::kText, false},
    {"priority", Kind::kPriority, true},
    {"status", Kind::kStatus, true},
    {"created_date", Kind::kDate, true},
    {"repair_date", Kind::kDate, false},
    {"cost", Kind::kCost, false},
    {"technician_ref", Kind::kText, false},
}};

constexpr std::array<const char*, 7> kStatuses = {"REQUESTED", "PENDING",   "APPROVED", "DENIED",
                                                  "IN_PROGRESS", "COMPLETED", "CANCELLED"};

constexpr int kMinPriority = 1;
constexpr int kMaxPriority = 4;
constexpr std::size_t kMaxMappingBytes = 1 << 20;
constexpr std::size_t kMaxShownValue = 40;

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

// A value for a one-line message: quoted, control characters replaced, shortened.
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

// Empty when `format` is usable, else what is wrong with it.
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

}  // namespace

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

// ---------------------------------------------------------------------------------------------------------
// The mapping

namespace {

// One piece of a template: literal text, or a column's value.
struct Piece {
  bool is_column = false;
  std::string text;  // literal text, or the column name
  std::size_t column_index = 0;
};

// A run of pieces; an optional group ("[...]") is dropped when one of its columns is empty.
struct Group {
  bool optional = false;
  std::vector<Piece> pieces;
};

// How one target field is produced from a record.
struct FieldSpec {
  bool mapped = false;
  int line = 0;              // in the mapping file
  std::string source_label;  // the column name or the template, for skip messages
  bool is_constant = false;
  std::string constant;      // `value`
  std::vector<Group> groups; // `column` (one piece) or `template`
  std::optional<std::string> default_value;
  std::unordered_map<std::string, std::string> values;  // upper-cased trimmed source value -> value
  bool required = false;
  std::vector<std::string> date_formats;  // dates; empty = the mapping's date_formats
  bool clamp = false;                     // priority: out_of_range = "clamp"
  bool zero_is_missing = false;           // cost
  bool invalid_is_missing = false;        // cost: invalid = "missing"
};

// Parses "{a}: {b}[ ({c})]" into groups. Empty when fine, else the problem.
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

// Renders a TOML scalar (string or integer) as text.
std::optional<std::string> ScalarText(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  return std::nullopt;
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

}  // namespace

struct Mapping::Impl {
  std::string source_name;
  std::string name;
  std::vector<std::string> date_formats{"%Y-%m-%d"};
  char delimiter = ',';
  std::array<FieldSpec, kTargetCount> fields{};
  bool bound = false;
  std::size_t header_size = 0;

  [[noreturn]] void Fail(int line, const std::string& message) const {
    throw Error(ErrorCode::kInvalidInput,
                source_name + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message);
  }

  void LoadField(std::size_t target, const toml::node& node) {
    const TargetInfo& info = kTargets[target];
    const std::string field = info.name;
    FieldSpec& spec = fields[target];
    spec = FieldSpec{};
    spec.mapped = true;
    spec.line = LineOf(node);
    spec.required = info.must_be_mapped;

    if (const auto* shorthand = node.as_string()) {  // field = "column"
      spec.source_label = Trim(shorthand->get());
      if (spec.source_label.empty()) Fail(spec.line, "field '" + field + "': the column name is empty");
      spec.groups = {Group{false, {Piece{true, spec.source_label, 0}}}};
      return;
    }
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      Fail(spec.line, "field '" + field + "' must be a column name (string) or a table such as { column = \"...\" }");
    }
    int sources = 0;
    for (auto&& [key_node, node] : *table) {
      const auto& value = node;  // a plain reference: clang 14 (the fuzz build) cannot capture a binding
      const std::string key(key_node.str());
      const int line = LineOf(value);
      const std::string where = "field '" + field + "', key '" + key + "'";
      auto need_string = [&]() -> std::string {
        const auto* s = value.as_string();
        if (s == nullptr) Fail(line, where + " must be a string");
        return s->get();
      };
      auto need_bool = [&]() -> bool {
        const auto* b = value.as_boolean();
        if (b == nullptr) Fail(line, where + " must be true or false");
        return b->get();
      };
      if (key == "column") {
        ++sources;
        spec.source_label = Trim(need_string());
        if (spec.source_label.empty()) Fail(line, where + ": the column name is empty");
        spec.groups = {Group{false, {Piece{true, spec.source_label, 0}}}};
      } else if (key == "template") {
        ++sources;
        spec.source_label = need_string();
        if (std::string problem = ParseTemplate(spec.source_label, spec.groups); !problem.empty()) {
          Fail(line, where + ": " + problem);
        }
      } else if (key == "value") {
        ++sources;
        const auto text = ScalarText(value);
        if (!text) Fail(line, where + " must be a string or an integer");
        spec.is_constant = true;
        spec.constant = std::string(Trim(*text));
        spec.source_label = "constant " + Shown(spec.constant);
      } else if (key == "default" && info.kind != Kind::kCost) {
        const auto text = ScalarText(value);
        if (!text) Fail(line, where + " must be a string or an integer");
        spec.default_value = std::string(Trim(*text));
      } else if (key == "required" && info.kind != Kind::kCost) {
        spec.required = need_bool();
        if (!spec.required && info.must_be_mapped) Fail(line, where + ": '" + field + "' is always required");
      } else if (key == "values" && info.kind != Kind::kCost) {
        const toml::table* values = value.as_table();
        if (values == nullptr) Fail(line, where + " must be a table of source value = target value");
        for (auto&& [from, to] : *values) {
          const auto text = ScalarText(to);
          if (!text) Fail(LineOf(to), where + ": the value for '" + std::string(from.str()) + "' must be a string or an integer");
          std::string target_value(Trim(*text));
          if (info.kind == Kind::kStatus) {
            target_value = Upper(target_value);
            if (!IsStatus(target_value)) {
              Fail(LineOf(to), where + ": " + Shown(target_value) + " is not a status; use one of " +
                                   "REQUESTED, PENDING, APPROVED, DENIED, IN_PROGRESS, COMPLETED, CANCELLED");
            }
          }
          if (!spec.values.emplace(Upper(Trim(from.str())), target_value).second) {
            Fail(LineOf(to), where + ": '" + std::string(from.str()) + "' is listed twice (keys match case-insensitively)");
          }
        }
      } else if (key == "formats" && info.kind == Kind::kDate) {
        spec.date_formats = LoadDateFormats(value, where);
      } else if (key == "out_of_range" && info.kind == Kind::kPriority) {
        const std::string mode = need_string();
        if (mode != "clamp" && mode != "skip") Fail(line, where + " must be \"clamp\" or \"skip\"");
        spec.clamp = mode == "clamp";
      } else if (key == "zero_is_missing" && info.kind == Kind::kCost) {
        spec.zero_is_missing = need_bool();
      } else if (key == "invalid" && info.kind == Kind::kCost) {
        const std::string mode = need_string();
        if (mode != "missing" && mode != "skip") Fail(line, where + " must be \"missing\" or \"skip\"");
        spec.invalid_is_missing = mode == "missing";
      } else {
        std::string allowed = "column, template, value";
        switch (info.kind) {
          case Kind::kText: case Kind::kStatus: allowed += ", default, required, values"; break;
          case Kind::kDate: allowed += ", default, required, values, formats"; break;
          case Kind::kPriority: allowed += ", default, values, out_of_range"; break;
          case Kind::kCost: allowed += ", zero_is_missing, invalid"; break;
        }
        Fail(line, "field '" + field + "' has an unknown key '" + key + "' (allowed: " + allowed + ")");
      }
    }
    if (sources != 1) Fail(spec.line, "field '" + field + "' needs exactly one of column, template or value");
  }

  std::vector<std::string> LoadDateFormats(const toml::node& node, const std::string& where) const {
    std::vector<std::string> formats;
    auto add = [&](const toml::node& item) {
      const auto* s = item.as_string();
      if (s == nullptr) Fail(LineOf(item), where + " must be a string or an array of strings");
      if (std::string problem = CheckDateFormat(s->get()); !problem.empty()) Fail(LineOf(item), problem);
      formats.push_back(s->get());
    };
    if (const auto* array = node.as_array()) {
      for (const auto& item : *array) add(item);
      if (formats.empty()) Fail(LineOf(node), where + " is empty");
    } else {
      add(node);
    }
    return formats;
  }

  // Checks defaults and constants once, so that a bad one fails at load time, not on every record.
  void CheckConstants() {
    for (std::size_t target = 0; target < kTargetCount; ++target) {
      const FieldSpec& spec = fields[target];
      const TargetInfo& info = kTargets[target];
      if (!spec.mapped) {
        if (info.must_be_mapped) Fail(0, "the mapping does not say where '" + std::string(info.name) + "' comes from ([fields] " + info.name + " = ...)");
        continue;
      }
      for (const std::string* text : {spec.is_constant ? &spec.constant : nullptr,
                                      spec.default_value ? &*spec.default_value : nullptr}) {
        if (text == nullptr || text->empty()) continue;
        std::string value = *text;
        if (auto found = spec.values.find(Upper(value)); found != spec.values.end()) value = found->second;
        std::string problem;
        switch (info.kind) {
          case Kind::kStatus:
            if (!IsStatus(Upper(value))) problem = Shown(value) + " is not a status";
            break;
          case Kind::kPriority:
            if (auto p = ParsePriority(value); !p || *p < kMinPriority || *p > kMaxPriority) problem = Shown(value) + " is not a priority 1..4";
            break;
          case Kind::kDate:
            if (!ParseAnyDate(spec, value)) problem = Shown(value) + " is not a date in the mapping's formats";
            break;
          case Kind::kCost:
            if (!ParseCents(value)) problem = Shown(value) + " is not an amount";
            break;
          case Kind::kText:
            if (!IsValidUtf8(value)) problem = "the text is not valid UTF-8";
            break;
        }
        if (!problem.empty()) Fail(spec.line, "field '" + std::string(info.name) + "': " + problem);
      }
    }
  }

  static std::optional<int> ParsePriority(std::string_view text) {
    text = Trim(text);
    // Spreadsheets write "3.0": accept a fraction of zeros.
    if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
      const std::string_view fraction = text.substr(dot + 1);
      if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
      text = text.substr(0, dot);
    }
    if (text.empty() || text.size() > 9) return std::nullopt;
    int value = 0;
    for (char c : text) {
      if (!IsDigit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  std::optional<std::string> ParseAnyDate(const FieldSpec& spec, std::string_view text) const {
    for (const std::string& format : spec.date_formats.empty() ? date_formats : spec.date_formats) {
      if (auto date = ParseDate(text, format)) return date;
    }
    return std::nullopt;
  }

  // The trimmed value of a field for a record, after `values` and `default`.
  std::string Evaluate(const FieldSpec& spec, const std::vector<std::string>& row) const {
    std::string out;
    if (spec.is_constant) {
      out = spec.constant;
    } else if (spec.groups.size() == 1 && spec.groups[0].pieces.size() == 1 && spec.groups[0].pieces[0].is_column) {
      out = Trim(row[spec.groups[0].pieces[0].column_index]);
    } else {
      for (const Group& group : spec.groups) {
        const std::size_t mark = out.size();
        for (const Piece& piece : group.pieces) {
          if (!piece.is_column) {
            out += piece.text;
            continue;
          }
          const std::string_view value = Trim(row[piece.column_index]);
          if (value.empty() && group.optional) {
            out.resize(mark);
            break;
          }
          out += value;
        }
      }
      out = Trim(out);
    }
    if (!spec.values.empty() && !out.empty()) {
      if (auto found = spec.values.find(Upper(out)); found != spec.values.end()) out = found->second;
    }
    if (out.empty() && spec.default_value) out = *spec.default_value;
    return out;
  }

  std::string Where(std::size_t target) const {
    const FieldSpec& spec = fields[target];
    return std::string(kTargets[target].name) + " (" + spec.source_label + ")";
  }
};

Mapping::Mapping(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Mapping::Mapping(Mapping&& other) noexcept = default;
Mapping& Mapping::operator=(Mapping&& other) noexcept = default;
Mapping::~Mapping() = default;

Mapping Mapping::Load(const std::string& toml_path) {
  std::ifstream in(toml_path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kInvalidInput, toml_path + ": cannot open the mapping file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::kInvalidInput, toml_path + ": cannot read the mapping file");
  std::string content = std::move(text).str();
  if (content.size() > kMaxMappingBytes) throw Error(ErrorCode::kInvalidInput, toml_path + ": the mapping file is larger than 1 MiB");
  return Parse(content, toml_path);
}

Mapping Mapping::Parse(std::string_view toml_text, const std::string& source_name) {
  auto impl = std::make_unique<Impl>();
  impl->source_name = source_name;
  impl->name = source_name;
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    std::string message(e.description());
    std::replace(message.begin(), message.end(), '\n', ' ');
    impl->Fail(static_cast<int>(e.source().begin.line), "invalid TOML: " + message);
  }
  bool has_fields = false;
  for (auto&& [key_node, value] : root) {
    const std::string key(key_node.str());
    const int line = LineOf(value);
    if (key == "name") {
      const auto* s = value.as_string();
      if (s == nullptr || Trim(s->get()).empty()) impl->Fail(line, "'name' must be a non-empty string");
      impl->name = s->get();
    } else if (key == "version") {
      const auto* v = value.as_integer();
      if (v == nullptr || v->get() != 1) impl->Fail(line, "'version' must be 1 (the only mapping format version)");
    } else if (key == "delimiter") {
      const auto* s = value.as_string();
      if (s == nullptr || s->get().size() != 1 || s->get() == "\"" || s->get() == "\r" || s->get() == "\n") {
        impl->Fail(line, "'delimiter' must be one character other than a quote or a line break, e.g. \";\" or \"\\t\"");
      }
      impl->delimiter = s->get()[0];
    } else if (key == "date_formats") {
      impl->date_formats = impl->LoadDateFormats(value, "'date_formats'");
    } else if (key == "fields") {
      has_fields = true;
      const toml::table* fields = value.as_table();
      if (fields == nullptr) impl->Fail(line, "'fields' must be a table ([fields])");
      for (auto&& [field_key, field_node] : *fields) {
        const std::string field(field_key.str());
        const auto target = std::find_if(kTargets.begin(), kTargets.end(),
                                         [&](const TargetInfo& t) { return field == t.name; });
        if (target == kTargets.end()) {
          std::vector<std::string> names;
          for (const TargetInfo& t : kTargets) names.emplace_back(t.name);
          impl->Fail(LineOf(field_node), "unknown field '" + field + "' in [fields] (known: " + Join(names, ", ") + ")");
        }
        impl->LoadField(static_cast<std::size_t>(target - kTargets.begin()), field_node);
      }
    } else {
      impl->Fail(line, "unknown key '" + key + "' (allowed at the top: name, version, delimiter, date_formats, [fields])");
    }
  }
  if (!has_fields) impl->Fail(0, "the mapping has no [fields] table");
  impl->CheckConstants();
  return Mapping(std::move(impl));
}

const std::string& Mapping::name() const { return impl_->name; }
char Mapping::delimiter() const { return impl_->delimiter; }

std::vector<std::string> Mapping::Columns() const {
  std::vector<std::string> columns;
  for (const FieldSpec& spec : impl_->fields) {
    for (const Group& group : spec.groups) {
      for (const Piece& piece : group.pieces) {
        if (piece.is_column && std::find(columns.begin(), columns.end(), piece.text) == columns.end()) {
          columns.push_back(piece.text);
        }
      }
    }
  }
  return columns;
}

void Mapping::BindHeader(const std::vector<std::string>& header) {
  std::unordered_map<std::string, std::vector<std::size_t>> exact, folded;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string_view name = Trim(header[i]);
    exact[std::string(name)].push_back(i);
    folded[Upper(name)].push_back(i);
  }
  std::string header_list;
  for (std::size_t i = 0; i < header.size() && header_list.size() < 300; ++i) {
    header_list += (i > 0 ? ", " : "") + std::string(Trim(header[i]));
  }
  if (header_list.size() >= 300) header_list += ", ...";
  auto fail = [&](const std::string& message) {
    throw Error(ErrorCode::kInvalidInput, message + " (mapping " + impl_->source_name + ")");
  };
  for (FieldSpec& spec : impl_->fields) {
    for (Group& group : spec.groups) {
      for (Piece& piece : group.pieces) {
        if (!piece.is_column) continue;
        const std::vector<std::size_t>* found = nullptr;
        if (auto it = exact.find(piece.text); it != exact.end()) {
          found = &it->second;
        } else if (auto folded_it = folded.find(Upper(piece.text)); folded_it != folded.end()) {
          found = &folded_it->second;
        }
        if (found == nullptr) {
          fail("column '" + piece.text + "' named by the mapping is not in the file's header (which has: " + header_list + ")");
        }
        if (found->size() > 1) fail("column '" + piece.text + "' named by the mapping appears more than once in the file's header");
        piece.column_index = found->front();
      }
    }
  }
  impl_->header_size = header.size();
  impl_->bound = true;
}

std::variant<ImportedRepair, SkipReason> Mapping::Translate(const std::vector<std::string>& row) const {
  const Impl& m = *impl_;
  if (!m.bound) throw Error::Internal("Mapping::Translate called before BindHeader");
  if (row.size() != m.header_size) {
    return SkipReason{"wrong_column_count", "the record has " + std::to_string(row.size()) +
                                                " fields; the header has " + std::to_string(m.header_size)};
  }
  std::array<std::string, kTargetCount> values;
  for (std::size_t target = 0; target < kTargetCount; ++target) {
    const FieldSpec& spec = m.fields[target];
    if (!spec.mapped) continue;
    values[target] = m.Evaluate(spec, row);
    if (values[target].empty() && spec.required) {
      return SkipReason{"missing_" + std::string(kTargets[target].name), m.Where(target) + " is empty"};
    }
    if (!IsValidUtf8(values[target])) {
      return SkipReason{"bad_encoding", m.Where(target) + " is not valid UTF-8 text"};
    }
  }

  ImportedRepair repair;
  repair.external_ref = std::move(values[kExternalRef]);
  repair.customer_name = std::move(values[kCustomerName]);
  repair.customer_ref = std::move(values[kCustomerRef]);
  repair.unit_number = std::move(values[kUnitNumber]);
  repair.unit_description = std::move(values[kUnitDescription]);
  repair.description = std::move(values[kDescription]);
  repair.damage_type = std::move(values[kDamageType]);
  repair.technician_ref = std::move(values[kTechnicianRef]);

  const std::string status = Upper(values[kStatus]);
  if (!IsStatus(status)) {
    return SkipReason{"unknown_status", m.Where(kStatus) + " " + Shown(values[kStatus]) +
                                            " is not a status and not in the mapping's values table"};
  }
  repair.status = status;

  const auto priority = Impl::ParsePriority(values[kPriority]);
  if (!priority) return SkipReason{"bad_priority", m.Where(kPriority) + " " + Shown(values[kPriority]) + " is not a whole number"};
  if (*priority < kMinPriority || *priority > kMaxPriority) {
    if (!m.fields[kPriority].clamp) {
      return SkipReason{"bad_priority", m.Where(kPriority) + " " + Shown(values[kPriority]) + " is outside 1..4"};
    }
    repair.priority = std::clamp(*priority, kMinPriority, kMaxPriority);
  } else {
    repair.priority = *priority;
  }

  for (const std::size_t target : {kCreatedDate, kRepairDate}) {
    const std::string& text = values[target];
    if (text.empty()) continue;  // only repair_date can be empty here
    auto date = m.ParseAnyDate(m.fields[target], text);
    if (!date) {
      const FieldSpec& spec = m.fields[target];
      return SkipReason{"bad_date", m.Where(target) + " " + Shown(text) + " is not a real date in the format " +
                                        Join(spec.date_formats.empty() ? m.date_formats : spec.date_formats, " or ")};
    }
    (target == kCreatedDate ? repair.created_date : repair.repair_date) = std::move(*date);
  }

  const FieldSpec& cost = m.fields[kCost];
  const std::string& cost_text = values[kCost];
  if (!cost.mapped) {
    repair.cost_missing_reason = "unmapped";
  } else if (cost_text.empty()) {
    repair.cost_missing_reason = "empty";
  } else if (auto cents = ParseCents(cost_text); !cents || *cents < 0) {
    if (!cost.invalid_is_missing) {
      return SkipReason{"bad_cost", m.Where(kCost) + " " + Shown(cost_text) + " is not an amount of zero or more"};
    }
    repair.cost_missing_reason = "invalid";
  } else if (*cents == 0 && cost.zero_is_missing) {
    repair.cost_missing_reason = "zero";
  } else {
    repair.cost_cents = *cents;
  }
  return repair;
}

}  // namespace portico::importer
