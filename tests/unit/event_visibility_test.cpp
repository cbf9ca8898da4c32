// Issue 16: who sees which event of the live-update log. One permit/forbid matrix checked three ways: the
// rule itself (policy::MaySeeEvent), the SQL of storage::ListEventsAfter (SQLite; PostgreSQL too when
// PORTICO_TEST_PG_URL is set) and the in-memory ring (services::EventRing) that woken streams read. Then
// the ring's own contract: id order, no holes, its bounds and when it declines to answer.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fresh_postgres.h"
#include "policy/event_visibility.h"
#include "services/event_ring.h"
#include "storage/db.h"
#include "storage/repairs_repository.h"

namespace portico {
namespace {

using policy::CustomerScope;
using storage::EventRecord;

struct Viewer {
  const char* name;
  CustomerScope scope;
  UserId user;
};

struct Ev {
  const char* name;
  EventRecord record;
};

CustomerScope Staff(std::int64_t tenant) { return {TenantId(tenant), true, {}}; }
CustomerScope Customers(std::int64_t tenant, std::vector<CustomerId> ids) { return {TenantId(tenant), false, std::move(ids)}; }

std::vector<Viewer> Viewers() {
  return {{"staff", Staff(1), UserId(1)},
          {"customer user of customer 10", Customers(1, {CustomerId(10)}), UserId(2)},
          {"customer user of customer 20", Customers(1, {CustomerId(20)}), UserId(3)},
          {"customer user without customers", Customers(1, {}), UserId(4)},
          {"staff of tenant 2", Staff(2), UserId(5)}};
}

EventRecord Make(std::int64_t tenant, std::optional<std::int64_t> customer, bool internal,
                 std::optional<std::int64_t> user, bool all_customers) {
  EventRecord e;
  e.tenant = TenantId(tenant);
  e.type = "test.event";
  if (customer) e.customer = CustomerId(*customer);
  e.internal = internal;
  if (user) e.user = UserId(*user);
  e.all_customers = all_customers;
  e.data = "{}";
  e.occurred_at = 1000;
  return e;
}

std::vector<Ev> Events() {
  return {{"about customer 10", Make(1, 10, false, std::nullopt, false)},
          {"internal, about customer 10", Make(1, 10, true, std::nullopt, false)},
          {"addressed to user 2", Make(1, std::nullopt, false, 2, false)},
          {"addressed to user 2, internal", Make(1, std::nullopt, true, 2, false)},
          {"addressed to user 2, about customer 20", Make(1, 20, false, 2, false)},
          {"addressed to user 1 (staff)", Make(1, std::nullopt, false, 1, false)},
          {"announcement for all customers", Make(1, std::nullopt, false, std::nullopt, true)},
          {"internal announcement for all customers", Make(1, std::nullopt, true, std::nullopt, true)},
          {"tenant-wide, no customer", Make(1, std::nullopt, false, std::nullopt, false)},
          {"tenant 2, about customer 10", Make(2, 10, false, std::nullopt, false)},
          {"tenant 2, addressed to user 2", Make(2, std::nullopt, false, 2, false)},
          {"tenant 2, announcement for all customers", Make(2, std::nullopt, false, std::nullopt, true)}};
}

/// The matrix: which events each viewer sees (by name); every other pair is forbidden.
std::map<std::string, std::vector<std::string>> Permitted() {
  return {{"staff",
           {"about customer 10", "internal, about customer 10", "addressed to user 1 (staff)",
            "announcement for all customers", "internal announcement for all customers", "tenant-wide, no customer"}},
          {"customer user of customer 10",
           {"about customer 10", "addressed to user 2", "addressed to user 2, internal",
            "addressed to user 2, about customer 20", "announcement for all customers"}},
          {"customer user of customer 20", {"announcement for all customers"}},
          {"customer user without customers", {}},
          {"staff of tenant 2",
           {"tenant 2, about customer 10", "tenant 2, announcement for all customers"}}};
}

policy::EventAudience AudienceOf(const EventRecord& e) {
  return {e.tenant, e.customer, e.internal, e.user, e.all_customers};
}

bool Permits(const std::string& viewer, const std::string& event) {
  static const auto permitted = Permitted();
  const auto& names = permitted.at(viewer);
  return std::find(names.begin(), names.end(), event) != names.end();
}

TEST(EventVisibility, MatrixOfTheRule) {
  for (const auto& v : Viewers()) {
    for (const auto& e : Events()) {
      EXPECT_EQ(policy::MaySeeEvent(v.scope, v.user, AudienceOf(e.record)), Permits(v.name, e.name))
          << v.name << " / " << e.name;
    }
  }
}

class EventVisibilitySql : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Dialect::kPostgres) {
      auto url = test_support::FreshPostgres("unit_ev");
      if (url.empty()) GTEST_SKIP() << "PORTICO_TEST_PG_URL is not set";
      db_ = storage::OpenDatabase(url, 2);
    } else {
      path_ = std::filesystem::temp_directory_path() / ("portico-event-visibility-" + std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path_);
      db_ = storage::OpenDatabase("sqlite://" + path_.string(), 2);
    }
    db_->Migrate();
  }
  void TearDown() override {
    db_.reset();
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::unique_ptr<storage::Database> db_;
  std::filesystem::path path_;
};

TEST_P(EventVisibilitySql, SqlAndRingFollowTheSameMatrix) {
  std::map<std::int64_t, std::string> name_of;
  {
    auto tx = db_->Write();
    for (const auto& e : Events()) name_of[storage::InsertEvent(tx->conn(), e.record)] = e.name;
    tx->Commit();
  }
  services::EventRing ring;
  ring.Reset(0);
  {
    auto tx = db_->Read();
    ring.Append(storage::ListAllEventsAfter(tx->conn(), 0, 100));
  }
  ASSERT_EQ(ring.size(), Events().size());
  for (const auto& v : Viewers()) {
    std::vector<std::string> expected;
    for (const auto& e : Events()) {
      if (Permits(v.name, e.name)) expected.push_back(e.name);
    }
    auto names = [&](const std::vector<EventRecord>& list) {
      std::vector<std::string> out;
      for (const auto& e : list) out.push_back(name_of.at(e.id));
      return out;
    };
    auto tx = db_->Read();
    EXPECT_EQ(names(storage::ListEventsAfter(tx->conn(), v.scope, v.user, 0, 100)), expected) << v.name << " (SQL)";
    auto from_ring = ring.Read(v.scope, v.user, 0, ring.covered(), 100);
    ASSERT_TRUE(from_ring);
    EXPECT_EQ(names(*from_ring), expected) << v.name << " (ring)";
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, EventVisibilitySql,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         [](const auto& info) { return info.param == storage::Dialect::kSqlite ? "Sqlite" : "Postgres"; });

std::vector<EventRecord> Numbered(std::int64_t from, std::int64_t to, std::int64_t step = 1) {
  std::vector<EventRecord> out;
  for (auto id = from; id <= to; id += step) {
    auto e = Make(1, 10, false, std::nullopt, false);
    e.id = id;
    out.push_back(e);
  }
  return out;
}

std::vector<std::int64_t> Ids(const std::optional<std::vector<EventRecord>>& list) {
  std::vector<std::int64_t> out;
  if (list) {
    for (const auto& e : *list) out.push_back(e.id);
  }
  return out;
}

TEST(EventRing, AnswersOnlyWhatItCovers) {
  services::EventRing ring;
  const auto staff = Staff(1);
  EXPECT_FALSE(ring.Read(staff, UserId(1), 0, 100, 10)) << "not started";
  ring.Reset(5);
  EXPECT_FALSE(ring.Read(staff, UserId(1), 4, 100, 10)) << "older than the ring: the database answers";
  EXPECT_EQ(Ids(ring.Read(staff, UserId(1), 5, 100, 10)), std::vector<std::int64_t>{});
  ring.Append(Numbered(6, 20, 2));  // ids with gaps (rolled back transactions) are fine
  EXPECT_EQ(ring.covered(), 20);
  EXPECT_EQ(Ids(ring.Read(staff, UserId(1), 9, 100, 10)), (std::vector<std::int64_t>{10, 12, 14, 16, 18, 20}));
  EXPECT_EQ(Ids(ring.Read(staff, UserId(1), 9, 100, 2)), (std::vector<std::int64_t>{10, 12})) << "limit";
  EXPECT_EQ(Ids(ring.Read(staff, UserId(1), 9, 14, 10)), (std::vector<std::int64_t>{10, 12, 14})) << "up_to";
  ring.Append(Numbered(16, 22, 2));  // what it already holds is ignored: no duplicates
  EXPECT_EQ(Ids(ring.Read(staff, UserId(1), 17, 100, 10)), (std::vector<std::int64_t>{18, 20, 22}));
  ring.MarkStale();
  EXPECT_FALSE(ring.Read(staff, UserId(1), 17, 100, 10)) << "after a failed fill";
  ring.Append({});
  EXPECT_TRUE(ring.Read(staff, UserId(1), 17, 100, 10));
  EXPECT_FALSE(ring.Read(Customers(1, {CustomerId(20)}), UserId(3), 5, 100, 10)->size());
}

TEST(EventRing, KeepsTheNewestWithinItsBounds) {
  services::EventRing ring;
  ring.Reset(0);
  ring.Append(Numbered(1, services::EventRing::kMaxEvents + 100));
  EXPECT_EQ(ring.size(), services::EventRing::kMaxEvents);
  EXPECT_EQ(ring.floor(), 100);
  EXPECT_FALSE(ring.Read(Staff(1), UserId(1), 99, ring.covered(), 10)) << "evicted: the database answers";
  EXPECT_EQ(Ids(ring.Read(Staff(1), UserId(1), 100, ring.covered(), 1)), std::vector<std::int64_t>{101});
  // Large events: the byte bound evicts first.
  services::EventRing big;
  big.Reset(0);
  auto events = Numbered(1, 20);
  for (auto& e : events) e.data = std::string(1 << 20, 'x');
  big.Append(std::move(events));
  EXPECT_LT(big.size(), 9u);
  EXPECT_EQ(big.floor(), 20 - static_cast<std::int64_t>(big.size()));
}

}  // namespace
}  // namespace portico
