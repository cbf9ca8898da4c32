#include "services/login_throttle.h"

#include <algorithm>

namespace portico::services {

bool LoginThrottle::Blocked(std::unordered_map<std::string, Entry>& map, const std::string& key, UnixSeconds now) {
  auto it = map.find(key);
  return it != map.end() && it->second.locked_until > now;
}

bool LoginThrottle::IsBlocked(const std::string& account, const std::string& address, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  return Blocked(accounts_, account, now) || Blocked(addresses_, address, now);
}

void LoginThrottle::Fail(std::unordered_map<std::string, Entry>& map, const std::string& key, int limit,
                         UnixSeconds now) {
  if (map.size() >= kMaxTracked) Sweep(map, now);
  auto& e = map[key];
  std::erase_if(e.failures, [&](UnixSeconds t) { return t <= now - kWindowSeconds; });
  e.failures.push_back(now);
  if (static_cast<int>(e.failures.size()) >= limit) {
    e.locked_until = now + kWindowSeconds;
    e.failures.clear();
  }
}

void LoginThrottle::Sweep(std::unordered_map<std::string, Entry>& map, UnixSeconds now) {
  std::erase_if(map, [&](const auto& kv) {
    const Entry& e = kv.second;
    return e.locked_until <= now && (e.failures.empty() || e.failures.back() <= now - kWindowSeconds);
  });
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  Fail(accounts_, account, kAccountLimit, now);
  Fail(addresses_, address, kAddressLimit, now);
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

}  // namespace portico::services
