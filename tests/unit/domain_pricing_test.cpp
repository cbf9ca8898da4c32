// Pricing against PRODUCT.md, "Pricing": tiers by repair history, progressive on/off, override, materials.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "core/error.h"
#include "domain/pricing.h"

namespace portico::domain {
namespace {

TEST(DomainPricingTest, DefaultTiersAreTheProductDefaults) {
  const PricingSettings settings;
  EXPECT_TRUE(settings.progressive);
  EXPECT_EQ(settings.tiers, (std::vector<Cents>{5000, 4000, 3500, 3000, 2500}));
}

TEST(DomainPricingTest, EstimateForEveryCountFromZeroToEight) {
  const PricingSettings settings;
  // A unit with `count` completed repairs: its next repair is repair number count + 1.
  const std::array<Cents, 9> expected{5000, 4000, 3500, 3000, 2500, 2500, 2500, 2500, 2500};
  for (int count = 0; count < 9; ++count) {
    EXPECT_EQ(EstimatedLabour(settings, count), expected[count]) << "count " << count;
    EXPECT_EQ(LabourPrice(settings, count + 1), expected[count]) << "repair number " << count + 1;
  }
}

TEST(DomainPricingTest, CompletionPricesFromTheNewCount) {
  const PricingSettings settings;
  // The first repair of a new (or replaced) unit: its count becomes 1 and it pays the first tier.
  EXPECT_EQ(LabourPrice(settings, 1), 5000);
  EXPECT_EQ(LabourPrice(settings, 2), 4000);
  EXPECT_EQ(LabourPrice(settings, 5), 2500);
  EXPECT_EQ(LabourPrice(settings, 1000), 2500);
  EXPECT_EQ(LabourPrice(settings, std::numeric_limits<int>::max()), 2500);
}

TEST(DomainPricingTest, NumbersBelowOneAreTheFirstRepair) {
  const PricingSettings settings;
  EXPECT_EQ(LabourPrice(settings, 0), 5000);
  EXPECT_EQ(LabourPrice(settings, -3), 5000);
  EXPECT_EQ(EstimatedLabour(settings, -1), 5000);
}

TEST(DomainPricingTest, ProgressiveOffAlwaysPaysTheFirstTier) {
  const PricingSettings settings{.progressive = false, .tiers = {5000, 4000, 3500, 3000, 2500}};
  for (int count = 0; count < 9; ++count) {
    EXPECT_EQ(EstimatedLabour(settings, count), 5000) << "count " << count;
    EXPECT_EQ(LabourPrice(settings, count + 1), 5000) << "repair number " << count + 1;
  }
  EXPECT_EQ(EstimatedLabour(settings, std::numeric_limits<int>::max()), 5000);
}

TEST(DomainPricingTest, CustomTiers) {
  const PricingSettings settings{.progressive = true, .tiers = {12000, 9950, 0}};
  const std::array<Cents, 9> expected{12000, 9950, 0, 0, 0, 0, 0, 0, 0};
  for (int count = 0; count < 9; ++count) {
    EXPECT_EQ(EstimatedLabour(settings, count), expected[count]) << "count " << count;
  }
  const PricingSettings off{.progressive = false, .tiers = {12000, 9950, 0}};
  EXPECT_EQ(EstimatedLabour(off, 4), 12000);
}

TEST(DomainPricingTest, SingleTier) {
  for (bool progressive : {true, false}) {
    const PricingSettings settings{.progressive = progressive, .tiers = {7777}};
    for (int count = 0; count < 9; ++count) {
      EXPECT_EQ(EstimatedLabour(settings, count), 7777) << "count " << count;
      EXPECT_EQ(LabourPrice(settings, count + 1), 7777);
    }
  }
}

TEST(DomainPricingTest, EmptyTiersPriceAtZero) {
  const PricingSettings settings{.progressive = true, .tiers = {}};
  EXPECT_EQ(LabourPrice(settings, 1), 0);
  EXPECT_EQ(EstimatedLabour(settings, 3), 0);
}

TEST(DomainPricingTest, MaterialLineTotals) {
  EXPECT_EQ(MaterialLineTotal(2, 1250), 2500);
  EXPECT_EQ(MaterialLineTotal(1, 0), 0);
  EXPECT_EQ(MaterialLineTotal(0.25, 1000), 250);
  EXPECT_EQ(MaterialLineTotal(1.5, 333), 500);      // 499.5 -> 500
  EXPECT_EQ(MaterialLineTotal(1.5, 331), 497);      // 496.5 -> 497
  EXPECT_EQ(MaterialLineTotal(0.1, 1005), 101);     // exactly 100.5 at the quantity's decimal form
  EXPECT_EQ(MaterialLineTotal(2.675, 100), 268);    // 267.5, though 2.675 is 2.67499999... in binary
  EXPECT_EQ(MaterialLineTotal(0.3333, 100), 33);    // 33.33 -> 33
  EXPECT_EQ(MaterialLineTotal(0.5, 1), 1);          // half away from zero
  EXPECT_EQ(MaterialLineTotal(0.4, 1), 0);
  EXPECT_EQ(MaterialLineTotal(0.5, -1), -1);        // a credit line rounds away from zero too
  EXPECT_EQ(MaterialLineTotal(1.5, -333), -500);
  EXPECT_EQ(MaterialLineTotal(1e-9, 5000), 0);
  EXPECT_EQ(MaterialLineTotal(1000000, 900000000), 900000000000000);
}

TEST(DomainPricingTest, MaterialLineTotalOutOfRange) {
  EXPECT_EQ(TryMaterialLineTotal(std::nan(""), 100), std::nullopt);
  EXPECT_EQ(TryMaterialLineTotal(std::numeric_limits<double>::infinity(), 100), std::nullopt);
  EXPECT_EQ(TryMaterialLineTotal(1e300, 1), std::nullopt);
  EXPECT_EQ(TryMaterialLineTotal(1e10, 100000000), std::nullopt);  // 1e18 cents
  EXPECT_EQ(TryMaterialLineTotal(3, 1250), 3750);
  try {
    MaterialLineTotal(1e300, 1);
    ADD_FAILURE() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(error.field_errors().count("quantity"), 1u);
  }
}

TEST(DomainPricingTest, RepairCostIsLabourOrOverridePlusMaterials) {
  EXPECT_EQ(RepairCost(5000, std::nullopt, 0), 5000);
  EXPECT_EQ(RepairCost(5000, std::nullopt, 1234), 6234);
  EXPECT_EQ(RepairCost(5000, 7500, 0), 7500);    // override replaces the tier price
  EXPECT_EQ(RepairCost(5000, 7500, 1234), 8734); // materials on top of the override
  EXPECT_EQ(RepairCost(5000, 0, 1234), 1234);    // a zero override is an override
  EXPECT_EQ(RepairCost(2500, 3000, 0), 3000);    // an override may be above the tier
}

TEST(DomainPricingTest, CostOfACompletionFromTheUnitsHistory) {
  const PricingSettings settings;
  // A unit with 2 completed repairs; the 3rd uses two lines of material.
  const Cents materials = MaterialLineTotal(2, 450) + MaterialLineTotal(0.5, 1999);  // 900 + 1000 (999.5)
  EXPECT_EQ(materials, 1900);
  EXPECT_EQ(RepairCost(LabourPrice(settings, 3), std::nullopt, materials), 5400);
  EXPECT_EQ(RepairCost(EstimatedLabour(settings, 2), std::nullopt, materials), 5400);
}

TEST(DomainPricingTest, ValidDefaultsAndLimits) {
  EXPECT_TRUE(ValidatePricing(PricingSettings{}).empty());
  EXPECT_TRUE(ValidatePricing(PricingSettings{.progressive = false, .tiers = {0}}).empty());
  EXPECT_TRUE(ValidatePricing(PricingSettings{.progressive = true, .tiers = {100000000}}).empty());
  const PricingSettings twenty{.progressive = true, .tiers = std::vector<Cents>(20, 100)};
  EXPECT_TRUE(ValidatePricing(twenty).empty());
}

TEST(DomainPricingTest, InvalidTiersAreReportedUnderTiers) {
  const std::vector<PricingSettings> invalid{
      {.progressive = true, .tiers = {}},
      {.progressive = true, .tiers = std::vector<Cents>(21, 100)},
      {.progressive = true, .tiers = {5000, -1}},
      {.progressive = true, .tiers = {100000001}},
      {.progressive = false, .tiers = {}},
  };
  for (const PricingSettings& settings : invalid) {
    const FieldErrors errors = ValidatePricing(settings);
    ASSERT_EQ(errors.size(), 1u) << settings.tiers.size() << " tiers";
    ASSERT_EQ(errors.count("tiers"), 1u);
    EXPECT_FALSE(errors.at("tiers").empty());
  }
}

TEST(DomainPricingTest, EachBadTierGetsItsOwnMessage) {
  const FieldErrors errors = ValidatePricing(PricingSettings{.progressive = true, .tiers = {-5, 100, -1}});
  ASSERT_EQ(errors.count("tiers"), 1u);
  ASSERT_EQ(errors.at("tiers").size(), 2u);
  EXPECT_NE(errors.at("tiers")[0].find("tier 1"), std::string::npos);
  EXPECT_NE(errors.at("tiers")[1].find("tier 3"), std::string::npos);
}

}  // namespace
}  // namespace portico::domain
