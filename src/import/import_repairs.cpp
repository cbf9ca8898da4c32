#include "import/import_repairs.h"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <unordered_map>

#include "core/error.h"
#include "import/csv_reader.h"
#include "storage/accounts_repository.h"
#include "storage/import_repository.h"
#include "storage/repairs_repository.h"

namespace portico::importer {
namespace {

constexpr std::int64_t kBatchRows = 20000;
constexpr std::size_t kMaxSkipExamples = 10;

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
  std::int64_t batch_first_id = 0;  // ids of the repairs this batch inserted (0: none yet)
  std::int64_t batch_last_id = 0;
  std::unordered_map<std::string, std::int64_t> customers;  // external ref or name -> id
  std::unordered_map<std::string, UnitState> units;         // "customer_id\nunit_number"
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  State(storage::Database& d, const Clock& c, bool dry, std::string src)
      : db(d), clock(c), dry_run(dry), source(std::move(src)) {}

  /// What a batch does before it commits: the search entries of its repairs, the units' counts.
  void FinishBatch() {
    storage::IndexImportedRepairs(tx->conn(), tenant, batch_first_id, batch_last_id);
    batch_first_id = batch_last_id = 0;
    FlushUnits();
  }

  void FlushUnits() {
    const UnixSeconds now = clock.Now();
    for (auto& [key, u] : units) {
      if (!u.dirty) continue;
      storage::SetUnitRepairCount(tx->conn(), UnitId(u.id), u.count, std::nullopt, now);
      u.dirty = false;
    }
  }
};

RepairImporter::RepairImporter(storage::Database& db, const Clock& clock, const std::string& tenant_slug,
                               bool dry_run, std::string source_name)
    : state_(std::make_unique<State>(db, clock, dry_run, std::move(source_name))) {
  auto& s = *state_;
  s.tx = db.Write();
  storage::SetBulkLoad(s.tx->conn(), true);
  auto tenant = storage::FindTenantBySlug(s.tx->conn(), tenant_slug);
  if (!tenant) throw Error(ErrorCode::kNotFound, "no tenant '" + tenant_slug + "' (create it with: portico tenant create)");
  s.tenant = tenant->id;
  for (const auto& [key, id] : storage::ImportCustomerKeys(s.tx->conn(), s.tenant)) s.customers[key] = id;
  for (const auto& u : storage::ImportUnits(s.tx->conn(), s.tenant)) {
    s.units[std::to_string(u.customer) + "\n" + u.unit_number] = {u.id, u.repair_count, false};
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
    auto id = storage::InsertImportedCustomer(c, s.tenant, in.customer_name, customer_key, now);
    cit = s.customers.emplace(customer_key, id).first;
    ++report_.customers_created;
  }
  const std::int64_t customer = cit->second;
  const std::string unit_key = std::to_string(customer) + "\n" + in.unit_number;
  auto uit = s.units.find(unit_key);
  if (uit == s.units.end()) {
    auto id = storage::InsertImportedUnit(c, s.tenant, customer, in.unit_number, in.unit_description, now);
    uit = s.units.emplace(unit_key, UnitState{id, 0, false}).first;
    ++report_.units_created;
  }
  storage::ImportedRepairRow row;
  row.tenant = s.tenant;
  row.customer = customer;
  row.unit = uit->second.id;
  row.unit_number = in.unit_number;
  row.status = in.status;
  row.description = in.description;
  row.damage_type = in.damage_type;
  row.priority = in.priority;
  row.repair_date = in.repair_date.empty() ? in.created_date : in.repair_date;
  row.cost_cents = in.cost_cents.value_or(0);
  if (!in.external_ref.empty()) row.external_ref = in.external_ref;
  if (!in.technician_ref.empty()) row.technician_ref = in.technician_ref;
  row.created_at = *created;
  row.log_note = "Imported from " + s.source + (in.external_ref.empty() ? "" : " (" + in.external_ref + ")");
  const auto id = storage::InsertImportedRepair(c, row);
  if (!id) {
    ++report_.already_imported;
    return;
  }
  if (s.batch_first_id == 0) s.batch_first_id = *id;
  s.batch_last_id = *id;
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
    s.FinishBatch();
    s.tx->Commit();
    s.tx.reset();
    s.tx = s.db.Write();
    s.in_batch = 0;
  }
}

ImportReport RepairImporter::Finish() {
  auto& s = *state_;
  s.FinishBatch();
  storage::SetBulkLoad(s.tx->conn(), false);
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
  if (s.dry_run) {
    s.tx.reset();  // rolls back
    return report_;
  }
  storage::EventRecord event;
  event.tenant = s.tenant;
  event.type = "import.completed";
  event.internal = true;  // staff only
  event.data = fmt::format(R"({{"source":"{}","repairs_created":{},"skipped":{}}})", s.source,
                           report_.repairs_created, report_.skipped);
  event.occurred_at = s.clock.Now();
  storage::InsertEvent(s.tx->conn(), event);
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
