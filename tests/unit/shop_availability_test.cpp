// Availability, the shop's time zone across daylight-saving changes, appointment moves and board ranks
// (issue 12). Expected values are written out by hand from API.md "Appointments" and "Board order".
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "domain/appointment.h"
#include "domain/availability.h"
#include "domain/board_rank.h"
#include "domain/shop_time.h"

namespace portico::domain {
namespace {

const ShopZone& NewYork() {
  static const ShopZone z = *ShopZone::Find("America/New_York");
  return z;
}

UnixSeconds Utc(const char* stamp) { return *ParseTimestamp(stamp); }

/// A shop open 08:00-17:00 every day, `bays` bays, 30-minute grid, one technician (id 7) on schedule
/// 08:00-17:00 on each of the dates given.
AvailabilityInput Shop(const std::string& date, int bays = 1, std::vector<std::string> tech_dates = {}) {
  AvailabilityInput in;
  in.zone = &NewYork();
  for (auto& day : in.hours) day = {{8 * 60, 17 * 60}};
  in.bays = bays;
  in.slot_minutes = 30;
  in.duration_minutes = 60;
  in.first_date = date;
  in.days = 1;
  if (tech_dates.empty()) tech_dates = {date};
  for (const auto& d : tech_dates) in.schedules.push_back({7, d, 8 * 60, 17 * 60, true});
  return in;
}

std::vector<std::string> Starts(const std::vector<Slot>& slots) {
  std::vector<std::string> out;
  for (const auto& s : slots) out.push_back(s.local_start);
  return out;
}

TEST(ShopTime, UnknownZoneIsRefused) {
  EXPECT_FALSE(ShopZone::Find("Mars/Olympus_Mons"));
  EXPECT_FALSE(ShopZone::Find(""));
  EXPECT_TRUE(ShopZone::Find("UTC"));
  EXPECT_TRUE(ShopZone::Find("Europe/Madrid"));
}

TEST(ShopTime, NineOClockIsNineOClockOnBothSidesOfTheSpringChange) {
  // 2026-03-08: New York springs forward at 02:00 (EST -5 -> EDT -4).
  EXPECT_EQ(*NewYork().ToUtc("2026-03-07", 9 * 60), Utc("2026-03-07T14:00:00Z"));
  EXPECT_EQ(*NewYork().ToUtc("2026-03-08", 9 * 60), Utc("2026-03-08T13:00:00Z"));
  EXPECT_EQ(*NewYork().ToUtc("2026-03-09", 9 * 60), Utc("2026-03-09T13:00:00Z"));
  EXPECT_EQ(NewYork().LocalStamp(Utc("2026-03-08T13:00:00Z")), "2026-03-08T09:00");
  EXPECT_EQ(NewYork().LocalStamp(Utc("2026-03-07T14:00:00Z")), "2026-03-07T09:00");
}

TEST(ShopTime, SkippedHourDoesNotExistAndRepeatedHourIsItsFirstOccurrence) {
  EXPECT_FALSE(NewYork().ToUtc("2026-03-08", 2 * 60 + 30));
  EXPECT_EQ(*NewYork().EdgeToUtc("2026-03-08", 2 * 60 + 30), Utc("2026-03-08T07:00:00Z"));
  // 2026-11-01: back at 02:00 EDT to 01:00 EST; 01:30 happens twice, first at 05:30Z.
  EXPECT_EQ(*NewYork().ToUtc("2026-11-01", 90), Utc("2026-11-01T05:30:00Z"));
  EXPECT_EQ(NewYork().LocalStamp(Utc("2026-11-01T06:30:00Z")), "2026-11-01T01:30");
  EXPECT_EQ(*NewYork().ToUtc("2026-11-01", 9 * 60), Utc("2026-11-01T14:00:00Z"));
}

TEST(ShopTime, WeekdaysAndDays) {
  EXPECT_EQ(*Weekday("2026-03-09"), 0);  // a Monday
  EXPECT_EQ(*Weekday("2026-03-08"), 6);  // a Sunday
  EXPECT_EQ(AddDays("2026-02-28", 1), "2026-03-01");
  EXPECT_EQ(AddDays("2024-02-28", 1), "2024-02-29");
  EXPECT_FALSE(Weekday("2026-02-30"));
}

TEST(Availability, AnEmptyDayOffersEveryGridSlotThatEndsByClosing) {
  auto slots = FreeSlots(Shop("2026-05-04"));
  ASSERT_EQ(slots.size(), 17u);  // 08:00 .. 16:00 (a 60-minute service must end by 17:00)
  EXPECT_EQ(slots.front().local_start, "2026-05-04T08:00");
  EXPECT_EQ(slots.back().local_start, "2026-05-04T16:00");
  EXPECT_EQ(slots.front().starts_at, Utc("2026-05-04T12:00:00Z"));
  EXPECT_EQ(slots.front().ends_at, Utc("2026-05-04T13:00:00Z"));
  EXPECT_EQ(slots.front().technicians, std::vector<std::int64_t>{7});
}

TEST(Availability, ClosedDaysAndNoTechnicianOfferNothing) {
  auto in = Shop("2026-05-04");
  in.hours[0] = {};  // Monday closed
  EXPECT_TRUE(FreeSlots(in).empty());
  auto nobody = Shop("2026-05-04");
  nobody.schedules.clear();
  EXPECT_TRUE(FreeSlots(nobody).empty());
}

TEST(Availability, ABookingHoldsTheOnlyBayForItsWholeLengthAndNoMore) {
  auto in = Shop("2026-05-04");
  in.bookings.push_back({Utc("2026-05-04T14:00:00Z"), Utc("2026-05-04T15:00:00Z"), 99});  // 10:00-11:00 local
  auto s = Starts(FreeSlots(in));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T09:00"));   // ends exactly at 10:00
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T09:30"));  // overlaps 10:00-10:30
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T10:00"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T10:30"));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T11:00"));    // starts exactly when it ends
}

TEST(Availability, TwoBaysButOneTechnicianIsOneAtATime) {
  auto in = Shop("2026-05-04", 2);
  in.bookings.push_back({Utc("2026-05-04T14:00:00Z"), Utc("2026-05-04T15:00:00Z"), 7});
  auto s = Starts(FreeSlots(in));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T10:00"));
  in.schedules.push_back({8, "2026-05-04", 8 * 60, 17 * 60, true});
  auto slots = FreeSlots(in);
  auto it = std::find_if(slots.begin(), slots.end(), [](const Slot& x) { return x.local_start == "2026-05-04T10:00"; });
  ASSERT_NE(it, slots.end());
  EXPECT_EQ(it->technicians, std::vector<std::int64_t>{8});
}

TEST(Availability, BaysLimitEvenWithFreeTechnicians) {
  auto in = Shop("2026-05-04", 2);
  in.schedules.push_back({8, "2026-05-04", 8 * 60, 17 * 60, true});
  in.schedules.push_back({9, "2026-05-04", 8 * 60, 17 * 60, true});
  in.bookings.push_back({Utc("2026-05-04T14:00:00Z"), Utc("2026-05-04T15:00:00Z"), 7});
  in.bookings.push_back({Utc("2026-05-04T14:30:00Z"), Utc("2026-05-04T15:30:00Z"), 8});
  auto s = Starts(FreeSlots(in));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T10:00"));  // both bays busy 10:30-11:00
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T09:00"));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T09:30"));   // until 10:30 one bay is busy
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T10:30"));  // 10:30-11:00 both bays
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T11:30"));
  // Two bookings that touch end-to-start never count as overlapping.
  auto in2 = Shop("2026-05-04", 2);
  in2.schedules.push_back({8, "2026-05-04", 8 * 60, 17 * 60, true});
  in2.bookings.push_back({Utc("2026-05-04T14:00:00Z"), Utc("2026-05-04T14:30:00Z"), 7});
  in2.bookings.push_back({Utc("2026-05-04T14:30:00Z"), Utc("2026-05-04T15:00:00Z"), 7});
  auto s2 = Starts(FreeSlots(in2));
  EXPECT_TRUE(std::count(s2.begin(), s2.end(), "2026-05-04T10:00"));  // technician 8 and one bay
}

TEST(Availability, TheLastSlotOfTheDay) {
  auto in = Shop("2026-05-04");
  in.duration_minutes = 90;
  auto s = Starts(FreeSlots(in));
  EXPECT_EQ(s.back(), "2026-05-04T15:30");  // 15:30 + 90 min = 17:00
  in.hours[0] = {{8 * 60, 17 * 60 + 15}};
  s = Starts(FreeSlots(in));
  EXPECT_EQ(s.back(), "2026-05-04T15:30");  // the technician still leaves at 17:00
}

TEST(Availability, ATechniciansGapAndSplitShifts) {
  auto in = Shop("2026-05-04");
  in.schedules.clear();
  in.schedules.push_back({7, "2026-05-04", 8 * 60, 12 * 60, true});
  in.schedules.push_back({7, "2026-05-04", 13 * 60, 17 * 60, true});
  auto s = Starts(FreeSlots(in));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T11:00"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T11:30"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T12:00"));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T13:00"));
  // Back-to-back entries join: 08:00-12:00 and 12:00-17:00 cover 11:30-12:30.
  in.schedules.push_back({7, "2026-05-04", 12 * 60, 13 * 60, true});
  s = Starts(FreeSlots(in));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T11:30"));
  // An unavailable entry (the technician is away) cuts a hole.
  in.schedules.push_back({7, "2026-05-04", 14 * 60, 14 * 60 + 30, false});
  s = Starts(FreeSlots(in));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T13:00"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T13:30"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T14:00"));
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T14:30"));
}

TEST(Availability, SeveralOpeningIntervalsADayAndNoSlotAcrossTheBreak) {
  auto in = Shop("2026-05-04");
  in.hours[0] = {{8 * 60, 12 * 60}, {13 * 60 + 15, 17 * 60}};  // a lunch break 12:00-13:15
  auto s = Starts(FreeSlots(in));
  EXPECT_EQ(s.front(), "2026-05-04T08:00");
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T11:00"));   // ends 12:00, at the close
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T11:30"));  // would run into the break
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T12:00"));
  EXPECT_FALSE(std::count(s.begin(), s.end(), "2026-05-04T13:00"));  // before the afternoon opens
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T13:15"));   // the grid restarts at the opening
  EXPECT_TRUE(std::count(s.begin(), s.end(), "2026-05-04T15:45"));
  EXPECT_EQ(s.back(), "2026-05-04T15:45");
  EXPECT_EQ(s.size(), 7u + 6u);  // 08:00..11:00 and 13:15..15:45
  EXPECT_TRUE(FindFreeSlot(in, Utc("2026-05-04T17:15:00Z")));    // 13:15 local
  EXPECT_FALSE(FindFreeSlot(in, Utc("2026-05-04T15:30:00Z")));   // 11:30 local
}

TEST(Availability, SlotsBeforeNowAreNotOffered) {
  auto in = Shop("2026-05-04");
  in.not_before = Utc("2026-05-04T19:10:00Z");  // 15:10 local
  EXPECT_EQ(Starts(FreeSlots(in)), std::vector<std::string>({"2026-05-04T15:30", "2026-05-04T16:00"}));
}

TEST(Availability, SpringForwardDayKeepsLocalTimesAndSkipsTheMissingHour) {
  auto in = Shop("2026-03-07", 1, {"2026-03-07", "2026-03-08", "2026-03-09"});
  in.days = 3;
  auto slots = FreeSlots(in);
  ASSERT_EQ(slots.size(), 51u);
  for (const auto& s : slots) {
    if (s.local_start.ends_with("T09:00")) {
      EXPECT_EQ(NewYork().LocalStamp(s.starts_at), s.local_start);
      EXPECT_EQ(s.ends_at - s.starts_at, 3600);
    }
  }
  EXPECT_EQ(slots[17].local_start, "2026-03-08T08:00");
  EXPECT_EQ(slots[17].starts_at, Utc("2026-03-08T12:00:00Z"));  // EDT
  EXPECT_EQ(slots[0].starts_at, Utc("2026-03-07T13:00:00Z"));   // EST
  // A night shop open 00:00-04:00 on the change: 02:00 and 02:30 do not exist.
  auto night = Shop("2026-03-08");
  for (auto& day : night.hours) day = {{0, 4 * 60}};
  night.schedules = {{7, "2026-03-08", 0, 4 * 60, true}};
  night.duration_minutes = 30;
  EXPECT_EQ(Starts(FreeSlots(night)), std::vector<std::string>({"2026-03-08T00:00", "2026-03-08T00:30",
                                                                  "2026-03-08T01:00", "2026-03-08T01:30",
                                                                  "2026-03-08T03:00", "2026-03-08T03:30"}));
}

TEST(Availability, FallBackDayOffersTheRepeatedHourOnce) {
  auto night = Shop("2026-11-01");
  for (auto& day : night.hours) day = {{0, 3 * 60}};
  night.schedules = {{7, "2026-11-01", 0, 3 * 60, true}};
  night.duration_minutes = 30;
  auto slots = FreeSlots(night);
  EXPECT_EQ(Starts(slots), std::vector<std::string>({"2026-11-01T00:00", "2026-11-01T00:30", "2026-11-01T01:00",
                                                      "2026-11-01T01:30", "2026-11-01T02:00", "2026-11-01T02:30"}));
  EXPECT_EQ(slots[3].starts_at, Utc("2026-11-01T05:30:00Z"));  // first 01:30 (EDT)
  EXPECT_EQ(slots[4].starts_at, Utc("2026-11-01T07:00:00Z"));  // 02:00 EST
  // A booking during the first 01:00-02:00 holds the bay, in real time.
  night.bookings.push_back({Utc("2026-11-01T05:00:00Z"), Utc("2026-11-01T06:00:00Z"), 7});
  EXPECT_EQ(Starts(FreeSlots(night)), std::vector<std::string>({"2026-11-01T00:00", "2026-11-01T00:30",
                                                                 "2026-11-01T02:00", "2026-11-01T02:30"}));
}

TEST(Availability, FindFreeSlotAgreesWithFreeSlots) {
  auto in = Shop("2026-05-04");
  in.bookings.push_back({Utc("2026-05-04T14:00:00Z"), Utc("2026-05-04T15:00:00Z"), 99});
  EXPECT_TRUE(FindFreeSlot(in, Utc("2026-05-04T12:00:00Z")));
  EXPECT_FALSE(FindFreeSlot(in, Utc("2026-05-04T14:00:00Z")));
  EXPECT_FALSE(FindFreeSlot(in, Utc("2026-05-04T12:10:00Z")));  // off the grid
  EXPECT_FALSE(FindFreeSlot(in, Utc("2026-05-04T21:00:00Z")));  // after closing
}

TEST(Availability, OpeningHoursAreChecked) {
  OpeningHours h;
  EXPECT_EQ(CheckOpeningHours(h), "");
  h[0] = {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  EXPECT_EQ(CheckOpeningHours(h), "");
  h[1] = {{12 * 60, 8 * 60}};
  EXPECT_NE(CheckOpeningHours(h), "");
  h[1] = {{8 * 60, 12 * 60}, {11 * 60, 13 * 60}};
  EXPECT_NE(CheckOpeningHours(h), "");
}

TEST(AppointmentMoves, EveryMoveForStaffCustomerAndViewer) {
  using S = AppointmentStatus;
  using M = AppointmentMove;
  const AppointmentActor staff{true, false}, customer{false, true}, viewer{false, false};
  const UnixSeconds start = 1000, before = 500, after = 1500;
  const auto A = MoveDecision::kAllowed, F = MoveDecision::kForbidden, C = MoveDecision::kConflict;
  struct Row { S from; M move; MoveDecision staff, customer_before, customer_after, viewer; };
  const Row rows[] = {
      {S::kRequested, M::kConfirm, A, F, F, F},     {S::kConfirmed, M::kConfirm, C, F, F, F},
      {S::kCancelled, M::kConfirm, C, F, F, F},     {S::kRequested, M::kReschedule, A, A, A, F},
      {S::kConfirmed, M::kReschedule, A, F, F, F},  {S::kCompleted, M::kReschedule, C, C, C, F},
      {S::kRequested, M::kCancel, A, A, F, F},      {S::kConfirmed, M::kCancel, A, A, F, F},
      {S::kCancelled, M::kCancel, C, C, C, F},      {S::kNoShow, M::kCancel, C, C, C, F},
      {S::kConfirmed, M::kComplete, A, F, F, F},    {S::kRequested, M::kComplete, C, F, F, F},
      {S::kCompleted, M::kComplete, C, F, F, F},    {S::kConfirmed, M::kNoShow, A, F, F, F},
      {S::kRequested, M::kNoShow, C, F, F, F},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(ToString(r.from)) + " move " + std::to_string(static_cast<int>(r.move)));
    EXPECT_EQ(DecideAppointmentMove(r.from, r.move, staff, after, start), r.staff);
    EXPECT_EQ(DecideAppointmentMove(r.from, r.move, customer, before, start), r.customer_before);
    EXPECT_EQ(DecideAppointmentMove(r.from, r.move, customer, after, start), r.customer_after);
    EXPECT_EQ(DecideAppointmentMove(r.from, r.move, viewer, before, start), r.viewer);
  }
  EXPECT_EQ(MoveTarget(S::kRequested, M::kConfirm), S::kConfirmed);
  EXPECT_EQ(MoveTarget(S::kConfirmed, M::kReschedule), S::kConfirmed);
  EXPECT_EQ(MoveTarget(S::kConfirmed, M::kNoShow), S::kNoShow);
  EXPECT_TRUE(HoldsCapacity(S::kRequested));
  EXPECT_FALSE(HoldsCapacity(S::kNoShow));
}

TEST(BoardRank, BetweenTopAndBottom) {
  const std::string mid = RankBetween(std::nullopt, std::nullopt);
  EXPECT_TRUE(IsValidRank(mid));
  const std::string top = RankBetween(std::nullopt, mid);
  const std::string bottom = RankBetween(mid, std::nullopt);
  EXPECT_LT(top, mid);
  EXPECT_LT(mid, bottom);
  EXPECT_THROW(RankBetween(mid, top), std::invalid_argument);
  EXPECT_THROW(RankBetween(std::string("ba"), std::nullopt), std::invalid_argument);
  EXPECT_EQ(RankBetween(std::string("b"), std::string("c")).substr(0, 1), "b");
}

TEST(BoardRank, AlwaysRoomBetweenNeighboursUnderRandomInserts) {
  std::mt19937 rng(12);
  std::vector<std::string> ranks;
  for (int i = 0; i < 2000; ++i) {
    std::size_t pos = ranks.empty() ? 0 : rng() % (ranks.size() + 1);
    std::optional<std::string> lo, hi;
    if (pos > 0) lo = ranks[pos - 1];
    if (pos < ranks.size()) hi = ranks[pos];
    auto r = RankBetween(lo, hi);
    ASSERT_TRUE(IsValidRank(r)) << r;
    if (lo) {
      ASSERT_LT(*lo, r);
    }
    if (hi) {
      ASSERT_LT(r, *hi);
    }
    ranks.insert(ranks.begin() + static_cast<std::ptrdiff_t>(pos), r);
  }
  EXPECT_TRUE(std::is_sorted(ranks.begin(), ranks.end()));
}

TEST(BoardRank, RepeatedTopInsertsGrowSlowlyAndRebalanceSpreads) {
  std::optional<std::string> first;
  for (int i = 0; i < 200; ++i) first = RankBetween(std::nullopt, first);
  EXPECT_LE(first->size(), 50u);
  for (std::size_t n : {1u, 2u, 25u, 500u, 20000u}) {
    auto seq = RankSequence(n);
    ASSERT_EQ(seq.size(), n);
    EXPECT_TRUE(std::is_sorted(seq.begin(), seq.end()));
    EXPECT_EQ(std::set<std::string>(seq.begin(), seq.end()).size(), n);
    for (const auto& r : seq) EXPECT_TRUE(IsValidRank(r)) << r;
    EXPECT_LE(seq.back().size(), 5u);
  }
}

}  // namespace
}  // namespace portico::domain

#include "domain/stock.h"

namespace portico::domain {
namespace {

TEST(Stock, QuantitiesHaveAtMostThreeDecimals) {
  EXPECT_EQ(*ToMilli(1.5), 1500);
  EXPECT_EQ(*ToMilli(0.001), 1);
  EXPECT_EQ(*ToMilli(-2.25), -2250);
  EXPECT_EQ(*ToMilli(0.1 + 0.2), 300);  // binary noise is not a fourth decimal
  EXPECT_FALSE(ToMilli(0.0005));
  EXPECT_FALSE(ToMilli(1e13));
  EXPECT_DOUBLE_EQ(FromMilli(1250), 1.25);
}

TEST(Stock, NeverBelowZeroAndTheReorderCrossing) {
  EXPECT_EQ(*ApplyMovement(1000, -1000), 0);
  EXPECT_FALSE(ApplyMovement(1000, -1001));
  EXPECT_FALSE(ApplyMovement(0, -1));
  EXPECT_FALSE(ApplyMovement(kMaxStockMilli, 1));
  EXPECT_TRUE(IsLow(5000, 5000));
  EXPECT_FALSE(IsLow(5001, 5000));
  EXPECT_TRUE(CrossesReorderLevel(6000, 5000, 5000));
  EXPECT_FALSE(CrossesReorderLevel(5000, 4000, 5000));  // already low: told once
  EXPECT_FALSE(CrossesReorderLevel(7000, 6000, 5000));
  EXPECT_EQ(*LineCents(1500, 1999), 2999);  // 1.5 x 19.99 = 29.985 -> 29.99
  EXPECT_EQ(*LineCents(3, 100), 0);
}

}  // namespace
}  // namespace portico::domain
