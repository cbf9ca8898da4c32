#include "storage/handles_repository.h"

#include "domain/mentions.h"
#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

constexpr Sql kHandleTaken{"handle_taken",
                           "SELECT id FROM users WHERE tenant_id = $1 AND handle = $2 AND id <> $3"};
constexpr Sql kWithoutHandle{"users_without_handle",
                             "SELECT id, tenant_id, email FROM users WHERE handle IS NULL ORDER BY id LIMIT 500"};
constexpr Sql kSetHandle{"set_user_handle", "UPDATE users SET handle = $2 WHERE id = $1"};
constexpr Sql kByPrefix{"users_by_handle_prefix",
                        "SELECT id, name, handle, role FROM users WHERE tenant_id = $1 AND is_active = 1 "
                        "AND handle IS NOT NULL AND (handle LIKE $2 OR LOWER(name) LIKE $2) ORDER BY handle LIMIT $3"};

constexpr int kMaxCandidates = 10000;

UserBrief ReadBrief(const Row& r) { return {UserId(r.Int(0)), r.Text(1), r.Text(2), r.Text(3)}; }

std::vector<UserBrief> UsersWhere(Connection& c, TenantId tenant, const char* name, const char* col,
                                  const std::vector<Value>& values, bool active_only) {
  std::vector<UserBrief> out;
  if (values.empty()) return out;
  std::vector<Value> p{tenant.value};
  std::string in;
  for (const auto& v : values) {
    p.push_back(v);
    in += (in.empty() ? "" : ", ") + Param(p);
  }
  const Sql& sql = ComposedSql(name, std::string("SELECT id, name, COALESCE(handle, ''), role FROM users WHERE tenant_id = $1 ") +
                                         (active_only ? "AND is_active = 1 " : "") + "AND " + col + " IN (" + in +
                                         ") ORDER BY id");
  for (const auto& r : c.QueryV(sql, p)) out.push_back(ReadBrief(r));
  return out;
}

}  // namespace

bool HandleTaken(Connection& c, TenantId tenant, const std::string& handle, std::optional<UserId> except) {
  return c.QueryOne(kHandleTaken, {tenant.value, handle, except ? except->value : std::int64_t{0}}).has_value();
}

std::string UniqueHandle(Connection& c, TenantId tenant, const std::string& base) {
  if (!HandleTaken(c, tenant, base, std::nullopt)) return base;
  for (int n = 2; n < kMaxCandidates; ++n) {
    auto candidate = domain::HandleCandidate(base, n);
    if (!HandleTaken(c, tenant, candidate, std::nullopt)) return candidate;
  }
  return domain::HandleCandidate("user", kMaxCandidates + static_cast<int>(tenant.value % 100000));
}

std::int64_t BackfillHandles(Connection& c) {
  std::int64_t total = 0;
  for (;;) {
    auto rows = c.Query(kWithoutHandle);
    if (rows.empty()) return total;
    for (const auto& r : rows) {
      const TenantId tenant(r.Int(1));
      c.Execute(kSetHandle, {r.Int(0), UniqueHandle(c, tenant, domain::HandleBaseFromEmail(r.Text(2)))});
      ++total;
    }
  }
}

std::vector<UserBrief> UsersByHandles(Connection& c, TenantId tenant, const std::vector<std::string>& handles) {
  std::vector<Value> v(handles.begin(), handles.end());
  return UsersWhere(c, tenant, "users_by_handles", "handle", v, true);
}

std::vector<UserBrief> UsersByIds(Connection& c, TenantId tenant, const std::vector<UserId>& ids) {
  std::vector<Value> v;
  for (auto id : ids) v.emplace_back(id.value);
  return UsersWhere(c, tenant, "users_by_ids", "id", v, false);
}

std::vector<UserBrief> UsersByPrefix(Connection& c, TenantId tenant, const std::string& prefix, std::int64_t limit) {
  std::string pattern;
  for (char ch : prefix) {
    if (ch == '%' || ch == '\\') continue;  // no LIKE wildcard from input ('_' matches itself too)
    pattern.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  std::vector<UserBrief> out;
  for (const auto& r : c.Query(kByPrefix, {tenant.value, pattern + "%", limit})) out.push_back(ReadBrief(r));
  return out;
}

}  // namespace portico::storage
