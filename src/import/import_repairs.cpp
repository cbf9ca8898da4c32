#include "import/import_repairs.h"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <unordered_map>

#include "core/error.h"
#include "import/csv_reader.h"
#include "storage/accounts_repository.h"

namespace portico::importer {
namespace {

using storage::Sql;
using storage::Value;

constexpr std::int64_t kBatchRows = 20000;
constexpr std::size_t kMaxSkipExamples = 10;

constexpr Sql kTenantCustomers{"import_tenant_customers",
                               "SELECT id, COALESCE(external_ref, name) FROM customers WHERE tenant_id = $1"};
constexpr Sql kInsertCustomer{"import_insert_customer",
                              "INSERT INTO customers (tenant_id, name, external_ref, created_at, updated_at) "
                              "VALUES ($1, $2, $3, $4, $4) RETURNING id"};
constexpr Sql kTenantUnits{"import_tenant_units",
                           "SELECT id, customer_id, unit_number, repair_count FROM units WHERE tenant_id = $1"};
constexpr Sql kInsertUnit{"import_insert_unit",
                          "INSERT INTO units (tenant_id, customer_id, unit_number, description, repair_count, "
                          "created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id"};
constexpr Sql kSetUnitCount{"import_set_unit_count", "UPDATE units SET repair_count = $2, updated_at = $3 WHERE id = $1"};
constexpr Sql kInsertRepair{
    "import_insert_repair",
    "INSERT INTO repairs (tenant_id, customer_id, unit_id, status, description, damage_type, priority, repair_date, "
    "cost_cents, external_ref, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) "
    "ON CONFLICT (tenant_id, external_ref) DO NOTHING RETURNING id"};
constexpr Sql kInsertSearch{"import_insert_search",
                            "INSERT INTO repair_search (rowid, description, unit_number, damage_type) "
                            "VALUES ($1, $2, $3, $4)"};
constexpr Sql kInsertLog{"import_insert_log",
                         "INSERT INTO repair_log (tenant_id, repair_id, previous_status, new_status, changed_by, notes, "
                         "created_at) VALUES ($1, $2, NULL, $3, NULL, $4, $5)"};
constexpr Sql kInsertEvent{"import_insert_event",
                           "INSERT INTO events (tenant_id, type, internal, data, occurred_at) "
                           "VALUES ($1, 'import.completed', 1, $2, $3)"};

struct UnitState {
  std::int64_t id = 0;
  std::int64_t count = 0;
  bool dirty = false;
};

}  // namespace

struct RepairImporter::State {
  storage::Database& db;
  const Clock& clock;
  TenantId tenant;
  bool dry_run;
  std::string source;
  std::unique_ptr<storage::Transaction> tx;
  std::int64_t in_batch = 0;
  std::unordered_map<std::string, std::int64_t> customers;  // external ref or name -> id
  std::unordered_map<std::string, UnitState> units;         // "customer_id\nunit_number"
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  State(storage::Database& d, const Clock& c, bool dry, std::string src)
      : db(d), clock(c), dry_run(dry), source(std::move(src)) {}

  void FlushUnits() {
    const UnixSeconds now = clock.Now();
    for (auto& [key, u] : units) {
      if (!u.dirty) continue;
      tx->conn().Execute(kSetUnitCount, {u.id, u.count, now});
      u.dirty = false;
    }
  }
};

RepairImporter::RepairImporter(storage::Database& db, const Clock& clock, const std::string& tenant_slug,
                               bool dry_run, std::string source_name)
    : state_(std::make_unique<State>(db, clock, dry_run, std::move(source_name))) {
  auto& s = *state_;
  s.tx = db.Write();
  // A larger page cache while importing: the repairs' indexes are written in scattered order.
  s.tx->conn().ExecuteScript("PRAGMA cache_size = -131072");
  auto tenant = storage::FindTenantBySlug(s.tx->conn(), tenant_slug);
  if (!tenant) throw Error(ErrorCode::kNotFound, "no tenant '" + tenant_slug + "' (create it with: portico tenant create)");
  s.tenant = tenant->id;
  for (const auto& r : s.tx->conn().Query(kTenantCustomers, {s.tenant.value})) s.customers[r.Text(1)] = r.Int(0);
  for (const auto& r : s.tx->conn().Query(kTenantUnits, {s.tenant.value})) {
    s.units[std::to_string(r.Int(1)) + "\n" + r.Text(2)] = {r.Int(0), r.Int(3), false};
  }
}

RepairImporter::~RepairImporter() = default;

void RepairImporter::Skip(const SkipReason& reason, std::int64_t row_number) {
  ++report_.skipped;
  ++report_.skipped_by_reason[reason.code];
  if (report_.first_skips.size() < kMaxSkipExamples) {
    report_.first_skips.push_back(fmt::format("row {}: {}: {}", row_number, reason.code, reason.message));
  }
}

void RepairImporter::Add(const ImportedRepair& in, std::int64_t row_number) {
  auto& s = *state_;
  auto& c = s.tx->conn();
  const UnixSeconds now = s.clock.Now();
  auto created = portico::ParseDate(in.created_date);
  if (!created) {
    Skip({"bad_date", "created_date '" + in.created_date + "' is not a date"}, row_number);
    return;
  }
  // Customer: by the source's reference when it has one, else by name.
  const std::string customer_key = in.customer_ref.empty() ? in.customer_name : in.customer_ref;
  auto cit = s.customers.find(customer_key);
  if (cit == s.customers.end()) {
    auto id = c.QueryOne(kInsertCustomer, {s.tenant.value, in.customer_name, customer_key, now})->Int(0);
    cit = s.customers.emplace(customer_key, id).first;
    ++report_.customers_created;
  }
  const std::int64_t customer = cit->second;
  const std::string unit_key = std::to_string(customer) + "\n" + in.unit_number;
  auto uit = s.units.find(unit_key);
  if (uit == s.units.end()) {
    auto id = c.QueryOne(kInsertUnit, {s.tenant.value, customer, in.unit_number, in.unit_description, now})->Int(0);
    uit = s.units.emplace(unit_key, UnitState{id, 0, false}).first;
    ++report_.units_created;
  }
  std::string repair_date = in.repair_date.empty() ? in.created_date : in.repair_date;
  Value ref = in.external_ref.empty() ? Value(nullptr) : Value(in.external_ref);
  auto rows = c.Query(kInsertRepair, {s.tenant.value, customer, uit->second.id, in.status, in.description,
                                      in.damage_type, std::int64_t{in.priority}, repair_date,
                                      in.cost_cents.value_or(0), ref, *created});
  if (rows.empty()) {
    ++report_.already_imported;
    return;
  }
  const std::int64_t repair = rows.front().Int(0);
  c.Execute(kInsertSearch, {repair, in.description, in.unit_number, in.damage_type});
  std::string note = "Imported from " + s.source + (in.external_ref.empty() ? "" : " (" + in.external_ref + ")");
  c.Execute(kInsertLog, {s.tenant.value, repair, in.status, note, *created});
  ++report_.repairs_created;
  if (in.cost_cents) {
    ++report_.with_cost;
  } else {
    ++report_.without_cost;
    ++report_.without_cost_by_reason[in.cost_missing_reason.empty() ? "unmapped" : in.cost_missing_reason];
  }
  if (in.status == "COMPLETED") {
    ++uit->second.count;
    uit->second.dirty = true;
  }
  if (!s.dry_run && ++s.in_batch >= kBatchRows) {
    s.FlushUnits();
    s.tx->Commit();
    s.tx.reset();
    s.tx = s.db.Write();
    s.in_batch = 0;
  }
}

ImportReport RepairImporter::Finish() {
  auto& s = *state_;
  s.FlushUnits();
  s.tx->conn().ExecuteScript("PRAGMA cache_size = -32000");
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
  if (s.dry_run) {
    s.tx.reset();  // rolls back
    return report_;
  }
  auto summary = fmt::format(R"({{"source":"{}","repairs_created":{},"skipped":{}}})", s.source,
                             report_.repairs_created, report_.skipped);
  s.tx->conn().Execute(kInsertEvent, {s.tenant.value, summary, s.clock.Now()});
  s.tx->Commit();
  s.tx.reset();
  return report_;
}

ImportReport ImportRepairsFromCsv(storage::Database& db, const Clock& clock, const std::string& file,
                                  const std::string& tenant_slug, const std::string& mapping_path, bool dry_run,
                                  const ImportProgress& progress) {
  auto mapping = Mapping::Load(mapping_path);
  auto reader = CsvReader::Open(file, mapping.delimiter());
  std::vector<std::string> row;
  if (!reader.Next(row)) throw Error(ErrorCode::kInvalidInput, file + ": the file is empty (no header row)");
  mapping.BindHeader(row);
  RepairImporter importer(db, clock, tenant_slug, dry_run, std::filesystem::path(file).filename().string());
  std::int64_t records = 0;
  while (reader.Next(row)) {
    ++records;
    ++importer.report().rows_read;
    if (!reader.problem().empty()) {
      importer.Skip(SkipReason::MalformedCsv(reader.problem()), reader.record_number());
    } else {
      auto result = mapping.Translate(row);
      if (auto* skip = std::get_if<SkipReason>(&result)) {
        importer.Skip(*skip, reader.record_number());
      } else {
        importer.Add(std::get<ImportedRepair>(result), reader.record_number());
      }
    }
    if (progress && records % 5000 == 0) progress(records, reader.bytes_read(), reader.total_bytes());
  }
  if (progress) progress(records, reader.total_bytes(), reader.total_bytes());
  return importer.Finish();
}

std::string FormatReport(const ImportReport& r, bool dry_run) {
  std::string out;
  if (dry_run) out += "dry run: nothing was written\n";
  out += fmt::format("rows read:          {}\n", r.rows_read);
  out += fmt::format("customers created:  {}\n", r.customers_created);
  out += fmt::format("units created:      {}\n", r.units_created);
  out += fmt::format("repairs created:    {}\n", r.repairs_created);
  out += fmt::format("already imported:   {}\n", r.already_imported);
  out += fmt::format("rows skipped:       {}\n", r.skipped);
  for (const auto& [code, n] : r.skipped_by_reason) out += fmt::format("  {:<20} {}\n", code + ":", n);
  if (!r.first_skips.empty()) {
    out += "first skipped rows:\n";
    for (const auto& s : r.first_skips) out += "  " + s + "\n";
  }
  out += fmt::format("with a cost:        {}\n", r.with_cost);
  out += fmt::format("without a cost:     {}", r.without_cost);
  if (!r.without_cost_by_reason.empty()) {
    std::string reasons;
    for (const auto& [why, n] : r.without_cost_by_reason) reasons += (reasons.empty() ? "" : ", ") + fmt::format("{} {}", why, n);
    out += " (" + reasons + ")";
  }
  out += "\n";
  out += fmt::format("time:               {:.1f} s\n", r.seconds);
  return out;
}

}  // namespace portico::importer
