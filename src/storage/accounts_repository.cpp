#include "storage/accounts_repository.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "domain/mentions.h"
#include "storage/handles_repository.h"

namespace portico::storage {
namespace json = boost::json;
namespace {

TenantRecord ReadTenant(const Row& r) {
  TenantRecord t;
  t.id = TenantId(r.Int(0));
  t.slug = r.Text(1);
  t.name = r.Text(2);
  t.currency = r.Text(3);
  t.branding = domain::BrandingFromJson(json::parse(r.Text(4)));
  t.branding.currency = t.currency;
  t.pricing.progressive = r.Bool(5);
  t.pricing.tiers.clear();
  const json::value tiers = json::parse(r.Text(6));
  for (const auto& v : tiers.as_array()) t.pricing.tiers.push_back(v.to_number<std::int64_t>());
  t.created_at = r.Int(7);
  t.updated_at = r.Int(8);
  return t;
}

std::string TiersJson(const domain::PricingSettings& p) {
  json::array a;
  for (auto c : p.tiers) a.push_back(c);
  return json::serialize(a);
}

UserRecord ReadUser(const Row& r, std::size_t at = 0) {
  UserRecord u;
  u.id = UserId(r.Int(at + 0));
  u.tenant = TenantId(r.Int(at + 1));
  u.email = r.Text(at + 2);
  u.name = r.Text(at + 3);
  u.role = domain::ParseRole(r.Text(at + 4)).value_or(domain::Role::kCustomer);
  u.password_hash = r.Text(at + 5);
  u.is_active = r.Bool(at + 6);
  u.created_at = r.Int(at + 7);
  u.updated_at = r.Int(at + 8);
  u.handle = r.Text(at + 9);
  u.language = r.OptText(at + 10);
  return u;
}

#define TENANT_SELECT "SELECT id, slug, name, currency, branding, progressive_pricing, price_tiers, created_at, updated_at FROM tenants "
#define USER_SELECT \
  "SELECT u.id, u.tenant_id, u.email, u.name, u.role, u.password_hash, u.is_active, u.created_at, u.updated_at, u.handle, u.language FROM users u "

constexpr Sql kFindTenantBySlug{"find_tenant_by_slug", TENANT_SELECT "WHERE slug = $1"};
constexpr Sql kFindTenant{"find_tenant", TENANT_SELECT "WHERE id = $1", PlanChoice::kEither};
constexpr Sql kInsertTenant{"insert_tenant",
                            "INSERT INTO tenants (slug, name, currency, branding, progressive_pricing, price_tiers, "
                            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"};
constexpr Sql kUpdateBranding{"update_tenant_branding",
                              "UPDATE tenants SET branding = $2, updated_at = $3 WHERE id = $1"};
constexpr Sql kUpdatePricing{"update_tenant_pricing",
                             "UPDATE tenants SET progressive_pricing = $2, price_tiers = $3, updated_at = $4 "
                             "WHERE id = $1"};

constexpr Sql kFindUserByEmail{"find_user_by_email", USER_SELECT "WHERE u.tenant_id = $1 AND u.email = $2"};
constexpr Sql kFindUser{"find_user", USER_SELECT "WHERE u.tenant_id = $1 AND u.id = $2"};
constexpr Sql kListUsers{"list_users", USER_SELECT
                         "WHERE u.tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR u.role = $2) ORDER BY u.name, u.id "
                         "LIMIT $3 OFFSET $4"};
constexpr Sql kCountUsers{"count_users",
                          "SELECT COUNT(*) FROM users u WHERE u.tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR u.role = $2)"};
constexpr Sql kInsertUser{"insert_user",
                          "INSERT INTO users (tenant_id, email, name, role, password_hash, is_active, created_at, "
                          "updated_at, handle) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id"};
constexpr Sql kUpdateUser{"update_user",
                          "UPDATE users SET email = $3, name = $4, role = $5, password_hash = $6, is_active = $7, "
                          "updated_at = $8, handle = COALESCE($9, handle) WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kListTechnicians{
    "list_technicians",
    "SELECT u.id, u.tenant_id, u.email, u.name, u.role, u.password_hash, u.is_active, u.created_at, u.updated_at, "
    "u.handle, u.language, (SELECT COUNT(*) FROM repairs r WHERE r.technician_id = u.id AND r.status IN ('APPROVED', 'IN_PROGRESS')) "
    "FROM users u WHERE u.tenant_id = $1 AND u.role = 'technician' ORDER BY u.name, u.id"};

constexpr Sql kInsertSession{"insert_session",
                             "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
                             "expires_at) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id"};
constexpr Sql kFindSession{
    "find_session",
    "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
    "u.id, u.tenant_id, u.email, u.name, u.role, u.password_hash, u.is_active, u.created_at, u.updated_at, "
    "u.handle, u.language FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"};
constexpr Sql kTouchSession{"touch_session", "UPDATE sessions SET last_seen_at = $2 WHERE id = $1"};
constexpr Sql kDeleteSession{"delete_session", "DELETE FROM sessions WHERE id = $1"};
constexpr Sql kDeleteUserSessions{"delete_user_sessions", "DELETE FROM sessions WHERE user_id = $1"};
constexpr Sql kDeleteExpiredSessions{"delete_expired_sessions",
                                     "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2"};

constexpr Sql kInsertToken{"insert_token",
                           "INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, created_at) "
                           "VALUES ($1, $2, $3, $4, $5) RETURNING id"};
constexpr Sql kFindToken{
    "find_token",
    "SELECT t.id, t.user_id, t.name, t.created_at, t.last_used_at, "
    "u.id, u.tenant_id, u.email, u.name, u.role, u.password_hash, u.is_active, u.created_at, u.updated_at, "
    "u.handle, u.language FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"};
constexpr Sql kListTokens{"list_tokens",
                          "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens "
                          "WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id"};
constexpr Sql kRevokeToken{"revoke_token",
                           "UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL"};
constexpr Sql kTouchToken{"touch_token", "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"};
constexpr Sql kRevokeUserTokens{"revoke_user_tokens",
                                "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"};
constexpr Sql kSessionAlive{"session_alive",
                            "SELECT 1 FROM sessions WHERE id = $1 AND expires_at > $2 AND last_seen_at > $3"};
constexpr Sql kTokenAlive{"token_alive", "SELECT 1 FROM api_tokens WHERE id = $1 AND revoked_at IS NULL"};

TokenRecord ReadToken(const Row& r) {
  TokenRecord t;
  t.id = TokenId(r.Int(0));
  t.user = UserId(r.Int(1));
  t.name = r.Text(2);
  t.created_at = r.Int(3);
  t.last_used_at = r.OptInt(4);
  return t;
}

}  // namespace

std::optional<TenantRecord> FindTenantBySlug(Connection& c, const std::string& slug) {
  auto row = c.QueryOne(kFindTenantBySlug, {slug});
  if (!row) return std::nullopt;
  return ReadTenant(*row);
}

std::optional<TenantRecord> FindTenant(Connection& c, TenantId id) {
  auto row = c.QueryOne(kFindTenant, {id.value});
  if (!row) return std::nullopt;
  return ReadTenant(*row);
}

TenantId InsertTenant(Connection& c, const TenantRecord& t) {
  auto row = c.QueryOne(kInsertTenant, {t.slug, t.name, t.currency, json::serialize(domain::BrandingToJson(t.branding)),
                                        std::int64_t{t.pricing.progressive}, TiersJson(t.pricing), t.created_at});
  return TenantId(row->Int(0));
}

void UpdateTenantBranding(Connection& c, TenantId id, const domain::Branding& b, UnixSeconds now) {
  c.Execute(kUpdateBranding, {id.value, json::serialize(domain::BrandingToJson(b)), now});
}

void UpdateTenantPricing(Connection& c, TenantId id, const domain::PricingSettings& p, UnixSeconds now) {
  c.Execute(kUpdatePricing, {id.value, std::int64_t{p.progressive}, TiersJson(p), now});
}

std::optional<UserRecord> FindUserByEmail(Connection& c, TenantId tenant, const std::string& email) {
  auto row = c.QueryOne(kFindUserByEmail, {tenant.value, email});
  if (!row) return std::nullopt;
  return ReadUser(*row);
}

std::optional<UserRecord> FindUser(Connection& c, TenantId tenant, UserId id) {
  auto row = c.QueryOne(kFindUser, {tenant.value, id.value});
  if (!row) return std::nullopt;
  return ReadUser(*row);
}

PageOf<UserRecord> ListUsers(Connection& c, TenantId tenant, const std::optional<std::string>& role,
                             const PageRequest& page) {
  PageOf<UserRecord> out;
  out.count = c.Query(kCountUsers, {tenant.value, Nullable(role)}).front().Int(0);
  for (const auto& r : c.Query(kListUsers, {tenant.value, Nullable(role), page.page_size, page.Offset()})) {
    out.results.push_back(ReadUser(r));
  }
  return out;
}

UserId InsertUser(Connection& c, const UserRecord& u) {
  // A user created without a handle gets one derived from the e-mail (issue 11).
  const std::string handle = u.handle.empty() ? UniqueHandle(c, u.tenant, domain::HandleBaseFromEmail(u.email)) : u.handle;
  auto row = c.QueryOne(kInsertUser, {u.tenant.value, u.email, u.name, std::string(domain::ToString(u.role)),
                                      u.password_hash, std::int64_t{u.is_active}, u.created_at, handle});
  return UserId(row->Int(0));
}

void UpdateUser(Connection& c, const UserRecord& u) {
  c.Execute(kUpdateUser, {u.tenant.value, u.id.value, u.email, u.name, std::string(domain::ToString(u.role)),
                          u.password_hash, std::int64_t{u.is_active}, u.updated_at,
                          u.handle.empty() ? Value(nullptr) : Value(u.handle)});
}

std::vector<std::pair<UserRecord, std::int64_t>> ListTechnicians(Connection& c, TenantId tenant) {
  std::vector<std::pair<UserRecord, std::int64_t>> out;
  for (const auto& r : c.Query(kListTechnicians, {tenant.value})) out.emplace_back(ReadUser(r), r.Int(11));
  return out;
}

std::int64_t InsertSession(Connection& c, const std::string& token_hash, UserId user, const std::string& csrf,
                           UnixSeconds now, UnixSeconds expires_at) {
  return c.QueryOne(kInsertSession, {token_hash, user.value, csrf, now, expires_at})->Int(0);
}

std::optional<std::pair<SessionRecord, UserRecord>> FindSession(Connection& c, const std::string& token_hash) {
  auto row = c.QueryOne(kFindSession, {token_hash});
  if (!row) return std::nullopt;
  SessionRecord s;
  s.id = row->Int(0);
  s.user = UserId(row->Int(1));
  s.csrf_token = row->Text(2);
  s.created_at = row->Int(3);
  s.last_seen_at = row->Int(4);
  s.expires_at = row->Int(5);
  return std::make_pair(s, ReadUser(*row, 6));
}

void TouchSession(Connection& c, std::int64_t session_id, UnixSeconds now) { c.Execute(kTouchSession, {session_id, now}); }
void DeleteSession(Connection& c, std::int64_t session_id) { c.Execute(kDeleteSession, {session_id}); }
void DeleteUserSessions(Connection& c, UserId user) { c.Execute(kDeleteUserSessions, {user.value}); }
void DeleteExpiredSessions(Connection& c, UnixSeconds now, UnixSeconds idle_cutoff) {
  c.Execute(kDeleteExpiredSessions, {now, idle_cutoff});
}

TokenId InsertToken(Connection& c, TenantId tenant, UserId user, const std::string& name,
                    const std::string& token_hash, UnixSeconds now) {
  return TokenId(c.QueryOne(kInsertToken, {tenant.value, user.value, name, token_hash, now})->Int(0));
}

std::optional<std::pair<TokenRecord, UserRecord>> FindActiveToken(Connection& c, const std::string& token_hash) {
  auto row = c.QueryOne(kFindToken, {token_hash});
  if (!row) return std::nullopt;
  return std::make_pair(ReadToken(*row), ReadUser(*row, 5));
}

std::vector<TokenRecord> ListTokens(Connection& c, UserId user) {
  std::vector<TokenRecord> out;
  for (const auto& r : c.Query(kListTokens, {user.value})) out.push_back(ReadToken(r));
  return out;
}

bool RevokeToken(Connection& c, UserId user, TokenId id, UnixSeconds now) {
  return c.Execute(kRevokeToken, {user.value, id.value, now}) > 0;
}

void TouchToken(Connection& c, TokenId id, UnixSeconds now) { c.Execute(kTouchToken, {id.value, now}); }

void RevokeUserTokens(Connection& c, UserId user, UnixSeconds now) { c.Execute(kRevokeUserTokens, {user.value, now}); }

bool SessionAlive(Connection& c, std::int64_t session_id, UnixSeconds now, UnixSeconds idle_cutoff) {
  return c.QueryOne(kSessionAlive, {session_id, now, idle_cutoff}).has_value();
}

bool TokenAlive(Connection& c, TokenId id) { return c.QueryOne(kTokenAlive, {id.value}).has_value(); }

}  // namespace portico::storage
