// Storage tests on a real SQLite file and, when PORTICO_TEST_PG_URL names a PostgreSQL server (scripts/test
// starts one), on a new PostgreSQL database: migrations, the repair_counts triggers, event pruning and the
// visibility of events per scope, plus the PostgreSQL driver's own behaviour.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "fresh_postgres.h"
#include "core/error.h"

#include "storage/db.h"
#include "storage/notifications_repository.h"
#include "storage/repairs_repository.h"

namespace portico::storage {
namespace {

class StorageTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::kPostgres) {
      auto url = test_support::FreshPostgres("unit");
      if (url.empty()) GTEST_SKIP() << "PORTICO_TEST_PG_URL is not set (scripts/test sets it)";
      db_ = OpenDatabase(url, 4);
    } else {
      path_ = std::filesystem::temp_directory_path() /
              ("portico-storage-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
               std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path_);
      db_ = OpenDatabase("sqlite://" + path_.string(), 2);
    }
    EXPECT_GE(db_->Migrate(), 3);
    auto tx = db_->Write();
    static constexpr Sql kSeed{"seed", "SELECT 1"};
    tx->conn().Query(kSeed);
    tx->conn().ExecuteScript(
        "INSERT INTO tenants (id, slug, name, branding, created_at, updated_at) VALUES (1, 't', 'T', '{}', 0, 0);"
        "INSERT INTO customers (id, tenant_id, name, created_at, updated_at) VALUES (10, 1, 'A', 0, 0), (20, 1, 'B', 0, 0);"
        "INSERT INTO units (id, tenant_id, customer_id, unit_number, created_at, updated_at) VALUES (1, 1, 10, 'U', 0, 0);");
    tx->Commit();
  }
  void TearDown() override {
    db_.reset();
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::int64_t Count(const std::string& status, CustomerId customer) {
    auto tx = db_->Read();
    static constexpr Sql kCount{"test_count", "SELECT COALESCE(SUM(n), 0) FROM repair_counts WHERE customer_id = $1 AND status = $2"};
    return tx->conn().Query(kCount, {customer.value, status}).front().Int(0);
  }

  RepairId Insert(const std::string& status) {
    RepairRecord r;
    r.tenant = TenantId(1);
    r.customer = CustomerId(10);
    r.unit = UnitId(1);
    r.unit_number = "U";
    r.status = status;
    r.description = "chip";
    r.repair_date = "2024-05-01";
    auto tx = db_->Write();
    auto id = InsertRepair(tx->conn(), r);
    tx->Commit();
    return id;
  }

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

TEST_P(StorageTest, RepairCountsFollowInsertsMovesAndDeletes) {
  auto a = Insert("REQUESTED");
  Insert("REQUESTED");
  EXPECT_EQ(Count("REQUESTED", CustomerId(10)), 2);
  policy::CustomerScope staff{TenantId(1), true, {}};
  {
    auto tx = db_->Write();
    auto r = FindRepair(tx->conn(), staff, a);
    ASSERT_TRUE(r);
    const std::string stored = r->status;
    r->status = "APPROVED";
    r->board_rank = "m";
    EXPECT_TRUE(UpdateRepair(tx->conn(), *r, 1));
    EXPECT_FALSE(UpdateRepair(tx->conn(), *r, 2)) << "a stale version must not write";
    // AsUpdated is the row the update wrote, as a read gives it back (a move answers with it).
    auto expected = AsUpdated(*r, stored, 1);
    auto read = FindRepair(tx->conn(), staff, a);
    ASSERT_TRUE(read);
    EXPECT_EQ(expected.version, read->version);
    EXPECT_EQ(expected.updated_at, read->updated_at);
    EXPECT_EQ(expected.status, read->status);
    EXPECT_EQ(expected.board_rank, read->board_rank);
    tx->Commit();
  }
  EXPECT_EQ(Count("REQUESTED", CustomerId(10)), 1);
  EXPECT_EQ(Count("APPROVED", CustomerId(10)), 1);
  {
    auto tx = db_->Write();
    static constexpr Sql kDelete{"test_delete", "DELETE FROM repairs WHERE id = $1"};
    tx->conn().Execute(kDelete, {a.value});
    tx->Commit();
  }
  EXPECT_EQ(Count("APPROVED", CustomerId(10)), 0);
  // The list's total (from the counts) equals a real count.
  auto tx = db_->Read();
  auto page = ListRepairs(tx->conn(), staff, RepairFilter{}, PageRequest{});
  EXPECT_EQ(page.count, 1);
  EXPECT_EQ(page.results.size(), 1u);
}

TEST_P(StorageTest, CustomerScopesSeeOnlyTheirCustomersAndEmptyScopesNothing) {
  Insert("PENDING");
  auto tx = db_->Read();
  policy::CustomerScope own{TenantId(1), false, {CustomerId(10)}};
  policy::CustomerScope other{TenantId(1), false, {CustomerId(20)}};
  policy::CustomerScope none{TenantId(1), false, {}};
  policy::CustomerScope other_tenant{TenantId(2), true, {}};
  EXPECT_EQ(ListRepairs(tx->conn(), own, {}, {}).count, 1);
  EXPECT_EQ(ListRepairs(tx->conn(), other, {}, {}).count, 0);
  EXPECT_EQ(ListRepairs(tx->conn(), other, {}, {}).results.size(), 0u);
  EXPECT_EQ(ListRepairs(tx->conn(), none, {}, {}).results.size(), 0u);
  EXPECT_EQ(ListRepairs(tx->conn(), other_tenant, {}, {}).results.size(), 0u);
}

TEST_P(StorageTest, EventsArePrunedByAgeButNeverPastTheWorkersCursor) {
  {
    auto tx = db_->Write();
    for (int i = 0; i < 5; ++i) {
      EventRecord e;
      e.tenant = TenantId(1);
      e.type = "repair.updated";
      e.customer = CustomerId(10);
      e.occurred_at = i < 4 ? 100 : 10'000;  // four old ones, one new
      InsertEvent(tx->conn(), e);
    }
    SetCursor(tx->conn(), "notifications", 2);  // the worker has read the first two only
    tx->Commit();
  }
  auto tx = db_->Write();
  EXPECT_EQ(PruneEvents(tx->conn(), 5'000, GetCursor(tx->conn(), "notifications"), 100), 2);
  SetCursor(tx->conn(), "notifications", 5);
  EXPECT_EQ(PruneEvents(tx->conn(), 5'000, 5, 100), 2);
  policy::CustomerScope staff{TenantId(1), true, {}};
  auto left = ListEventsAfter(tx->conn(), staff, UserId(1), 0, 100);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.front().occurred_at, 10'000);
}

TEST_P(StorageTest, InternalAndUserAddressedEventsFollowTheirAudience) {
  auto tx = db_->Write();
  auto add = [&](std::optional<CustomerId> customer, bool internal, std::optional<UserId> user) {
    EventRecord e;
    e.tenant = TenantId(1);
    e.type = "x";
    e.customer = customer;
    e.internal = internal;
    e.user = user;
    e.occurred_at = 1;
    return InsertEvent(tx->conn(), e);
  };
  auto visible = add(CustomerId(10), false, std::nullopt);
  add(CustomerId(10), true, std::nullopt);    // internal note
  add(CustomerId(20), false, std::nullopt);   // another customer
  auto mine = add(std::nullopt, false, UserId(7));  // addressed to user 7
  add(std::nullopt, false, UserId(8));        // addressed to user 8
  policy::CustomerScope customer{TenantId(1), false, {CustomerId(10)}};
  auto got = ListEventsAfter(tx->conn(), customer, UserId(7), 0, 100);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, visible);
  EXPECT_EQ(got[1].id, mine);
  policy::CustomerScope staff{TenantId(1), true, {}};
  EXPECT_EQ(ListEventsAfter(tx->conn(), staff, UserId(1), 0, 100).size(), 3u);  // not others' notifications
}

// Durable commits (issue 15): WAL with synchronous=FULL (2) unless the setting relaxes it to NORMAL (1).
TEST_P(StorageTest, SqliteCommitsAreFullySynchronousByDefault) {
  if (GetParam() != Dialect::kSqlite) GTEST_SKIP() << "a SQLite setting";
  static constexpr Sql kSynchronous{"test_synchronous", "PRAGMA synchronous"};
  static constexpr Sql kJournal{"test_journal", "PRAGMA journal_mode"};
  {
    auto tx = db_->Write();
    EXPECT_EQ(tx->conn().Query(kSynchronous).front().Int(0), 2);
    EXPECT_EQ(tx->conn().Query(kJournal).front().Text(0), "wal");
  }
  {
    auto tx = db_->Read();
    EXPECT_EQ(tx->conn().Query(kSynchronous).front().Int(0), 2);
  }
  db_.reset();
  db_ = OpenDatabase("sqlite://" + path_.string(), 2, {.synchronous = Synchronous::kNormal});
  auto tx = db_->Write();
  EXPECT_EQ(tx->conn().Query(kSynchronous).front().Int(0), 1);
}

TEST_P(StorageTest, AUniqueViolationIsAConflictAndChangesNothing) {
  static constexpr Sql kTenant{"test_insert_tenant",
                               "INSERT INTO tenants (slug, name, branding, created_at, updated_at) "
                               "VALUES ($1, 'Again', '{}', 0, 0)"};
  static constexpr Sql kCount{"test_count_tenants", "SELECT COUNT(*) FROM tenants"};
  try {
    auto tx = db_->Write();
    tx->conn().Execute(kTenant, {std::string("t")});
    tx->Commit();
    FAIL() << "a second tenant 't' was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict) << e.internal();
  }
  auto tx = db_->Read();
  EXPECT_EQ(tx->conn().Query(kCount).front().Int(0), 1);
}

TEST_P(StorageTest, ValuesRoundTripWithTheirTypes) {
  static constexpr Sql kEcho{"test_echo",
                             "SELECT CAST($1 AS BIGINT), CAST($2 AS DOUBLE PRECISION), CAST($3 AS TEXT), "
                             "CAST($4 AS TEXT), COUNT(*) FROM tenants"};
  auto tx = db_->Read();
  auto row = tx->conn().QueryOne(kEcho, {std::int64_t{9007199254740993}, 20.125, std::string("ünï 'x' \"y\""), nullptr});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->Int(0), 9007199254740993);
  EXPECT_DOUBLE_EQ(row->Real(1), 20.125);
  EXPECT_EQ(row->Text(2), "ünï 'x' \"y\"");
  EXPECT_TRUE(row->IsNull(3));
  EXPECT_EQ(row->Int(4), 1);
}

TEST_P(StorageTest, OfConcurrentVersionedUpdatesExactlyOneWins) {
  auto id = Insert("APPROVED");
  RepairRecord base;
  {
    auto tx = db_->Read();
    base = *FindRepair(tx->conn(), {TenantId(1), true, {}}, id);
  }
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto tx = db_->Write();
      RepairRecord r = base;  // every thread read version 1
      r.status = i % 2 ? "IN_PROGRESS" : "CANCELLED";
      if (UpdateRepair(tx->conn(), r, 1, false)) ++wins;
      tx->Commit();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_P(StorageTest, FullTextSearchFindsWordPrefixesOnly) {
  Insert("PENDING");  // description "chip", unit "U"
  auto tx = db_->Read();
  policy::CustomerScope staff{TenantId(1), true, {}};
  RepairFilter f;
  f.q = "CHI";
  EXPECT_EQ(ListRepairs(tx->conn(), staff, f, {}).count, 1);
  f.q = "hip";
  EXPECT_EQ(ListRepairs(tx->conn(), staff, f, {}).count, 0);
  f.q = "chip u";
  EXPECT_EQ(ListRepairs(tx->conn(), staff, f, {}).count, 1);
  f.q = "chip zz";
  EXPECT_EQ(ListRepairs(tx->conn(), staff, f, {}).count, 0);
}

TEST_P(StorageTest, ACommittedEventIsHeardByEveryListener) {
  if (GetParam() != Dialect::kPostgres) GTEST_SKIP() << "SQLite has one process and no listener";
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> heard;
  auto listener = db_->Listen("portico_events", [&](const std::string& p) {
    std::lock_guard lock(m);
    heard.push_back(p);
    cv.notify_all();
  }, nullptr);
  ASSERT_TRUE(listener);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // LISTEN issued
  EventRecord e;
  e.tenant = TenantId(1);
  e.type = "repair.created";
  e.customer = CustomerId(10);
  e.occurred_at = 1;
  EventRecord told;  // a notification's event, for one user: no worker acts on it
  told.tenant = TenantId(1);
  told.type = "notification.created";
  told.user = UserId(1);
  told.occurred_at = 1;
  std::int64_t id = 0, told_id = 0;
  {
    auto tx = db_->Write();
    id = InsertEvent(tx->conn(), e);
    told_id = InsertEvent(tx->conn(), told);
    tx->Commit();
  }
  std::unique_lock lock(m);
  cv.wait_for(lock, std::chrono::seconds(10), [&] { return heard.size() >= 2; });
  ASSERT_EQ(heard.size(), 2u);
  // id,tenant,customer,internal,user,all_customers,wakes_workers
  EXPECT_EQ(heard[0], std::to_string(id) + ",1,10,0,,0,1");
  EXPECT_EQ(heard[1], std::to_string(told_id) + ",1,,0,1,0,0");
  EXPECT_TRUE(EventWakesWorkers("repair.status_changed"));
  EXPECT_FALSE(EventWakesWorkers("notification.created"));
}

// Connection::ExecuteLater: on PostgreSQL sent with the next statement or the COMMIT. What it wrote is
// committed with the transaction, dropped with a rollback, and its error fails the transaction as a whole.
TEST_P(StorageTest, ExecuteLaterCommitsAndRollsBackWithItsTransaction) {
  static constexpr Sql kInsert{"test_later_customer",
                               "INSERT INTO customers (tenant_id, name, created_at, updated_at) VALUES (1, $1, 0, 0)"};
  static constexpr Sql kTenant{"test_later_tenant",
                               "INSERT INTO tenants (slug, name, branding, created_at, updated_at) "
                               "VALUES ($1, 'Again', '{}', 0, 0)"};
  static constexpr Sql kCount{"test_later_count", "SELECT COUNT(*) FROM customers WHERE name = $1"};
  auto count = [&](const std::string& name) {
    auto tx = db_->ReadEach();
    return tx->conn().Query(kCount, {name}).front().Int(0);
  };
  {  // alone in its transaction: goes with the BEGIN and the COMMIT
    auto tx = db_->Write();
    tx->conn().ExecuteLater(kInsert, {std::string("later-alone")});
    tx->Commit();
  }
  EXPECT_EQ(count("later-alone"), 1);
  {  // before a statement, which sees what it wrote
    auto tx = db_->Write();
    tx->conn().ExecuteLater(kInsert, {std::string("later-seen")});
    EXPECT_EQ(tx->conn().Query(kCount, {std::string("later-seen")}).front().Int(0), 1);
    tx->Commit();
  }
  EXPECT_EQ(count("later-seen"), 1);
  {  // rolled back
    auto tx = db_->Write();
    tx->conn().Query(kCount, {std::string("x")});
    tx->conn().ExecuteLater(kInsert, {std::string("later-dropped")});
  }
  EXPECT_EQ(count("later-dropped"), 0);
  try {  // its error: the transaction fails as a whole, at the commit at the latest
    auto tx = db_->Write();
    tx->conn().ExecuteLater(kInsert, {std::string("later-failed")});
    tx->conn().ExecuteLater(kTenant, {std::string("t")});  // tenant 't' exists
    tx->Commit();
    FAIL() << "a second tenant 't' was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict) << e.internal();
  }
  EXPECT_EQ(count("later-failed"), 0);
  {  // the pooled connection is clean afterwards
    auto tx = db_->Write();
    tx->conn().ExecuteLater(kInsert, {std::string("later-after")});
    tx->Commit();
  }
  EXPECT_EQ(count("later-after"), 1);
}

// PostgreSQL's plan cache mode (storage::PlanChoice): each statement runs in the mode it asks for, inside a
// transaction (SET LOCAL) and outside one (ReadEach: the session's mode), also after a statement failed
// together with a session SET (the connection is then not pooled again).
TEST_P(StorageTest, EachStatementRunsInThePlanModeItAsksFor) {
  if (GetParam() != Dialect::kPostgres) GTEST_SKIP() << "SQLite has no plan cache mode";
  static constexpr Sql kGenericMode{"test_mode_generic", "SELECT current_setting('plan_cache_mode')",
                                    PlanChoice::kGeneric};
  static constexpr Sql kAutoMode{"test_mode_auto", "SELECT current_setting('plan_cache_mode') AS m",
                                 PlanChoice::kAuto};
  static constexpr Sql kEitherMode{"test_mode_either", "SELECT current_setting('plan_cache_mode') AS e",
                                   PlanChoice::kEither};
  static constexpr Sql kFails{"test_mode_fails", "SELECT 1 / ($1::int - $1::int)", PlanChoice::kAuto};
  auto mode = [](Connection& c, const Sql& sql) { return c.Query(sql).front().Text(0); };
  for (int round = 0; round < 3; ++round) {
    {
      auto tx = db_->ReadEach();
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
      EXPECT_EQ(mode(tx->conn(), kEitherMode), "force_generic_plan");  // no switch for a statement that does not care
      EXPECT_EQ(mode(tx->conn(), kAutoMode), "auto");
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
    }
    {
      auto tx = db_->Read();  // a transaction on a connection whose session mode is generic now
      EXPECT_EQ(mode(tx->conn(), kAutoMode), "auto");
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
    }
    {
      auto tx = db_->Write();
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
      EXPECT_EQ(mode(tx->conn(), kAutoMode), "auto");
      tx->Commit();
    }
    {
      auto tx = db_->ReadEach();  // after the SET LOCALs ended: the session's mode, whatever it is
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
      EXPECT_THROW(tx->conn().Query(kFails, {std::int64_t{1}}), Error);  // fails with its session SET
    }
    {
      auto tx = db_->ReadEach();
      EXPECT_EQ(mode(tx->conn(), kAutoMode), "auto");
      EXPECT_EQ(mode(tx->conn(), kGenericMode), "force_generic_plan");
    }
  }
}

// Group commit (sqlite_database.h): concurrent writers share batches, yet each commit is its own: what
// was committed is there, what was rolled back (in the middle of a batch) is not, and each Commit()
// returned only after its batch was committed.
TEST_P(StorageTest, ConcurrentWritesCommitTogetherAndRollBackAlone) {
  if (GetParam() != Dialect::kSqlite) GTEST_SKIP() << "the SQLite writer's group commit";
  static constexpr Sql kInsert{"test_insert_customer",
                               "INSERT INTO customers (tenant_id, name, created_at, updated_at) VALUES (1, $1, 0, 0)"};
  static constexpr Sql kCount{"test_count_group", "SELECT COUNT(*) FROM customers WHERE name LIKE 'g-%'"};
  static constexpr Sql kCountRolledBack{"test_count_rolled_back", "SELECT COUNT(*) FROM customers WHERE name LIKE 'g-%-x'"};
  std::atomic<int> committed{0};
  std::atomic<int> visible_after_commit{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const bool roll_back = (i % 7) == 3;
        auto tx = db_->Write();
        tx->conn().Execute(kInsert, {"g-" + std::to_string(t) + "-" + std::to_string(i) + (roll_back ? "-x" : "")});
        if (roll_back) continue;  // destroyed without Commit(): rolled back
        tx->Commit();
        ++committed;
        // Acknowledged means committed: a new read transaction sees it at once.
        static constexpr Sql kOne{"test_one", "SELECT COUNT(*) FROM customers WHERE name = $1"};
        auto rd = db_->Read();
        if (rd->conn().Query(kOne, {"g-" + std::to_string(t) + "-" + std::to_string(i)}).front().Int(0) == 1) {
          ++visible_after_commit;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto tx = db_->Read();
  EXPECT_EQ(tx->conn().Query(kCount).front().Int(0), committed.load());
  EXPECT_EQ(tx->conn().Query(kCountRolledBack).front().Int(0), 0);
  EXPECT_EQ(visible_after_commit.load(), committed.load());
  EXPECT_EQ(committed.load(), 6 * (40 - 6));
}

INSTANTIATE_TEST_SUITE_P(Databases, StorageTest, ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace portico::storage
