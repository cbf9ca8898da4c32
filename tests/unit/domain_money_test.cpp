// Money: exact cents inside, two-decimal strings on the wire (API.md, "Conventions"; PRODUCT.md, "Pricing").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "domain/money.h"

namespace portico::domain {
namespace {

TEST(DomainMoneyTest, FormatsExactlyTwoDecimals) {
  EXPECT_EQ(FormatMoney(5000), "50.00");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(50), "0.50");
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(1), "0.01");
  EXPECT_EQ(FormatMoney(99), "0.99");
  EXPECT_EQ(FormatMoney(100), "1.00");
  EXPECT_EQ(FormatMoney(123456), "1234.56");
  EXPECT_EQ(FormatMoney(-120), "-1.20");
  EXPECT_EQ(FormatMoney(-5), "-0.05");
  EXPECT_EQ(FormatMoney(-100), "-1.00");
}

TEST(DomainMoneyTest, FormatsLargeValuesExactly) {
  EXPECT_EQ(FormatMoney(kMaxMoneyCents), "90000000000000.00");
  EXPECT_EQ(FormatMoney(-kMaxMoneyCents), "-90000000000000.00");
  EXPECT_EQ(FormatMoney(1234567890123456789), "12345678901234567.89");
  EXPECT_EQ(FormatMoney(std::numeric_limits<std::int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(FormatMoney(std::numeric_limits<std::int64_t>::min()), "-92233720368547758.08");
}

TEST(DomainMoneyTest, ParsesAcceptedForms) {
  EXPECT_EQ(ParseMoney("50"), 5000);
  EXPECT_EQ(ParseMoney("50.5"), 5050);
  EXPECT_EQ(ParseMoney("50.50"), 5050);
  EXPECT_EQ(ParseMoney("50.05"), 5005);
  EXPECT_EQ(ParseMoney("-3.00"), -300);
  EXPECT_EQ(ParseMoney("-0.05"), -5);
  EXPECT_EQ(ParseMoney("0.05"), 5);
  EXPECT_EQ(ParseMoney("0"), 0);
  EXPECT_EQ(ParseMoney("-0"), 0);
  EXPECT_EQ(ParseMoney("-0.00"), 0);
  EXPECT_EQ(ParseMoney("007.10"), 710);
  EXPECT_EQ(ParseMoney("90000000000000.00"), kMaxMoneyCents);
  EXPECT_EQ(ParseMoney("-90000000000000.00"), -kMaxMoneyCents);
  EXPECT_EQ(ParseMoney("89999999999999.99"), kMaxMoneyCents - 1);
}

TEST(DomainMoneyTest, RejectsEverythingElse) {
  for (std::string_view text :
       {"", "-", ".", "+5", "+5.00", " 5", "5 ", "5\n", "1.234", "1.999", "abc", "1e3", "1E3", "5.", ".5",
        "-.5",
        "--1", "1-", "1.2.3", "1,00", "0x10", "1.-1", "1. 5", "50.5a", "inf", "nan", "\xef\xbc\x95",
        "90000000000000.01", "-90000000000000.01", "90000000000001", "99999999999999999999999999",
        "9223372036854775807", "-9223372036854775808"}) {
    EXPECT_EQ(ParseMoney(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(DomainMoneyTest, FormatThenParseRoundTrips) {
  for (Cents amount : {Cents{0}, Cents{1}, Cents{-1}, Cents{9}, Cents{10}, Cents{99}, Cents{100}, Cents{5000},
                       Cents{-120}, Cents{123456789}, kMaxMoneyCents, -kMaxMoneyCents}) {
    EXPECT_EQ(ParseMoney(FormatMoney(amount)), amount) << amount;
  }
}

TEST(DomainMoneyTest, FromDoubleRoundsHalfAwayFromZero) {
  EXPECT_EQ(MoneyFromDouble(50.5), 5050);
  EXPECT_EQ(MoneyFromDouble(50), 5000);
  EXPECT_EQ(MoneyFromDouble(0), 0);
  EXPECT_EQ(MoneyFromDouble(-0.0), 0);
  EXPECT_EQ(MoneyFromDouble(0.01), 1);
  EXPECT_EQ(MoneyFromDouble(0.1 + 0.2), 30);  // 0.30000000000000004
  EXPECT_EQ(MoneyFromDouble(0.005), 1);
  EXPECT_EQ(MoneyFromDouble(0.0049), 0);
  EXPECT_EQ(MoneyFromDouble(-0.005), -1);
  EXPECT_EQ(MoneyFromDouble(1.005), 101);     // 1.00499999999999989... in binary, "1.005" as written
  EXPECT_EQ(MoneyFromDouble(0.125), 13);
  EXPECT_EQ(MoneyFromDouble(-0.125), -13);
  EXPECT_EQ(MoneyFromDouble(19.99), 1999);
  EXPECT_EQ(MoneyFromDouble(-3), -300);
  EXPECT_EQ(MoneyFromDouble(1e-300), 0);
  EXPECT_EQ(MoneyFromDouble(5e-324), 0);
  EXPECT_EQ(MoneyFromDouble(12345678.91), 1234567891);
}

TEST(DomainMoneyTest, FromDoubleRejectsNonFiniteAndOutOfRange) {
  EXPECT_EQ(MoneyFromDouble(std::nan("")), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(-std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(std::numeric_limits<double>::max()), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(1e14), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(-1e14), std::nullopt);
  EXPECT_EQ(MoneyFromDouble(9e13), kMaxMoneyCents);
  EXPECT_EQ(MoneyFromDouble(-9e13), -kMaxMoneyCents);
  EXPECT_EQ(MoneyFromDouble(90000000000000.01), std::nullopt);
}

TEST(DomainMoneyTest, MultiplyMoney) {
  EXPECT_EQ(MultiplyMoney(3, 250), 750);
  EXPECT_EQ(MultiplyMoney(-2, 250), -500);
  EXPECT_EQ(MultiplyMoney(-2, -250), 500);
  EXPECT_EQ(MultiplyMoney(0.5, 3), 2);   // 1.5 -> 2
  EXPECT_EQ(MultiplyMoney(-0.5, 3), -2);
  EXPECT_EQ(MultiplyMoney(1e20, 0), 0);
  EXPECT_EQ(MultiplyMoney(1.5, std::numeric_limits<std::int64_t>::min()), std::nullopt);
  EXPECT_EQ(MultiplyMoney(1e-20, std::numeric_limits<std::int64_t>::max()), 0);  // 0.09 -> 0
  EXPECT_EQ(MultiplyMoney(1e-18, std::numeric_limits<std::int64_t>::max()), 9);  // 9.22 -> 9
  EXPECT_EQ(MultiplyMoney(1e-3, std::numeric_limits<std::int64_t>::min()), std::nullopt);  // 9.22e15
  EXPECT_EQ(MultiplyMoney(1e-4, std::numeric_limits<std::int64_t>::min()), -922337203685478);
  EXPECT_EQ(MultiplyMoney(1.2345678901234567e+20, 1), std::nullopt);
  EXPECT_EQ(MultiplyMoney(1e15, 9), kMaxMoneyCents);
  EXPECT_EQ(MultiplyMoney(std::nan(""), 1), std::nullopt);
}

}  // namespace
}  // namespace portico::domain
