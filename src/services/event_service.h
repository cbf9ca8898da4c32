// Reading the event log as one caller may see it (API.md, "Live updates"): staff see their tenant's
// events, customer users only those about their customers' repairs and never internal ones; no event
// ever crosses tenants. The filter runs in SQL through the caller's CustomerScope.
#pragma once

#include <vector>

#include "policy/actor.h"
#include "services/deps.h"
#include "storage/records.h"

namespace portico::services {

class EventService {
 public:
  static constexpr std::int64_t kMaxBatch = 200;

  explicit EventService(Deps deps) : deps_(deps) {}
  /// Visible events with id > after, oldest first, at most `limit` (<= kMaxBatch). The actor's access is
  /// read again from the database first (a stream must not outlive revoked access); throws
  /// Error(kUnauthenticated) when the user no longer exists or was deactivated.
  std::vector<storage::EventRecord> After(const policy::Actor& actor, std::int64_t after, std::int64_t limit);
  /// How many visible events lie after `after`, counted up to `cap` (for the slow-consumer rule).
  std::int64_t Backlog(const policy::Actor& actor, std::int64_t after, std::int64_t cap);
  /// The newest event id of the caller's tenant (a starting point for a new client).
  std::int64_t LastId(const policy::Actor& actor);

 private:
  policy::Actor Fresh(storage::Connection& c, const policy::Actor& actor);
  Deps deps_;
};

}  // namespace portico::services
