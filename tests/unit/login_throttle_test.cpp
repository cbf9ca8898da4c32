// The login throttle on a real database (issue 18): counted before the password check, atomically, so
// that concurrent attempts never check more than the limit; a success takes back only its own attempt.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "services/login_throttle.h"
#include "storage/db.h"

namespace portico::services {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("portico-throttle-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    db_ = storage::OpenDatabase("sqlite://" + path_.string(), 8);
    db_->Migrate();
    throttle_ = std::make_unique<LoginThrottle>(*db_);
  }
  void TearDown() override {
    throttle_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void Fail(const std::string& account, const std::string& address, UnixSeconds now) {
    ASSERT_TRUE(throttle_->Reserve(account, address, now));
    throttle_->Failed(account, address, now);
  }
  void Succeed(const std::string& account, const std::string& address) {
    auto tx = db_->Write();
    throttle_->Succeeded(tx->conn(), account, address);
    tx->Commit();
  }

  std::filesystem::path path_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<LoginThrottle> throttle_;
};

TEST_F(LoginThrottleTest, AccountLocksAfterFiveFailuresForFifteenMinutes) {
  const UnixSeconds now = 100000;
  for (int i = 0; i < 5; ++i) Fail("acme\nx@y.z", "1.2.3.4", now);
  EXPECT_FALSE(throttle_->Reserve("acme\nx@y.z", "9.9.9.9", now + 1));     // the account, from anywhere
  EXPECT_TRUE(throttle_->Reserve("acme\nother@y.z", "1.2.3.4", now + 1));  // the address is not locked
  EXPECT_FALSE(throttle_->Reserve("acme\nx@y.z", "1.2.3.4", now + 899));
  EXPECT_TRUE(throttle_->Reserve("acme\nx@y.z", "1.2.3.4", now + 901));
}

TEST_F(LoginThrottleTest, AddressLocksAfterTwentyFailures) {
  for (int i = 0; i < 20; ++i) Fail("acme\nuser" + std::to_string(i), "5.5.5.5", 100);
  EXPECT_FALSE(throttle_->Reserve("acme\nfresh@y.z", "5.5.5.5", 101));
  EXPECT_TRUE(throttle_->Reserve("acme\nfresh@y.z", "6.6.6.6", 101));
}

TEST_F(LoginThrottleTest, AFullWindowRefusesUntilItEnds) {
  for (int i = 0; i < 4; ++i) Fail("a", "ip", 1000);
  EXPECT_TRUE(throttle_->Reserve("a", "ip", 1500));   // the fifth attempt is checked
  EXPECT_FALSE(throttle_->Reserve("a", "ip", 1500));  // a sixth waits while the fifth is pending
  throttle_->Failed("a", "ip", 1500);
  EXPECT_FALSE(throttle_->Reserve("a", "ip", 1500 + 899));  // locked from the fifth failure on
  EXPECT_TRUE(throttle_->Reserve("a", "ip", 1500 + 901));
}

TEST_F(LoginThrottleTest, AttemptsOlderThanTheWindowStartOver) {
  for (int i = 0; i < 4; ++i) Fail("a", "ip", 0);
  Fail("a", "ip", 2000);  // the first four are older than 15 minutes
  EXPECT_TRUE(throttle_->Reserve("a", "ip", 2000));
}

TEST_F(LoginThrottleTest, ASuccessTakesBackOnlyItsOwnAttempt) {
  for (int i = 0; i < 4; ++i) Fail("a", "ip", 10);
  ASSERT_TRUE(throttle_->Reserve("a", "ip", 10));
  Succeed("a", "ip");  // the four failures stay counted
  Fail("a", "ip", 11);
  EXPECT_FALSE(throttle_->Reserve("a", "ip", 12));
}

TEST_F(LoginThrottleTest, ConcurrentAttemptsCheckExactlyTheLimit) {
  constexpr int kThreads = 16;
  std::atomic<int> reserved{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      if (throttle_->Reserve("acme\nvictim@y.z", "7.7.7.7", 5000)) {
        ++reserved;
        throttle_->Failed("acme\nvictim@y.z", "7.7.7.7", 5000);
      } else {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(reserved.load(), LoginThrottle::kAccountLimit);
  EXPECT_EQ(refused.load(), kThreads - LoginThrottle::kAccountLimit);
  EXPECT_FALSE(throttle_->Reserve("acme\nvictim@y.z", "8.8.8.8", 5001));  // locked, the right password too
}

}  // namespace
}  // namespace portico::services

namespace portico::services {
namespace {

TEST_F(LoginThrottleTest, APendingSuccessDoesNotCountTowardsTheLock) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(throttle_->Reserve("a", "ip", 10));
  ASSERT_TRUE(throttle_->Reserve("a", "ip", 10));  // the right password, still being checked
  for (int i = 0; i < 4; ++i) throttle_->Failed("a", "ip", 10);
  Succeed("a", "ip");
  // Four failures: not locked, and exactly one more failure locks.
  Fail("a", "ip", 11);
  EXPECT_FALSE(throttle_->Reserve("a", "ip", 12));
}

}  // namespace
}  // namespace portico::services
