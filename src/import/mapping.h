// Column mapping for imports: turns one CSV record into a neutral repair record or a reason to skip it.
// The mapping file format (TOML) is described in docs/import-mapping.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace portico::importer {

/// One imported repair with its customer and unit, before any database lookup. All strings are trimmed,
/// valid UTF-8; an optional string that the source does not give is empty.
struct ImportedRepair {
  std::string external_ref;      // the source's id of the repair (work order number); optional
  std::string customer_name;     // required
  std::string customer_ref;      // the source's id of the customer; optional; kept verbatim ("0222")
  std::string unit_number;       // required; unique per customer
  std::string unit_description;  // optional
  std::string description;       // optional
  std::string damage_type;       // optional
  int priority = 3;              // 1 (highest) .. 4
  std::string status;            // REQUESTED PENDING APPROVED DENIED IN_PROGRESS COMPLETED CANCELLED
  std::string created_date;      // YYYY-MM-DD, required
  std::string repair_date;       // YYYY-MM-DD, or empty
  std::optional<std::int64_t> cost_cents;  // historical cost in minor units; nullopt = no recorded cost
  std::string cost_missing_reason;         // when cost_cents is nullopt: "unmapped", "empty", "zero" or "invalid"
  std::string technician_ref;    // optional, e.g. the shop that did the work
};

/// Why a record was not imported. `code` is short and stable (for counting in a report):
///   wrong_column_count, missing_<field> (e.g. missing_unit_number), bad_date, unknown_status,
///   bad_priority, bad_cost, bad_encoding, malformed_csv.
/// `message` is one line for humans, naming the column and (shortened) value.
struct SkipReason {
  std::string code;
  std::string message;

  /// The skip for a record CsvReader::problem() describes as malformed.
  static SkipReason MalformedCsv(const std::string& problem);
};

/// A loaded mapping. Load() it, BindHeader() with the file's header record, then Translate() each record.
/// Translate() is const and may be called from several threads once the header is bound.
class Mapping {
 public:
  /// Reads and validates a TOML mapping file. Throws portico::Error (kInvalidInput) with a one-line
  /// message "FILE:LINE: what is wrong" on a missing file, invalid TOML or an invalid mapping.
  static Mapping Load(const std::string& toml_path);

  /// Like Load(), from text; `source_name` stands for the file name in messages.
  static Mapping Parse(std::string_view toml_text, const std::string& source_name);

  /// The mapping's `name`, or the file name when it has none.
  const std::string& name() const;

  /// The field delimiter of the files this mapping reads (`delimiter`, default ','); pass it to
  /// CsvReader::Open.
  char delimiter() const;

  /// The distinct CSV column names the mapping reads, in first-use order.
  std::vector<std::string> Columns() const;

  /// Resolves column names against the file's header (exact match, else ASCII case-insensitive after
  /// trimming). Throws portico::Error (kInvalidInput) when a column the mapping names is absent ("column
  /// 'asset_id' named by the mapping is not in the file's header (...)") or appears twice.
  void BindHeader(const std::vector<std::string>& header);

  /// Translates one data record: either a complete ImportedRepair or a SkipReason, never a partial record.
  /// Throws portico::Error (kInternal) if BindHeader() has not been called.
  std::variant<ImportedRepair, SkipReason> Translate(const std::vector<std::string>& row) const;

  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  ~Mapping();

 private:
  struct Impl;
  explicit Mapping(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

/// Parses a decimal amount ("110.0", "1,234.5", "$12", "-3.25") into integer cents, exactly: digits past
/// the second decimal are rounded half away from zero on the decimal text (no floating point). Returns
/// nullopt for anything else (empty, "1e3", "12.3.4", more than 15 integer digits).
std::optional<std::int64_t> ParseCents(std::string_view text);

/// Parses `text` with one strftime-like `format` (%Y four digits, %m %d %H %M %S one or two digits, %%,
/// other characters literal; the whole text must match) and checks it is a real calendar date between
/// 1900-01-01 and 2100-12-31. Returns "YYYY-MM-DD", or nullopt.
std::optional<std::string> ParseDate(std::string_view text, std::string_view format);

/// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace portico::importer
