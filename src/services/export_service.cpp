#include "services/export_service.h"

#include "core/clock.h"
#include "core/error.h"
#include "domain/csv_writer.h"
#include "domain/money.h"
#include "domain/repair_status.h"

namespace portico::services {

const std::vector<std::string>& RepairExportColumns() {
  static const std::vector<std::string> kColumns = {
      "id",         "customer", "unit_number",  "status",     "description", "damage_type",
      "priority",   "created_at", "repair_date", "technician", "cost",        "materials_total"};
  return kColumns;
}

RepairExport::RepairExport(storage::Database& db, policy::CustomerScope scope, storage::RepairFilter filter)
    : db_(db), scope_(std::move(scope)), filter_(std::move(filter)) {}

std::string RepairExport::Next() {
  std::string out;
  if (!header_done_) {
    header_done_ = true;
    domain::AppendCsvRow(out, RepairExportColumns());
  }
  if (done_) return out;
  std::vector<storage::ExportRow> rows;
  {
    auto tx = db_.Read();
    rows = storage::ExportRepairsAfter(tx->conn(), scope_, filter_, cursor_, kChunkRows);
  }
  if (static_cast<std::int64_t>(rows.size()) < kChunkRows) done_ = true;
  if (!rows.empty()) cursor_ = {rows.back().created_at, rows.back().id};
  out.reserve(out.size() + rows.size() * 200);
  std::vector<std::string> cells(RepairExportColumns().size());
  for (const auto& r : rows) {
    cells[0] = std::to_string(r.id);
    cells[1] = r.customer;
    cells[2] = r.unit_number;
    cells[3] = r.status;
    cells[4] = r.description;
    cells[5] = r.damage_type;
    cells[6] = std::to_string(r.priority);
    cells[7] = FormatTimestamp(r.created_at);
    cells[8] = r.repair_date;
    cells[9] = r.technician;
    // As the API's `cost`: 0.00 until COMPLETED; imported history keeps its recorded cost.
    cells[10] = domain::FormatMoney(r.status == "COMPLETED" || r.imported ? r.cost_cents : 0);
    cells[11] = domain::FormatMoney(r.materials_cents);
    domain::AppendCsvRow(out, cells);
  }
  rows_ += static_cast<std::int64_t>(rows.size());
  return out;
}

std::unique_ptr<RepairExport> ExportService::Repairs(const policy::Actor& actor, storage::RepairFilter filter) {
  FieldErrors errors;
  for (const auto& s : filter.statuses) {
    if (!domain::ParseRepairStatus(s)) errors["status"].push_back("Unknown status '" + s + "'.");
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  return std::make_unique<RepairExport>(deps_.db, policy::ScopeOf(actor), std::move(filter));
}

std::unique_ptr<RepairExport> ExportService::UnitHistory(const policy::Actor& actor, UnitId unit) {
  auto scope = policy::ScopeOf(actor);
  {
    auto tx = deps_.db.Read();
    if (!storage::FindUnit(tx->conn(), scope, unit)) throw Error::NotFound("No such unit.");
  }
  storage::RepairFilter filter;
  filter.unit = unit;
  return std::make_unique<RepairExport>(deps_.db, std::move(scope), std::move(filter));
}

}  // namespace portico::services
