// Login throttling (API.md, Precise rules): after 5 failed attempts for one account within 15 minutes
// that account answers 429 for 15 minutes, even to the right password; after 20 failures from one client
// address within 15 minutes, that address does. Counted in the database (storage/throttle_repository), so
// every server instance shares the counts, and counted *before* the password is checked: an attempt
// reserves its place atomically, so concurrent attempts can never check more than the limit (issue 18).
#pragma once

#include <atomic>
#include <string>

#include "core/clock.h"
#include "storage/db.h"

namespace portico::services {

class LoginThrottle {
 public:
  static constexpr int kAccountLimit = 5;
  static constexpr int kAddressLimit = 20;
  static constexpr UnixSeconds kWindowSeconds = 15 * 60;

  explicit LoginThrottle(storage::Database& db) : db_(db) {}

  /// Reserves one attempt for the account and for the address in one transaction. False (nothing
  /// counted) while either is locked or already holds its limit of attempts in the window.
  bool Reserve(const std::string& account, const std::string& address, UnixSeconds now);
  /// The reserved attempt failed: a key at its limit is locked for kWindowSeconds.
  void Failed(const std::string& account, const std::string& address, UnixSeconds now);
  /// The reserved attempt succeeded: its own reservations are taken back; failures counted by other
  /// attempts (even concurrent ones) stay.
  void Succeeded(storage::Connection& c, const std::string& account, const std::string& address);

 private:
  static std::string AccountKey(const std::string& account) { return "login:account:" + account; }
  static std::string AddressKey(const std::string& address) { return "login:address:" + address; }

  storage::Database& db_;
  std::atomic<unsigned> reservations_{0};
};

}  // namespace portico::services
