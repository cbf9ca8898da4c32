// Figures for the dashboards (API.md "Figures for the dashboards"; issue 16 for the per-shop figures):
// read-only aggregates over the caller's row scope. Money in cents; dates 'YYYY-MM-DD' (repair_date).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "policy/actor.h"
#include "services/deps.h"
#include "storage/repairs_repository.h"

namespace portico::services {

class FiguresService {
 public:
  explicit FiguresService(Deps deps) : deps_(deps) {}

  /// Repair count and completed cost per unit in scope (at most 10,000 units).
  std::vector<storage::UnitFigure> UnitFigures(const policy::Actor& actor, std::optional<CustomerId> customer);
  /// Repairs, completions and cost per month (by repair_date) in the actor's scope, between `from` and
  /// `to` ('YYYY-MM-DD', inclusive). With `months` (1..kMaxRecentMonths): only the `months` most recent
  /// months that have repairs (a history that ended years ago still shows its last year).
  /// Bad dates or months -> validation error.
  std::vector<storage::PeriodFigure> MonthFigures(const policy::Actor& actor, std::optional<CustomerId> customer,
                                                  const std::optional<std::string>& from,
                                                  const std::optional<std::string>& to,
                                                  std::optional<int> months = std::nullopt);
  /// The same figures per imported shop (the source's technician_ref, e.g. the 30 shops of the fleet
  /// data), most repairs first, at most kMaxShops; `months` as above. Bad dates or months -> validation error.
  std::vector<storage::ShopFigure> ShopFigures(const policy::Actor& actor, std::optional<CustomerId> customer,
                                               const std::optional<std::string>& from,
                                               const std::optional<std::string>& to,
                                               std::optional<int> months = std::nullopt);
  /// Repairs per status (every status, 0 when none) in the actor's scope.
  std::vector<std::pair<std::string, std::int64_t>> StatusCounts(const policy::Actor& actor);

  static constexpr int kMaxRecentMonths = 240;
  static constexpr int kMaxShops = 200;

 private:
  /// Checks the range arguments and turns `months` into a start date (nullopt start: from the beginning);
  /// false when `months` finds no repairs at all.
  bool Range(storage::Connection& c, const policy::Actor& actor, std::optional<CustomerId> customer,
             std::optional<std::string>& from, const std::optional<std::string>& to, std::optional<int> months);
  Deps deps_;
};

}  // namespace portico::services
