// Internal to the importer: the target fields of a mapping and the helpers that mapping.cpp and
// mapping_values.cpp share. Not a public header.
#pragma once

#include <toml++/toml.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portico::importer::detail {

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

inline constexpr std::array<TargetInfo, kTargetCount> kTargets = {{
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

inline constexpr std::array<const char*, 7> kStatuses = {"REQUESTED", "PENDING",   "APPROVED", "DENIED",
                                                  "IN_PROGRESS", "COMPLETED", "CANCELLED"};

inline constexpr int kMinPriority = 1;
inline constexpr int kMaxPriority = 4;
inline constexpr std::size_t kMaxMappingBytes = 1 << 20;
inline constexpr std::size_t kMaxShownValue = 40;

// ---------------------------------------------------------------------------------------------------------
// Small string helpers (mapping_values.cpp)

bool IsSpace(char c);
bool IsDigit(char c);
std::string_view Trim(std::string_view text);
std::string Upper(std::string_view text);
/// A value for a one-line message: quoted, control characters replaced, shortened.
std::string Shown(std::string_view value);
std::string Join(const std::vector<std::string>& items, std::string_view separator);
bool IsStatus(std::string_view value);
/// Empty when `format` is usable, else what is wrong with it.
std::string CheckDateFormat(std::string_view format);

// ---------------------------------------------------------------------------------------------------------
// Templates and field specifications

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


/// Parses "{a}: {b}[ ({c})]" into groups. Empty when fine, else the problem.
std::string ParseTemplate(std::string_view text, std::vector<Group>& groups);
/// Renders a TOML scalar (string or integer) as text.
std::optional<std::string> ScalarText(const toml::node& node);
int LineOf(const toml::node& node);

}  // namespace portico::importer::detail
