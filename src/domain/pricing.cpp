#include "domain/pricing.h"

#include <string>

namespace portico::domain {

Cents LabourPrice(const PricingSettings& settings, int repair_number) {
  if (settings.tiers.empty()) return 0;
  if (!settings.progressive || repair_number <= 1) return settings.tiers.front();
  const std::size_t index = static_cast<std::size_t>(repair_number) - 1;
  return index < settings.tiers.size() ? settings.tiers[index] : settings.tiers.back();
}

Cents EstimatedLabour(const PricingSettings& settings, int current_repair_count) {
  // Computed without forming current_repair_count + 1, which would overflow at INT_MAX.
  if (current_repair_count < 0) return LabourPrice(settings, 1);
  if (settings.tiers.empty()) return 0;
  if (!settings.progressive) return settings.tiers.front();
  const std::size_t index = static_cast<std::size_t>(current_repair_count);
  return index < settings.tiers.size() ? settings.tiers[index] : settings.tiers.back();
}

std::optional<Cents> TryMaterialLineTotal(double quantity, Cents unit_cost) {
  return MultiplyMoney(quantity, unit_cost);
}

Cents MaterialLineTotal(double quantity, Cents unit_cost) {
  const std::optional<Cents> total = TryMaterialLineTotal(quantity, unit_cost);
  if (!total) throw Error::Field("quantity", "quantity x unit cost is not a representable amount");
  return *total;
}

Cents RepairCost(Cents labour, std::optional<Cents> price_override, Cents materials_total) {
  return price_override.value_or(labour) + materials_total;
}

Cents RepairCost(Cents labour, std::optional<Cents> price_override, Cents materials_total, Cents change_orders_total) {
  return RepairCost(labour, price_override, materials_total) + change_orders_total;
}

FieldErrors ValidatePricing(const PricingSettings& settings) {
  FieldErrors errors;
  if (settings.tiers.empty()) errors["tiers"].push_back("must have at least one tier");
  if (settings.tiers.size() > kMaxPriceTiers) {
    errors["tiers"].push_back("must have at most " + std::to_string(kMaxPriceTiers) + " tiers");
  }
  for (std::size_t i = 0; i < settings.tiers.size(); ++i) {
    const Cents tier = settings.tiers[i];
    if (tier < 0 || tier > kMaxTierPrice) {
      errors["tiers"].push_back("tier " + std::to_string(i + 1) + " must be between " + FormatMoney(0) +
                                " and " + FormatMoney(kMaxTierPrice));
    }
  }
  return errors;
}

}  // namespace portico::domain
