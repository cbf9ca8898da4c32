// The authenticated actor of a session or token, kept for a short time so that a request does not read
// the session, user, tenant and customer access again (issue 16: per-request work near /me's).
//
// Exact invalidation: an entry is valid only while storage::Database::IdentityEpoch() is what it was
// before the entry's database read. Every committed write that may change what authentication reads
// (a role, an access grant or revocation, a deactivation, a logout, a password reset, a token revoked, a
// renamed tenant or customer) advances the epoch once it is visible, so the next request reads afresh.
// The time to live (2 s) only bounds changes this process cannot hear (the CLI writing the same SQLite
// file). Databases without an exact epoch (PostgreSQL, several instances) get no cache at all.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace portico::services {

struct AuthContext;

class ActorCache {
 public:
  /// What a cached session needs besides the actor to decide its expiry (UTC seconds).
  struct SessionTimes {
    UnixSeconds expires_at = 0;
    UnixSeconds last_seen_at = 0;
  };
  struct Hit {
    std::shared_ptr<const AuthContext> auth;
    SessionTimes times;
  };

  /// The entry for `key` (a token hash) if it was stored at `epoch` less than the time to live ago.
  std::optional<Hit> Find(const std::string& key, std::uint64_t epoch) const;
  /// Stores an entry read from the database after the epoch was `epoch`.
  void Store(const std::string& key, std::shared_ptr<const AuthContext> auth, SessionTimes times,
             std::uint64_t epoch);
  /// Records a session's newer activity time in its entry, if any.
  void Touch(const std::string& key, UnixSeconds last_seen_at);
  /// Forgets one entry.
  void Erase(const std::string& key);

  static constexpr std::chrono::milliseconds kTimeToLive{2000};
  static constexpr std::size_t kMaxEntriesPerShard = 4096;

 private:
  struct Entry {
    std::shared_ptr<const AuthContext> auth;
    SessionTimes times;
    std::uint64_t epoch = 0;
    std::chrono::steady_clock::time_point stored_at;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
  };
  Shard& ShardOf(const std::string& key) const;

  static constexpr std::size_t kShards = 16;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace portico::services
