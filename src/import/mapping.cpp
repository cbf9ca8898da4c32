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
#include "import/mapping_rules.h"

namespace portico::importer {

using namespace detail;

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

