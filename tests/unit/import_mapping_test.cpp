// Tests of import mappings (src/import/mapping.h): loading, header binding, translation and skip reasons,
// and (when the data set is beside the checkout) the real Cincinnati fleet file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "import/csv_reader.h"
#include "import/mapping.h"

namespace portico::importer {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;

fs::path RepoRoot() {
  const fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  return root.empty() ? fs::path(".") : root;
}
fs::path FixtureDir() { return RepoRoot() / "tests" / "fixtures" / "import"; }
std::string CincinnatiMapping() { return (RepoRoot() / "mappings" / "cincinnati-fleet.toml").string(); }

// The real data file: $PORTICO_SHARED_DATA (the directory or the file itself), else ../shared/data.
fs::path RealDataFile() {
  const char* name = "cincinnati_fleet_work_orders.csv.gz";
  if (const char* env = std::getenv("PORTICO_SHARED_DATA"); env != nullptr && *env != '\0') {
    const fs::path path(env);
    return fs::is_directory(path) ? path / name : path;
  }
  return RepoRoot() / ".." / "shared" / "data" / name;
}

const Row kRealHeader = {"work_order_id", "created_date", "job_type", "repair_reason_code", "repair_reason_desc",
                         "priority_code", "work_order_status", "asset_id", "parent_asset_id", "department_id",
                         "department_name", "shop_location_id", "shop_location_name", "downtime_hrs_user",
                         "downtime_hrs_shop", "delay_hours", "labor_hours", "labor_cost", "parts_cost",
                         "commercial_cost", "total_cost"};

// A real-layout row with invented values; `changes` overrides columns by name.
Row RealRow(const std::map<std::string, std::string>& changes = {}) {
  Row row = {"2099-2205-312", "2023-08-07", "REPAIR", "N", "NORMAL WEAR (TARGET)", "3", "WORK FINISHED",
             "21306", "21306", "0222", "POLICE", "2205", "NEW EQUIP SHOP - \"J\" ONLY", "0.0", "0.0", "0.0", "1.0",
             "110.0", "0.0", "0.0", "110.0"};
  for (const auto& [column, value] : changes) {
    for (std::size_t i = 0; i < kRealHeader.size(); ++i) {
      if (kRealHeader[i] == column) row[i] = value;
    }
  }
  return row;
}

Mapping BoundCincinnati() {
  Mapping mapping = Mapping::Load(CincinnatiMapping());
  mapping.BindHeader(kRealHeader);
  return mapping;
}

ImportedRepair ExpectRecord(const std::variant<ImportedRepair, SkipReason>& result) {
  if (const auto* skip = std::get_if<SkipReason>(&result)) {
    ADD_FAILURE() << "skipped: " << skip->code << ": " << skip->message;
    return {};
  }
  return std::get<ImportedRepair>(result);
}

SkipReason ExpectSkip(const std::variant<ImportedRepair, SkipReason>& result) {
  if (std::holds_alternative<ImportedRepair>(result)) {
    ADD_FAILURE() << "translated, expected a skip";
    return {};
  }
  return std::get<SkipReason>(result);
}

// Parses `toml` expecting a kInvalidInput error whose one-line message contains every needle.
void ExpectBadMapping(const std::string& toml, const std::vector<std::string>& needles) {
  try {
    Mapping::Parse(toml, "bad.toml");
    ADD_FAILURE() << "mapping accepted:\n" << toml;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    for (const std::string& needle : needles) {
      EXPECT_NE(message.find(needle), std::string::npos) << "'" << needle << "' not in: " << message;
    }
  }
}

// The minimal valid [fields] for the small header used by the skip tests.
const std::string kMinimalFields =
    "[fields]\n"
    "customer_name = \"customer\"\n"
    "unit_number = \"unit\"\n"
    "priority = { column = \"priority\" }\n"
    "status = { column = \"status\", values = { \"done\" = \"COMPLETED\" } }\n"
    "created_date = \"date\"\n";
const Row kSmallHeader = {"customer", "unit", "priority", "status", "date", "cost"};

Mapping Small(const std::string& extra = "", const std::string& top = "") {
  Mapping mapping = Mapping::Parse(top + kMinimalFields + extra, "small.toml");
  mapping.BindHeader(kSmallHeader);
  return mapping;
}

TEST(ImportMapping, CincinnatiMappingTranslatesARealLayoutRow) {
  const Mapping mapping = BoundCincinnati();
  EXPECT_EQ(mapping.name(), "Cincinnati fleet work orders");
  const std::vector<std::string> columns = mapping.Columns();
  EXPECT_EQ(columns.front(), "work_order_id");
  EXPECT_NE(std::find(columns.begin(), columns.end(), "parent_asset_id"), columns.end());
  EXPECT_EQ(std::find(columns.begin(), columns.end(), "labor_cost"), columns.end());  // not read
  const ImportedRepair r = ExpectRecord(mapping.Translate(RealRow()));
  EXPECT_EQ(r.external_ref, "2099-2205-312");
  EXPECT_EQ(r.customer_name, "POLICE");
  EXPECT_EQ(r.unit_number, "21306");
  EXPECT_EQ(r.unit_description, "Department id 0222, parent unit 21306");  // leading zero kept
  EXPECT_EQ(r.description, "REPAIR: NORMAL WEAR (TARGET) - shop NEW EQUIP SHOP - \"J\" ONLY");
  EXPECT_EQ(r.damage_type, "NORMAL WEAR (TARGET)");
  EXPECT_EQ(r.priority, 3);
  EXPECT_EQ(r.status, "COMPLETED");
  EXPECT_EQ(r.created_date, "2023-08-07");
  EXPECT_EQ(r.repair_date, "2023-08-07");
  EXPECT_EQ(r.technician_ref, "NEW EQUIP SHOP - \"J\" ONLY");
  ASSERT_TRUE(r.cost_cents.has_value());
  EXPECT_EQ(*r.cost_cents, 11000);
}

TEST(ImportMapping, CincinnatiStatusesReasonsAndCosts) {
  const Mapping mapping = BoundCincinnati();
  EXPECT_EQ(ExpectRecord(mapping.Translate(RealRow({{"work_order_status", "CLOSED"}}))).status, "COMPLETED");
  EXPECT_EQ(ExpectRecord(mapping.Translate(RealRow({{"work_order_status", "OPEN"}}))).status, "IN_PROGRESS");
  EXPECT_EQ(ExpectRecord(mapping.Translate(RealRow({{"work_order_status", "PENDING"}}))).status, "PENDING");
  EXPECT_EQ(ExpectSkip(mapping.Translate(RealRow({{"work_order_status", "ON HOLD"}}))).code, "unknown_status");

  const ImportedRepair pm = ExpectRecord(mapping.Translate(
      RealRow({{"job_type", "PM"}, {"repair_reason_code", ""}, {"repair_reason_desc", ""}, {"total_cost", "0.0"}})));
  EXPECT_EQ(pm.description, "PM - shop NEW EQUIP SHOP - \"J\" ONLY");  // the empty reason's group is dropped
  EXPECT_EQ(pm.damage_type, "");
  EXPECT_FALSE(pm.cost_cents.has_value());
  EXPECT_EQ(pm.cost_missing_reason, "zero");

  const ImportedRepair truncated =
      ExpectRecord(mapping.Translate(RealRow({{"repair_reason_desc", "DAMAGE IN OPERATION (NON TARGE"}})));
  EXPECT_EQ(truncated.damage_type, "DAMAGE IN OPERATION (NON TARGET)");

  const ImportedRepair negative = ExpectRecord(mapping.Translate(RealRow({{"total_cost", "-2.034"}})));
  EXPECT_FALSE(negative.cost_cents.has_value());
  EXPECT_EQ(negative.cost_missing_reason, "invalid");
  EXPECT_EQ(ExpectRecord(mapping.Translate(RealRow({{"total_cost", "1.008"}}))).cost_cents, 101);
}

TEST(ImportMapping, SampleFixtureReadThroughTheReader) {
  Mapping mapping = Mapping::Load(CincinnatiMapping());
  CsvReader reader = CsvReader::Open((FixtureDir() / "work_orders_sample.csv").string());
  Row row;
  ASSERT_TRUE(reader.Next(row));
  mapping.BindHeader(row);
  std::vector<ImportedRepair> repairs;
  while (reader.Next(row)) repairs.push_back(ExpectRecord(mapping.Translate(row)));
  ASSERT_EQ(repairs.size(), 4u);
  EXPECT_EQ(repairs[1].unit_description, "Department id 0091, parent unit T1001");
  EXPECT_EQ(repairs[1].status, "IN_PROGRESS");
  EXPECT_EQ(repairs[2].customer_name, "FLEET, POOL");
  EXPECT_EQ(repairs[2].technician_ref, "TIRE SHOP\nNIGHT");
  EXPECT_EQ(repairs[2].priority, 1);
  EXPECT_EQ(repairs[2].cost_missing_reason, "invalid");  // -7.0
  EXPECT_EQ(repairs[3].created_date, "2020-02-29");
  EXPECT_EQ(repairs[3].unit_description, "Department id POOL, parent unit X0271");
}

TEST(ImportMapping, GenericFixtureUsesTemplatesValuesFormatsAndConstants) {
  Mapping mapping = Mapping::Load((FixtureDir() / "generic-mapping.toml").string());
  CsvReader reader = CsvReader::Open((FixtureDir() / "generic.csv").string());
  Row header, row;
  ASSERT_TRUE(reader.Next(header));
  mapping.BindHeader(header);
  ASSERT_TRUE(reader.Next(row));
  ImportedRepair r = ExpectRecord(mapping.Translate(row));
  EXPECT_EQ(r.external_ref, "T-1");
  EXPECT_EQ(r.customer_ref, "00017");
  EXPECT_EQ(r.unit_description, "Volvo FH16");
  EXPECT_EQ(r.description, "Cracked windshield (reported by Ann)");
  EXPECT_EQ(r.priority, 1);
  EXPECT_EQ(r.status, "COMPLETED");
  EXPECT_EQ(r.created_date, "2023-03-14");
  EXPECT_EQ(r.repair_date, "2023-03-15");
  EXPECT_EQ(r.cost_cents, 125050);
  EXPECT_EQ(r.technician_ref, "front desk");

  // Empty optional parts, defaults, clamping, an already-Portico status.
  row = {"T-2", "Acme", "", "TRK-1", "", "", "Chip", "", "", "9", "IN_PROGRESS", "2023-01-02", "", ""};
  r = ExpectRecord(mapping.Translate(row));
  EXPECT_EQ(r.unit_description, "unknown unit");
  EXPECT_EQ(r.description, "Chip");
  EXPECT_EQ(r.damage_type, "other");
  EXPECT_EQ(r.priority, 4);  // clamped
  EXPECT_EQ(r.status, "IN_PROGRESS");
  EXPECT_EQ(r.repair_date, "");
  EXPECT_EQ(r.cost_missing_reason, "empty");
}

TEST(ImportMapping, SemicolonFileThroughTheMappingsDelimiter) {
  const fs::path dir = fs::temp_directory_path() / ("portico_import_semicolon_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "export.csv").string();
  std::ofstream(path) << "customer;unit;priority;status;date;cost\nM\u00fcller GmbH;\"U;1\";2;done;2023-05-06;12,5\n";
  Mapping mapping = Mapping::Parse("delimiter = \";\"\n" + kMinimalFields, "semicolon.toml");
  EXPECT_EQ(mapping.delimiter(), ';');
  CsvReader reader = CsvReader::Open(path, mapping.delimiter());
  Row row;
  ASSERT_TRUE(reader.Next(row));
  mapping.BindHeader(row);
  ASSERT_TRUE(reader.Next(row));
  const ImportedRepair r = ExpectRecord(mapping.Translate(row));
  EXPECT_EQ(r.customer_name, "M\u00fcller GmbH");
  EXPECT_EQ(r.unit_number, "U;1");
  fs::remove_all(dir);
  ExpectBadMapping("delimiter = \"::\"\n" + kMinimalFields, {"bad.toml:1", "'delimiter'"});
}

TEST(ImportMapping, EachSkipReason) {
  const Mapping mapping = Small("cost = { column = \"cost\" }\n");
  const Row good = {"Acme", "U1", "2", "done", "2024-02-29", "12.50"};
  EXPECT_EQ(ExpectRecord(mapping.Translate(good)).cost_cents, 1250);

  auto with = [&](std::size_t index, const std::string& value) {
    Row row = good;
    row[index] = value;
    return ExpectSkip(mapping.Translate(row));
  };
  EXPECT_EQ(ExpectSkip(mapping.Translate(Row{"Acme", "U1", "2", "done", "2024-02-29"})).code, "wrong_column_count");
  EXPECT_EQ(ExpectSkip(mapping.Translate(Row{"Acme", "U1", "2", "done", "2024-02-29", "1", "extra"})).code,
            "wrong_column_count");
  SkipReason skip = with(1, "  ");
  EXPECT_EQ(skip.code, "missing_unit_number");
  EXPECT_NE(skip.message.find("unit"), std::string::npos) << skip.message;
  EXPECT_EQ(with(0, "").code, "missing_customer_name");
  EXPECT_EQ(with(4, "").code, "missing_created_date");
  EXPECT_EQ(with(3, "").code, "missing_status");
  EXPECT_EQ(with(2, "").code, "missing_priority");
  skip = with(4, "2023-02-29");
  EXPECT_EQ(skip.code, "bad_date");
  EXPECT_NE(skip.message.find("'2023-02-29'"), std::string::npos) << skip.message;
  EXPECT_EQ(with(4, "2023-13-01").code, "bad_date");
  EXPECT_EQ(with(4, "1900-02-29").code, "bad_date");
  EXPECT_EQ(with(4, "03/14/2023").code, "bad_date");  // not in this mapping's formats
  EXPECT_EQ(with(4, "2023-1-5x").code, "bad_date");
  skip = with(3, "lost");
  EXPECT_EQ(skip.code, "unknown_status");
  EXPECT_NE(skip.message.find("'lost'"), std::string::npos) << skip.message;
  EXPECT_EQ(with(2, "5").code, "bad_priority");  // out_of_range defaults to skip
  EXPECT_EQ(with(2, "0").code, "bad_priority");
  EXPECT_EQ(with(2, "high").code, "bad_priority");
  EXPECT_EQ(with(5, "12,5").code, "bad_cost");
  EXPECT_EQ(with(5, "-1.00").code, "bad_cost");
  EXPECT_EQ(with(0, "Caf\xE9").code, "bad_encoding");  // Latin-1, not UTF-8
  EXPECT_EQ(SkipReason::MalformedCsv("a double quote inside an unquoted field").code, "malformed_csv");
}

TEST(ImportMapping, ValuesMatchCaseInsensitivelyAndPriorityAcceptsWholeDecimals) {
  const Mapping mapping = Small();
  const ImportedRepair r = ExpectRecord(mapping.Translate(Row{"Acme", "U1", "3.0", " DONE ", "2023-06-30", "x"}));
  EXPECT_EQ(r.status, "COMPLETED");
  EXPECT_EQ(r.priority, 3);
  EXPECT_EQ(r.cost_missing_reason, "unmapped");  // cost not mapped: the "x" is never read
  EXPECT_EQ(ExpectSkip(mapping.Translate(Row{"Acme", "U1", "3.5", "done", "2023-06-30", ""})).code, "bad_priority");
}

TEST(ImportMapping, DatesAreRealCalendarDatesInTheGivenFormats) {
  EXPECT_EQ(ParseDate("2023-08-07", "%Y-%m-%d"), "2023-08-07");
  EXPECT_EQ(ParseDate("8/7/2023", "%m/%d/%Y"), "2023-08-07");
  EXPECT_EQ(ParseDate("12/31/1999", "%m/%d/%Y"), "1999-12-31");
  EXPECT_EQ(ParseDate("2000-02-29", "%Y-%m-%d"), "2000-02-29");
  EXPECT_EQ(ParseDate("2023-08-07 23:59:59", "%Y-%m-%d %H:%M:%S"), "2023-08-07");
  EXPECT_EQ(ParseDate("20230807", "%Y%m%d"), "2023-08-07");
  EXPECT_EQ(ParseDate("2023-04-31", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseDate("2100-02-29", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseDate("2023-08-07", "%m/%d/%Y"), std::nullopt);
  EXPECT_EQ(ParseDate("23-08-07", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseDate("2023-08-07 24:00:00", "%Y-%m-%d %H:%M:%S"), std::nullopt);
  EXPECT_EQ(ParseDate("0000-01-01", "%Y-%m-%d"), std::nullopt);
}

TEST(ImportMapping, AmountsParseExactlyToCents) {
  EXPECT_EQ(ParseCents("110.0"), 11000);
  EXPECT_EQ(ParseCents("0.1"), 10);
  EXPECT_EQ(ParseCents("0.29"), 29);  // 0.29 * 100 is 28.999... in binary floating point
  EXPECT_EQ(ParseCents("1,234.56"), 123456);
  EXPECT_EQ(ParseCents("$5"), 500);
  EXPECT_EQ(ParseCents(".5"), 50);
  EXPECT_EQ(ParseCents("7."), 700);
  EXPECT_EQ(ParseCents("1.005"), 101);
  EXPECT_EQ(ParseCents("1.0049"), 100);
  EXPECT_EQ(ParseCents("-2.034"), -203);
  EXPECT_EQ(ParseCents("999999999999999.99"), 99999999999999999);
  for (const char* bad : {"", ".", "-", "$", "abc", "1e3", "1.2.3", "12,34", ",123", "1,23,456", "1 000",
                          "9999999999999999", "0x10"}) {
    EXPECT_EQ(ParseCents(bad), std::nullopt) << bad;
  }
  EXPECT_TRUE(IsValidUtf8("NEW EQUIP SHOP - \"J\" ONLY \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x97"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));        // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));    // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));        // cut short
}

TEST(ImportMapping, BindHeaderNamesTheMissingColumn) {
  Mapping mapping = Mapping::Load(CincinnatiMapping());
  Row header = kRealHeader;
  header[7] = "unit_id";  // asset_id renamed
  try {
    mapping.BindHeader(header);
    ADD_FAILURE() << "bound a header without asset_id";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("column 'asset_id' named by the mapping is not in the file's header"),
              std::string::npos)
        << e.what();
  }
  // Case and surrounding spaces do not matter; order does not either.
  Row shuffled = {" CUSTOMER ", "Date", "status", "extra", "Unit", "priority"};
  Mapping small = Mapping::Parse(kMinimalFields, "small.toml");
  small.BindHeader(shuffled);
  const ImportedRepair r = ExpectRecord(small.Translate(Row{"Acme", "2023-01-01", "done", "?", "U9", "1"}));
  EXPECT_EQ(r.unit_number, "U9");
  EXPECT_EQ(r.created_date, "2023-01-01");

  Mapping twice = Mapping::Parse(kMinimalFields, "small.toml");
  EXPECT_THROW(twice.BindHeader(Row{"customer", "unit", "unit", "priority", "status", "date"}), Error);
  Mapping unbound = Mapping::Parse(kMinimalFields, "small.toml");
  EXPECT_THROW(unbound.Translate(Row{"a"}), Error);
}

TEST(ImportMapping, BadMappingsFailWithFileLineAndReason) {
  ExpectBadMapping("name = \"x\"\n[fields\n", {"bad.toml:2", "invalid TOML"});
  ExpectBadMapping(kMinimalFields + "colour = \"x\"\n", {"bad.toml:7", "unknown field 'colour'"});
  ExpectBadMapping(kMinimalFields + "cost = { colum = \"cost\" }\n", {"bad.toml:7", "unknown key 'colum'"});
  ExpectBadMapping(kMinimalFields + "damage_type = { column = \"a\", value = \"b\" }\n",
                   {"bad.toml:7", "exactly one of column, template or value"});
  ExpectBadMapping(kMinimalFields + "description = { template = \"{job_type: {x}\" }\n", {"bad.toml:7", "'{'"});
  ExpectBadMapping(kMinimalFields + "description = { template = \"[a [{b}]]\" }\n", {"bad.toml:7", "nested"});
  ExpectBadMapping(kMinimalFields + "description = { template = \"{a} ]\" }\n", {"bad.toml:7", "']'"});
  ExpectBadMapping(kMinimalFields + "repair_date = { column = \"d\", formats = [\"%d %b %Y\"] }\n",
                   {"bad.toml:7", "%b"});
  ExpectBadMapping("date_formats = [\"%Y-%m\"]\n" + kMinimalFields, {"bad.toml:1", "%d"});
  ExpectBadMapping(kMinimalFields + "[fields.technician_ref]\ncolumn = 5\n", {"bad.toml:8", "must be a string"});
  ExpectBadMapping("version = 2\n" + kMinimalFields, {"bad.toml:1", "'version' must be 1"});
  ExpectBadMapping("stray = 1\n" + kMinimalFields, {"bad.toml:1", "unknown key 'stray'"});
  ExpectBadMapping("name = \"x\"\n", {"no [fields]"});
  // Required targets, and values checked at load time.
  std::string without_status = kMinimalFields;
  without_status.erase(without_status.find("status ="), without_status.find("created_date") - without_status.find("status ="));
  ExpectBadMapping(without_status, {"'status'"});
  ExpectBadMapping("[fields]\ncustomer_name = \"c\"\nunit_number = \"u\"\npriority = \"p\"\ncreated_date = \"d\"\n"
                   "status = { column = \"s\", values = { \"x\" = \"FINISHED\" } }\n",
                   {"bad.toml:6", "'FINISHED' is not a status"});
  ExpectBadMapping("[fields]\ncustomer_name = \"c\"\nunit_number = \"u\"\ncreated_date = \"d\"\nstatus = \"s\"\n"
                   "priority = { column = \"p\", default = 7 }\n",
                   {"bad.toml:6", "'7' is not a priority"});
  ExpectBadMapping("[fields]\ncustomer_name = \"c\"\nunit_number = { column = \"u\", required = false }\n",
                   {"bad.toml:3", "always required"});
  ExpectBadMapping(kMinimalFields + "cost = { column = \"c\", invalid = \"zero\" }\n", {"bad.toml:7", "\"missing\" or \"skip\""});
  try {
    Mapping::Load("/nonexistent/mapping.toml");
    ADD_FAILURE() << "loaded a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/mapping.toml: cannot open"), std::string::npos) << e.what();
  }
}

TEST(ImportMapping, RealFileFirst5000RowsTranslateWithoutSkips) {
  const fs::path data = RealDataFile();
  if (!fs::exists(data)) GTEST_SKIP() << "real data not found at " << data << " (set PORTICO_SHARED_DATA)";
  Mapping mapping = Mapping::Load(CincinnatiMapping());
  CsvReader reader = CsvReader::Open(data.string());
  Row row;
  ASSERT_TRUE(reader.Next(row));
  ASSERT_EQ(row, kRealHeader);
  mapping.BindHeader(row);
  std::map<std::string, int> skips;
  std::set<std::string> statuses, departments;
  int translated = 0, skipped = 0, with_cost = 0, quoted_shops = 0, leading_zero = 0;
  while (translated + skipped < 5000 && reader.Next(row)) {
    ASSERT_EQ(reader.problem(), "") << "record " << reader.record_number();
    auto result = mapping.Translate(row);
    if (auto* skip = std::get_if<SkipReason>(&result)) {
      ADD_FAILURE() << "record " << reader.record_number() << ": " << skip->code << ": " << skip->message;
      ++skips[skip->code];
      ++skipped;
      continue;
    }
    const ImportedRepair& r = std::get<ImportedRepair>(result);
    ++translated;
    statuses.insert(r.status);
    departments.insert(r.customer_name);
    if (r.cost_cents) ++with_cost;
    if (r.technician_ref.find('"') != std::string::npos) ++quoted_shops;
    if (r.unit_description.starts_with("Department id 0")) ++leading_zero;
    EXPECT_EQ(r.created_date.size(), 10u);
    EXPECT_FALSE(r.external_ref.empty());
  }
  EXPECT_EQ(translated, 5000);
  EXPECT_TRUE(skips.empty());
  EXPECT_TRUE(statuses.contains("COMPLETED"));
  EXPECT_TRUE(statuses.contains("IN_PROGRESS"));
  for (const std::string& status : statuses) {
    EXPECT_TRUE(status == "COMPLETED" || status == "IN_PROGRESS" || status == "PENDING") << status;
  }
  EXPECT_GT(departments.size(), 10u);
  EXPECT_GT(with_cost, 0);
  EXPECT_LT(with_cost, 5000);  // the defective zero costs are not imported as 0.00
  EXPECT_GT(quoted_shops, 0);
  EXPECT_GT(leading_zero, 0);
  EXPECT_GT(reader.bytes_read(), 0);
}

}  // namespace
}  // namespace portico::importer
