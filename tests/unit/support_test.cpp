// Support content below the HTTP layer: RFC 3339 parsing, character counting, and the storage scopes of
// announcements (addressing, window) and of events addressed to every customer.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/clock.h"
#include "services/support_service.h"
#include "storage/db.h"
#include "storage/repairs_repository.h"
#include "storage/support_repository.h"

namespace portico {
namespace {

TEST(ParseTimestamp, AcceptsRfc3339AndRejectsTheRest) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2024-05-01T08:30:00Z"), 1714552200);
  EXPECT_EQ(ParseTimestamp("2024-05-01T08:30:00.123Z"), 1714552200);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:30:00+02:00"), 1714552200);
  EXPECT_EQ(ParseTimestamp("2024-05-01T03:30:00-05:00"), 1714552200);
  for (const char* bad : {"", "2024-05-01", "2024-05-01 08:30:00Z", "2024-05-01T08:30:00", "2024-02-30T00:00:00Z",
                          "2024-05-01T24:00:00Z", "2024-05-01T08:30:00+2:00", "tomorrow", "2024-05-01T08:30:00.Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(CountCharacters, CountsCodePointsNotBytes) {
  EXPECT_EQ(services::CountCharacters(""), 0u);
  EXPECT_EQ(services::CountCharacters("abc"), 3u);
  EXPECT_EQ(services::CountCharacters("é€😀"), 3u);
}

}  // namespace

namespace storage {
namespace {

class SupportStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("portico-support-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    db_ = OpenDatabase("sqlite://" + path_.string(), 2);
    EXPECT_GE(db_->Migrate(), 6);
    auto tx = db_->Write();
    tx->conn().ExecuteScript(
        "INSERT INTO tenants (id, slug, name, branding, created_at, updated_at) VALUES (1, 't', 'T', '{}', 0, 0), "
        "(2, 'u', 'U', '{}', 0, 0);"
        "INSERT INTO customers (id, tenant_id, name, created_at, updated_at) VALUES (10, 1, 'A', 0, 0), "
        "(20, 1, 'B', 0, 0), (30, 2, 'C', 0, 0);");
    tx->Commit();
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::int64_t Announce(TenantId tenant, std::vector<CustomerId> customers, UnixSeconds starts,
                        std::optional<UnixSeconds> ends) {
    AnnouncementRecord a;
    a.tenant = tenant;
    a.title = "t";
    a.severity = "info";
    a.starts_at = starts;
    a.ends_at = ends;
    a.customers = std::move(customers);
    auto tx = db_->Write();
    auto id = InsertAnnouncement(tx->conn(), a, std::nullopt);
    tx->Commit();
    return id;
  }

  std::vector<std::int64_t> Visible(policy::CustomerScope scope, std::optional<UnixSeconds> at) {
    auto tx = db_->Read();
    std::vector<std::int64_t> ids;
    for (const auto& a : ListAnnouncements(tx->conn(), scope, at)) ids.push_back(a.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static policy::CustomerScope Customers(TenantId tenant, std::vector<CustomerId> ids) {
    policy::CustomerScope s;
    s.tenant = tenant;
    s.customers = std::move(ids);
    return s;
  }
  static policy::CustomerScope Staff(TenantId tenant) {
    policy::CustomerScope s;
    s.tenant = tenant;
    s.all_of_tenant = true;
    return s;
  }

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SupportStorageTest, AnnouncementsFollowAddressingWindowAndTenant) {
  auto all = Announce(TenantId(1), {}, 100, std::nullopt);
  auto only_a = Announce(TenantId(1), {CustomerId(10)}, 100, 200);
  auto later = Announce(TenantId(1), {}, 500, std::nullopt);
  auto other_tenant = Announce(TenantId(2), {}, 100, std::nullopt);
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(Visible(Customers(TenantId(1), {CustomerId(10)}), 150), (V{all, only_a}));
  EXPECT_EQ(Visible(Customers(TenantId(1), {CustomerId(20)}), 150), (V{all}));
  EXPECT_EQ(Visible(Customers(TenantId(1), {CustomerId(10)}), 200), (V{all})) << "ends_at is exclusive";
  EXPECT_EQ(Visible(Customers(TenantId(1), {CustomerId(10)}), 99), (V{}));
  EXPECT_EQ(Visible(Customers(TenantId(1), {}), 150), (V{})) << "no customers: nothing";
  EXPECT_EQ(Visible(Staff(TenantId(1)), std::nullopt), (V{all, only_a, later}));
  EXPECT_EQ(Visible(Staff(TenantId(2)), std::nullopt), (V{other_tenant}));
  auto tx = db_->Read();
  auto found = FindAnnouncement(tx->conn(), Staff(TenantId(1)), only_a, std::nullopt);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->customers, (std::vector<CustomerId>{CustomerId(10)}));
  EXPECT_FALSE(FindAnnouncement(tx->conn(), Staff(TenantId(2)), only_a, std::nullopt));
}

TEST_F(SupportStorageTest, EventsForEveryCustomerReachCustomerUsersWithACustomerOnly) {
  {
    auto tx = db_->Write();
    EventRecord e;
    e.tenant = TenantId(1);
    e.type = "announcement.created";
    e.data = "{}";
    e.all_customers = true;
    InsertEvent(tx->conn(), e);
    e.tenant = TenantId(2);
    InsertEvent(tx->conn(), e);
    tx->Commit();
  }
  auto tx = db_->Read();
  EXPECT_EQ(ListEventsAfter(tx->conn(), Customers(TenantId(1), {CustomerId(20)}), UserId(5), 0, 10).size(), 1u);
  EXPECT_EQ(ListEventsAfter(tx->conn(), Customers(TenantId(1), {}), UserId(5), 0, 10).size(), 0u);
  EXPECT_EQ(ListEventsAfter(tx->conn(), Staff(TenantId(1)), UserId(5), 0, 10).size(), 1u);
}

TEST_F(SupportStorageTest, FaqHidesUnpublishedWhenAsked) {
  FaqRecord f;
  f.tenant = TenantId(1);
  f.question = "q";
  f.answer = "a";
  auto tx = db_->Write();
  f.published = false;
  auto hidden = InsertFaq(tx->conn(), f);
  f.published = true;
  auto shown = InsertFaq(tx->conn(), f);
  EXPECT_EQ(ListFaq(tx->conn(), TenantId(1), true).size(), 1u);
  EXPECT_EQ(ListFaq(tx->conn(), TenantId(1), false).size(), 2u);
  EXPECT_FALSE(FindFaq(tx->conn(), TenantId(1), hidden, true));
  EXPECT_TRUE(FindFaq(tx->conn(), TenantId(1), shown, true));
  EXPECT_FALSE(FindFaq(tx->conn(), TenantId(2), shown, false));
}

}  // namespace
}  // namespace storage
}  // namespace portico
