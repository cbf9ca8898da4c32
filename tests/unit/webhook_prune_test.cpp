// Event pruning and webhook endpoints (issue 14): pruning never outruns an active endpoint that has not
// queued its tenant's events yet, up to a cap (domain::kWebhookPruneHoldSeconds past the retention period);
// disabled endpoints and other tenants' endpoints hold nothing back. On SQLite and, when
// PORTICO_TEST_PG_URL names a PostgreSQL server, on a new PostgreSQL database.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include "fresh_postgres.h"
#include "domain/webhook_rules.h"
#include "services/notifications.h"
#include "storage/db.h"

namespace portico::services {
namespace {

constexpr std::int64_t kDay = 86400;

std::vector<std::int64_t> EventIds(storage::Database& db) {
  static constexpr storage::Sql kIds{"test_event_ids", "SELECT id FROM events ORDER BY id"};
  auto tx = db.Read();
  std::vector<std::int64_t> out;
  for (const auto& r : tx->conn().Query(kIds)) out.push_back(r.Int(0));
  return out;
}

void SetCursor(storage::Database& db, std::int64_t endpoint, std::int64_t cursor) {
  static constexpr storage::Sql kSet{"test_set_cursor", "UPDATE webhook_endpoints SET event_cursor = $2 WHERE id = $1"};
  auto tx = db.Write();
  tx->conn().Execute(kSet, {endpoint, cursor});
  tx->Commit();
}

class WebhookPruneTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto url = test_support::FreshPostgres("prune");
      if (url.empty()) GTEST_SKIP() << "PORTICO_TEST_PG_URL is not set";
      db_ = storage::OpenDatabase(url, 2);
    } else {
      path_ = std::filesystem::temp_directory_path() / ("portico-prune-" + std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path_);
      db_ = storage::OpenDatabase("sqlite://" + path_.string(), 2);
    }
    db_->Migrate();
    // Events 1-3 of tenant 1 and 4-5 of tenant 2 occurred on day 5; event 6 (tenant 1) on day 40. Tenant 1's
    // active endpoint has queued up to event 1 only; tenant 2's endpoint is disabled, far behind.
    auto tx = db_->Write();
    tx->conn().ExecuteScript(
        "INSERT INTO tenants (id, slug, name, branding, created_at, updated_at) VALUES "
        "  (1, 't1', 'T1', '{}', 0, 0), (2, 't2', 'T2', '{}', 0, 0);"
        "INSERT INTO events (id, tenant_id, type, data, occurred_at) VALUES "
        "  (1, 1, 'repair.created', '{}', 432000), (2, 1, 'repair.created', '{}', 432000),"
        "  (3, 1, 'repair.created', '{}', 432000), (4, 2, 'repair.created', '{}', 432000),"
        "  (5, 2, 'repair.created', '{}', 432000), (6, 1, 'repair.created', '{}', 3456000);"
        "INSERT INTO worker_cursors (name, last_event_id) VALUES ('notifications', 6);"
        "INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, secret, active, event_cursor, "
        "  created_at, updated_at) VALUES "
        "  (1, 1, 'https://a.example/', '[\"*\"]', '', 's', 1, 1, 0, 0),"
        "  (2, 2, 'https://b.example/', '[\"*\"]', '', 's', 0, 0, 0, 0);");
    tx->Commit();
  }
  void TearDown() override {
    db_.reset();
    if (!path_.empty()) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::unique_ptr<storage::Database> db_;
  std::filesystem::path path_;
};

TEST_P(WebhookPruneTest, ALaggingActiveEndpointHoldsPruningBackUpToTheCap) {
  Config config;
  config.event_retention_days = 30;
  FakeClock clock(41 * kDay);  // retention boundary: day 11; the cap's: day 4
  NotificationWorker worker(Deps{*db_, clock, config}, nullptr, false);
  // Event 1 (queued), 4 and 5 (tenant 2: its endpoint is disabled) go; 2 and 3 wait for the endpoint.
  EXPECT_EQ(worker.PruneOldEvents(), 3);
  EXPECT_EQ(EventIds(*db_), (std::vector<std::int64_t>{2, 3, 6}));
  // The endpoint catches up to event 2: that one goes too.
  SetCursor(*db_, 1, 2);
  EXPECT_EQ(worker.PruneOldEvents(), 1);
  EXPECT_EQ(EventIds(*db_), (std::vector<std::int64_t>{3, 6}));
  // Past retention + the cap (7 days), event 3 goes although the endpoint never queued it; 6 stays (young).
  static_assert(domain::kWebhookPruneHoldSeconds == 7 * kDay);
  clock.Advance(2 * kDay);  // the cap's boundary: day 6 > day 5
  EXPECT_EQ(worker.PruneOldEvents(), 1);
  EXPECT_EQ(EventIds(*db_), (std::vector<std::int64_t>{6}));
}

TEST_P(WebhookPruneTest, NeverEventsTheNotificationWorkerHasNotRead) {
  {
    static constexpr storage::Sql kBack{"test_cursor_back", "UPDATE worker_cursors SET last_event_id = 3"};
    auto tx = db_->Write();
    tx->conn().Execute(kBack);
    tx->Commit();
  }
  SetCursor(*db_, 1, 6);
  Config config;
  config.event_retention_days = 30;
  FakeClock clock(100 * kDay);  // everything is past the cap
  NotificationWorker worker(Deps{*db_, clock, config}, nullptr, false);
  EXPECT_EQ(worker.PruneOldEvents(), 3);
  EXPECT_EQ(EventIds(*db_), (std::vector<std::int64_t>{4, 5, 6}));
}

TEST(WebhookRulesTest, AnEndpointIsSpentAfterTheWindowOrWhenALoneDeliveryGivesUp) {
  using domain::WebhookEndpointSpent;
  EXPECT_FALSE(WebhookEndpointSpent(1000, 1000 + kDay - 1, false, 1000));
  EXPECT_TRUE(WebhookEndpointSpent(1000, 1000 + kDay, false, 1000));
  // The last retry of a lone delivery comes before the day is over, and then it gives up: spent.
  EXPECT_TRUE(WebhookEndpointSpent(1000, 1000 + kDay - 3600, true, 1000));
  // A delivery that gives up while another one got through since its first attempt: not spent.
  EXPECT_FALSE(WebhookEndpointSpent(5000, 5000 + 60, true, 1000));
  // A shorter window (config webhooks.retry_window_seconds, tests).
  EXPECT_TRUE(WebhookEndpointSpent(1000, 1003, false, 1000, 3));
  EXPECT_TRUE(domain::WebhookMayRetry(1000, 1003, 3));
  EXPECT_FALSE(domain::WebhookMayRetry(1000, 1004, 3));
}

INSTANTIATE_TEST_SUITE_P(Dialects, WebhookPruneTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Postgres" : "Sqlite"; });

}  // namespace
}  // namespace portico::services
