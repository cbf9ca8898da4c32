// User handles (issue 11; API.md "Users (additions)"): finding a free one, the back-fill of users that
// have none (after the migrations ran), and looking users up by handle within a tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "storage/db.h"

namespace portico::storage {

/// A user as mentions and message authors show it.
struct UserBrief {
  UserId id;
  std::string name;
  std::string handle;
  std::string role;  // admin | manager | technician | customer
};

/// `base` if no user of `tenant` has it, else the first free of base2, base3, ... (domain::HandleCandidate).
std::string UniqueHandle(Connection& c, TenantId tenant, const std::string& base);
/// True when a user of `tenant` other than `except` has `handle`.
bool HandleTaken(Connection& c, TenantId tenant, const std::string& handle, std::optional<UserId> except);
/// Gives every user without a handle one derived from its e-mail (unique in its tenant). Returns how many.
std::int64_t BackfillHandles(Connection& c);
/// The active users of `tenant` with one of `handles` (lower-case), at most handles.size().
std::vector<UserBrief> UsersByHandles(Connection& c, TenantId tenant, const std::vector<std::string>& handles);
/// The users of `tenant` with one of `ids` (any state), for showing authors and members.
std::vector<UserBrief> UsersByIds(Connection& c, TenantId tenant, const std::vector<UserId>& ids);
/// Active users of `tenant` whose handle or name starts with `prefix` (autocomplete), at most `limit`.
std::vector<UserBrief> UsersByPrefix(Connection& c, TenantId tenant, const std::string& prefix, std::int64_t limit);

}  // namespace portico::storage
