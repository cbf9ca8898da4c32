#include "services/event_broker.h"

#include <vector>

namespace portico::services {

void EventBroker::Publish(const EventAudience& audience, std::int64_t /*last_id*/) {
  std::vector<Wake> to_wake;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [handle, sub] : subs_) {
      if (sub.interest.Wants(audience)) to_wake.push_back(sub.wake);
    }
  }
  for (auto& w : to_wake) w();
}

void EventBroker::WakeAll() {
  std::vector<Wake> to_wake;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [handle, sub] : subs_) to_wake.push_back(sub.wake);
  }
  for (auto& w : to_wake) w();
}

std::uint64_t EventBroker::Subscribe(EventInterest interest, Wake wake) {
  std::lock_guard lock(mutex_);
  auto h = next_++;
  subs_.emplace(h, Sub{std::move(interest), std::move(wake)});
  return h;
}

void EventBroker::Unsubscribe(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  subs_.erase(handle);
}

std::size_t EventBroker::subscribers() const {
  std::lock_guard lock(mutex_);
  return subs_.size();
}

}  // namespace portico::services
