// Issue 16: the actor cache's invalidation. storage::ChangesIdentity decides which statements may change
// what authentication reads; SQLite's IdentityEpoch advances once such a write is committed (and only
// then); the JSON writer escapes as boost::json does.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <thread>
#include <vector>

#include "http/json_writer.h"
#include "storage/db.h"
#include "storage/identity_epoch.h"

namespace portico {
namespace {

TEST(ChangesIdentity, WritesToIdentityTablesOnly) {
  using storage::ChangesIdentity;
  using storage::Sql;
  static constexpr Sql kSelect{"a", "SELECT id FROM users WHERE id = $1"};
  static constexpr Sql kUpdateUser{"b", "UPDATE users SET role = $2 WHERE id = $1"};
  static constexpr Sql kDeleteSession{"c", "delete from sessions where id = $1"};
  static constexpr Sql kAccess{"d", "INSERT INTO customer_access (customer_id, user_id) VALUES ($1, $2)"};
  static constexpr Sql kCustomer{"e", "UPDATE customers SET name = $2 WHERE id = $1"};
  static constexpr Sql kTenant{"f", "UPDATE tenants SET name = $2 WHERE id = $1"};
  static constexpr Sql kToken{"g", "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1"};
  static constexpr Sql kRepair{"h", "UPDATE repairs SET status = $2 WHERE id = $1"};
  static constexpr Sql kLookalike{"i", "INSERT INTO customer_users_log (customers_seen) VALUES ($1)"};
  static constexpr Sql kTouch{"touch_session", "UPDATE sessions SET last_seen_at = $2 WHERE id = $1"};
  static constexpr Sql kInsertSession{"insert_session", "INSERT INTO sessions (id) VALUES ($1)"};
  EXPECT_FALSE(ChangesIdentity(kSelect));
  EXPECT_TRUE(ChangesIdentity(kUpdateUser));
  EXPECT_TRUE(ChangesIdentity(kDeleteSession));
  EXPECT_TRUE(ChangesIdentity(kAccess));
  EXPECT_TRUE(ChangesIdentity(kCustomer));
  EXPECT_TRUE(ChangesIdentity(kTenant));
  EXPECT_TRUE(ChangesIdentity(kToken));
  EXPECT_FALSE(ChangesIdentity(kRepair));
  EXPECT_FALSE(ChangesIdentity(kLookalike));
  EXPECT_FALSE(ChangesIdentity(kTouch));
  EXPECT_FALSE(ChangesIdentity(kInsertSession));
  EXPECT_TRUE(ChangesIdentity(kUpdateUser));  // memoised: same answer
}

class IdentityEpochTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("portico-epoch-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
    db_ = storage::OpenDatabase("sqlite://" + (dir_ / "t.db").string(), 4);
    auto tx = db_->Write();
    tx->conn().ExecuteScript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
                             "CREATE TABLE repairs (id INTEGER PRIMARY KEY, status TEXT);"
                             "INSERT INTO users VALUES (1, 'a'); INSERT INTO repairs VALUES (1, 'x');");
    tx->Commit();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::uint64_t Epoch() const { return storage::IdentityEpoch(*db_).value(); }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

constexpr storage::Sql kRename{"rename_user_t", "UPDATE users SET name = $2 WHERE id = $1"};
constexpr storage::Sql kMove{"move_repair_t", "UPDATE repairs SET status = $2 WHERE id = $1"};
constexpr storage::Sql kName{"user_name_t", "SELECT name FROM users WHERE id = $1"};

TEST_F(IdentityEpochTest, AdvancesAfterACommittedIdentityWriteOnly) {
  const auto e0 = Epoch();
  {
    auto tx = db_->Write();
    tx->conn().Execute(kMove, {std::int64_t{1}, std::string("y")});
    tx->Commit();
  }
  EXPECT_EQ(Epoch(), e0) << "a repair write leaves actors alone";
  {
    auto tx = db_->Write();
    tx->conn().Execute(kRename, {std::int64_t{1}, std::string("b")});
    EXPECT_EQ(Epoch(), e0) << "not before the commit";
  }
  EXPECT_EQ(Epoch(), e0) << "a rolled-back change changes nothing";
  {
    auto tx = db_->Write();
    tx->conn().Execute(kRename, {std::int64_t{1}, std::string("c")});
    tx->Commit();
  }
  EXPECT_EQ(Epoch(), e0 + 1);
  auto tx = db_->Read();
  EXPECT_EQ(tx->conn().QueryOne(kName, {std::int64_t{1}})->Text(0), "c");
}

TEST_F(IdentityEpochTest, GroupCommittedWritersAdvanceItAfterTheirBatch) {
  const auto e0 = Epoch();
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([this, i, e0] {
      auto tx = db_->Write();
      if (i % 2 == 0) {
        tx->conn().Execute(kRename, {std::int64_t{1}, "n" + std::to_string(i)});
      } else {
        tx->conn().Execute(kMove, {std::int64_t{1}, "s" + std::to_string(i)});
      }
      tx->Commit();
      // Once Commit returned, the rename is visible and the epoch has moved on.
      if (i % 2 == 0) {
        EXPECT_GT(Epoch(), e0);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Epoch(), e0 + 4);
}

TEST(JsonWriter, EscapesAsBoostJson) {
  const std::vector<std::string> samples = {"plain", "quote \" and \\ backslash", "tab\tnew\nline\r",
                                            std::string("nul \0 and \x1f", 11), "ünïcödé € 🚗", "</script>"};
  for (const auto& s : samples) {
    std::string out;
    http::JsonWriter w(out);
    w.String(s);
    EXPECT_EQ(boost::json::parse(out).as_string(), s);
    EXPECT_EQ(out, boost::json::serialize(boost::json::value(s)));
  }
  std::string out;
  http::JsonWriter w(out);
  w.BeginObject();
  w.Key("a"), w.Int(-3);
  w.Key("b"), w.Number(2.0);
  w.Key("c"), w.Number(2.5);
  w.Key("d"), w.BeginArray(), w.Null(), w.Bool(true), w.OptString(std::nullopt), w.EndArray();
  w.Key("e"), w.BeginObject(), w.EndObject();
  w.EndObject();
  EXPECT_EQ(boost::json::parse(out), boost::json::parse(R"({"a":-3,"b":2,"c":2.5,"d":[null,true,null],"e":{}})"));
  EXPECT_EQ(out, R"({"a":-3,"b":2,"c":2.5E0,"d":[null,true,null],"e":{}})");
}

}  // namespace
}  // namespace portico
