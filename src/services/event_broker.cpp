#include "services/event_broker.h"

#include <vector>

namespace portico::services {

bool EventInterest::Wants(const EventAudience& a) const {
  if (a.tenant != tenant) return false;
  if (a.user) return *a.user == user;
  if (all_of_tenant) return true;
  if (a.internal) return false;
  if (a.all_customers) return !customers.empty();
  if (!a.customer) return false;
  for (auto c : customers) {
    if (c == *a.customer) return true;
  }
  return false;
}

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
