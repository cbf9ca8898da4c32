#include "services/actor_cache.h"

#include <functional>

namespace portico::services {

ActorCache::Shard& ActorCache::ShardOf(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<ActorCache::Hit> ActorCache::Find(const std::string& key, std::uint64_t epoch) const {
  auto& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.epoch != epoch || std::chrono::steady_clock::now() - e.stored_at >= kTimeToLive) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  return Hit{e.auth, e.times};
}

void ActorCache::Store(const std::string& key, std::shared_ptr<const AuthContext> auth, SessionTimes times,
                       std::uint64_t epoch) {
  auto& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= kMaxEntriesPerShard && !shard.entries.contains(key)) {
    // Bounded memory: drop what is stale, else everything (entries live seconds; refilled on demand).
    std::erase_if(shard.entries, [&](const auto& kv) { return kv.second.epoch != epoch; });
    if (shard.entries.size() >= kMaxEntriesPerShard) shard.entries.clear();
  }
  shard.entries.insert_or_assign(key, Entry{std::move(auth), times, epoch, std::chrono::steady_clock::now()});
}

void ActorCache::Touch(const std::string& key, UnixSeconds last_seen_at) {
  auto& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.entries.find(key); it != shard.entries.end()) it->second.times.last_seen_at = last_seen_at;
}

void ActorCache::Erase(const std::string& key) {
  auto& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  shard.entries.erase(key);
}

}  // namespace portico::services
