#include "services/figures_service.h"

#include "core/clock.h"
#include "core/error.h"
#include "domain/repair_status.h"
#include "policy/policy.h"

namespace portico::services {

std::vector<storage::UnitFigure> FiguresService::UnitFigures(const policy::Actor& actor,
                                                             std::optional<CustomerId> customer) {
  auto tx = deps_.db.Read();
  return storage::UnitFigures(tx->conn(), policy::ScopeOf(actor), customer);
}

bool FiguresService::Range(storage::Connection& c, const policy::Actor& actor, std::optional<CustomerId> customer,
                           std::optional<std::string>& from, const std::optional<std::string>& to,
                           std::optional<int> months) {
  if (!months) return true;
  auto recent = storage::RecentMonthsStart(c, policy::ScopeOf(actor), customer, *months, to);
  if (!recent) return false;
  if (!from || *recent > *from) from = recent;  // 'YYYY-MM-DD' compares as text
  return true;
}

namespace {
void CheckRange(const std::optional<std::string>& from, const std::optional<std::string>& to,
                std::optional<int> months) {
  FieldErrors errors;
  if (from && !ParseDate(*from)) errors["from"].push_back("A date written YYYY-MM-DD.");
  if (to && !ParseDate(*to)) errors["to"].push_back("A date written YYYY-MM-DD.");
  if (months && (*months < 1 || *months > FiguresService::kMaxRecentMonths)) {
    errors["months"].push_back("A number of months from 1 to " + std::to_string(FiguresService::kMaxRecentMonths) + ".");
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
}
}  // namespace

std::vector<storage::PeriodFigure> FiguresService::MonthFigures(const policy::Actor& actor,
                                                                std::optional<CustomerId> customer,
                                                                const std::optional<std::string>& from,
                                                                const std::optional<std::string>& to,
                                                                std::optional<int> months) {
  CheckRange(from, to, months);
  auto tx = deps_.db.Read();
  auto start = from;
  if (!Range(tx->conn(), actor, customer, start, to, months)) return {};
  return storage::MonthFigures(tx->conn(), policy::ScopeOf(actor), customer, start, to);
}

std::vector<storage::ShopFigure> FiguresService::ShopFigures(const policy::Actor& actor,
                                                             std::optional<CustomerId> customer,
                                                             const std::optional<std::string>& from,
                                                             const std::optional<std::string>& to,
                                                             std::optional<int> months) {
  CheckRange(from, to, months);
  auto tx = deps_.db.Read();
  auto start = from;
  if (!Range(tx->conn(), actor, customer, start, to, months)) return {};
  return storage::ShopFigures(tx->conn(), policy::ScopeOf(actor), customer, start, to, kMaxShops);
}

std::vector<std::pair<std::string, std::int64_t>> FiguresService::StatusCounts(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  auto counts = storage::StatusCounts(tx->conn(), policy::ScopeOf(actor));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (auto s : domain::kAllRepairStatuses) {
    std::int64_t n = 0;
    for (const auto& [name, count] : counts) {
      if (name == domain::ToString(s)) n = count;
    }
    out.emplace_back(std::string(domain::ToString(s)), n);
  }
  return out;
}

}  // namespace portico::services
