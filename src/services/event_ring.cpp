#include "services/event_ring.h"

#include <algorithm>
#include <mutex>

namespace portico::services {
namespace {

std::size_t SizeOf(const storage::EventRecord& e) { return sizeof(e) + e.type.capacity() + e.data.capacity(); }

policy::EventAudience AudienceOf(const storage::EventRecord& e) {
  return {e.tenant, e.customer, e.internal, e.user, e.all_customers};
}

}  // namespace

std::optional<std::vector<storage::EventRecord>> EventRing::Read(const policy::CustomerScope& scope, UserId viewer,
                                                                 std::int64_t after, std::int64_t up_to,
                                                                 std::int64_t limit) const {
  std::shared_lock lock(mutex_);
  if (!started_ || stale_ || after < floor_) return std::nullopt;
  std::vector<storage::EventRecord> out;
  auto it = std::upper_bound(events_.begin(), events_.end(), after,
                             [](std::int64_t id, const storage::EventRecord& e) { return id < e.id; });
  for (; it != events_.end() && it->id <= up_to && static_cast<std::int64_t>(out.size()) < limit; ++it) {
    if (policy::MaySeeEvent(scope, viewer, AudienceOf(*it))) out.push_back(*it);
  }
  return out;
}

void EventRing::Reset(std::int64_t last_id) {
  std::unique_lock lock(mutex_);
  events_.clear();
  bytes_ = 0;
  floor_ = last_id;
  covered_ = last_id;
  started_ = true;
  stale_ = false;
  filled_at_ = std::chrono::steady_clock::now();
}

void EventRing::Append(std::vector<storage::EventRecord> events) {
  std::unique_lock lock(mutex_);
  for (auto& e : events) {
    if (e.id <= covered_) continue;
    bytes_ += SizeOf(e);
    covered_ = e.id;
    events_.push_back(std::move(e));
  }
  EvictLocked();
  stale_ = false;
  filled_at_ = std::chrono::steady_clock::now();
}

void EventRing::EvictLocked() {
  while (!events_.empty() && (events_.size() > kMaxEvents || bytes_ > kMaxBytes)) {
    floor_ = events_.front().id;
    bytes_ -= SizeOf(events_.front());
    events_.pop_front();
  }
}

void EventRing::MarkStale() { stale_ = true; }

std::int64_t EventRing::floor() const {
  std::shared_lock lock(mutex_);
  return floor_;
}

std::chrono::steady_clock::time_point EventRing::filled_at() const {
  std::shared_lock lock(mutex_);
  return filled_at_;
}

std::size_t EventRing::size() const {
  std::shared_lock lock(mutex_);
  return events_.size();
}

}  // namespace portico::services
