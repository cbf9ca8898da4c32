// Labour prices by repair history and the cost of a repair. Source: PRODUCT.md, "Pricing"; the cost
// fields of a repair in API.md, "Repairs". All amounts are Cents (integer minor units).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "core/error.h"
#include "domain/money.h"

namespace portico::domain {

/// The default price tiers: 50.00 for a unit's 1st repair, 40.00, 35.00, 30.00, and 25.00 for the 5th and
/// every later one (PRODUCT.md, "Pricing").
inline constexpr std::array<Cents, 5> kDefaultPriceTiers{5000, 4000, 3500, 3000, 2500};

/// At most this many tiers (ValidatePricing).
inline constexpr std::size_t kMaxPriceTiers = 20;

/// The largest price of one tier: 100000000 cents (1,000,000.00) (ValidatePricing).
inline constexpr Cents kMaxTierPrice = 100'000'000;

/// A tenant's pricing settings. `tiers[i]` is the labour price (cents) of a unit's (i+1)-th repair; the last
/// tier applies to every later repair. With `progressive` off every repair pays `tiers[0]`.
/// PRODUCT.md, "Pricing".
struct PricingSettings {
  bool progressive = true;
  std::vector<Cents> tiers = {kDefaultPriceTiers.begin(), kDefaultPriceTiers.end()};
};

/// The labour price (cents) of a unit's `repair_number`-th repair, where `repair_number` is the unit's
/// repair count once this repair is completed (1 = its first repair since new or replaced). Numbers past
/// the last tier pay the last tier; with progressive pricing off every number pays the first tier.
/// A `repair_number` below 1 is treated as 1. Empty tiers (which ValidatePricing refuses) price at 0.
/// PRODUCT.md, "Pricing" ("fixes the price from the new count").
Cents LabourPrice(const PricingSettings& settings, int repair_number);

/// The labour estimate (cents) of a repair on a unit that has `current_repair_count` completed repairs: the
/// tier its completion would get, LabourPrice(settings, current_repair_count + 1). Also the unit's
/// `next_price` (API.md, units). PRODUCT.md, "Pricing" ("Before completion a repair shows the estimate").
Cents EstimatedLabour(const PricingSettings& settings, int current_repair_count);

/// The total (cents) of one material line, `quantity` x `unit_cost`, rounded half away from zero to whole
/// cents (see MultiplyMoney; the quantity is taken at its shortest decimal form). nullopt when the quantity
/// is NaN or infinite or the total's magnitude exceeds kMaxMoneyCents. PRODUCT.md, "Pricing"
/// ("quantity x unit cost").
std::optional<Cents> TryMaterialLineTotal(double quantity, Cents unit_cost);

/// As TryMaterialLineTotal, for callers that validated the quantity (API.md: "quantity" > 0, a JSON
/// number). Throws portico::Error (400, field "quantity") when the total cannot be represented.
Cents MaterialLineTotal(double quantity, Cents unit_cost);

/// The cost (cents) of a repair: the labour price, or `price_override` instead of it when set, plus
/// `materials_total` (the sum of the material line totals). Inputs are amounts within kMaxMoneyCents, so the
/// sum cannot overflow. PRODUCT.md, "Pricing"; API.md, "Repairs"
/// ("price_override ... replaces the tier price; materials are added on top").
Cents RepairCost(Cents labour, std::optional<Cents> price_override, Cents materials_total);

/// The cost (cents) with the repair's approved change orders: RepairCost(...) + `change_orders_total` (the
/// sum of the approved change orders' amounts). PRODUCT.md "Client requests and change orders" (cost =
/// labour price + materials + approved change orders); API.md "Change orders".
Cents RepairCost(Cents labour, std::optional<Cents> price_override, Cents materials_total, Cents change_orders_total);

/// Field errors of pricing settings, keyed "tiers"; empty when valid: at least one tier, at most
/// kMaxPriceTiers, each tier between 0 and kMaxTierPrice cents inclusive. PRODUCT.md, "Pricing" (a tenant
/// edits its tiers); the limits are Portico's choice.
FieldErrors ValidatePricing(const PricingSettings& settings);

}  // namespace portico::domain
