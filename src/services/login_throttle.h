// Login throttling (API.md, Precise rules): after 5 failed attempts for one account within 15 minutes
// that account answers 429 for 15 minutes, even to the right password; after 20 failures from one client
// address within 15 minutes, that address does. In memory: one server process (documented limitation
// until several instances share a store).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace portico::services {

class LoginThrottle {
 public:
  static constexpr int kAccountLimit = 5;
  static constexpr int kAddressLimit = 20;
  static constexpr UnixSeconds kWindowSeconds = 15 * 60;
  static constexpr std::size_t kMaxTracked = 100000;  // memory bound; oldest entries are swept past it

  /// True while the account or the address is locked out.
  bool IsBlocked(const std::string& account, const std::string& address, UnixSeconds now);
  /// Records a failed attempt for both keys.
  void RecordFailure(const std::string& account, const std::string& address, UnixSeconds now);
  /// A successful login clears the account's failures (not the address's).
  void RecordSuccess(const std::string& account);

 private:
  struct Entry {
    std::vector<UnixSeconds> failures;  // within the window
    UnixSeconds locked_until = 0;
  };
  bool Blocked(std::unordered_map<std::string, Entry>& map, const std::string& key, UnixSeconds now);
  void Fail(std::unordered_map<std::string, Entry>& map, const std::string& key, int limit, UnixSeconds now);
  void Sweep(std::unordered_map<std::string, Entry>& map, UnixSeconds now);

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> accounts_;
  std::unordered_map<std::string, Entry> addresses_;
};

}  // namespace portico::services
