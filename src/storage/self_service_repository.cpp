#include "storage/self_service_repository.h"

#include "core/crypto.h"
#include "core/error.h"

namespace portico::storage {
namespace {

#define TOKEN_SELECT                                                                                          \
  "SELECT t.id, t.tenant_id, t.purpose, t.customer_id, t.user_id, t.parent_id, t.email, t.name, t.access, "  \
  "t.approval_limit_cents, t.password_hash, t.language, t.uses, t.max_uses, t.created_by, t.created_at, "     \
  "t.expires_at, t.last_used_at, t.revoked_at, c.name, t.token_hash FROM single_use_tokens t "                              \
  "LEFT JOIN customers c ON c.id = t.customer_id "

constexpr Sql kInsertToken{"insert_single_use_token",
                           "INSERT INTO single_use_tokens (tenant_id, purpose, token_hash, customer_id, user_id, "
                           "parent_id, email, name, access, approval_limit_cents, password_hash, language, uses, "
                           "max_uses, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                           "$9, $10, $11, $12, 0, $13, $14, $15, $16) RETURNING id"};
constexpr Sql kFindToken{"find_single_use_token", TOKEN_SELECT "WHERE t.token_hash = $1 AND t.purpose = $2"};
constexpr Sql kFindTokenById{"find_single_use_token_by_id", TOKEN_SELECT "WHERE t.tenant_id = $1 AND t.id = $2"};
constexpr Sql kConsumeToken{"consume_single_use_token",
                            "UPDATE single_use_tokens SET uses = uses + 1, last_used_at = $2 WHERE id = $1 "
                            "AND revoked_at IS NULL AND uses < max_uses AND expires_at > $2"};
constexpr Sql kRevokeToken{"revoke_single_use_token",
                           "UPDATE single_use_tokens SET revoked_at = COALESCE(revoked_at, $3) "
                           "WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kRevokeUserTokens{"revoke_user_single_use_tokens",
                                "UPDATE single_use_tokens SET revoked_at = $3 WHERE user_id = $1 AND purpose = $2 "
                                "AND revoked_at IS NULL"};
constexpr Sql kListCustomerTokens{"list_customer_single_use_tokens",
                                  TOKEN_SELECT "WHERE t.tenant_id = $1 AND t.customer_id = $2 AND t.purpose = $3 "
                                               "ORDER BY t.id DESC LIMIT $4 OFFSET $5"};
constexpr Sql kCountCustomerTokens{"count_customer_single_use_tokens",
                                   "SELECT COUNT(*) FROM single_use_tokens WHERE tenant_id = $1 AND customer_id = $2 "
                                   "AND purpose = $3"};
constexpr Sql kListTenantTokens{"list_tenant_single_use_tokens",
                                TOKEN_SELECT "WHERE t.tenant_id = $1 AND ($2 = 0 OR t.customer_id = $2) AND t.purpose = $3 "
                                             "ORDER BY t.id DESC LIMIT $4 OFFSET $5"};
constexpr Sql kCountTenantTokens{"count_tenant_single_use_tokens",
                                 "SELECT COUNT(*) FROM single_use_tokens WHERE tenant_id = $1 "
                                 "AND ($2 = 0 OR customer_id = $2) AND purpose = $3"};

constexpr Sql kFindDomain{"find_tenant_domain", "SELECT tenant_id FROM tenant_domains WHERE host = $1"};
constexpr Sql kListDomains{"list_tenant_domains", "SELECT host FROM tenant_domains WHERE tenant_id = $1 ORDER BY host"};
constexpr Sql kClearDomains{"clear_tenant_domains", "DELETE FROM tenant_domains WHERE tenant_id = $1"};
constexpr Sql kInsertDomain{"insert_tenant_domain",
                            "INSERT INTO tenant_domains (host, tenant_id, created_at) VALUES ($1, $2, $3)"};

constexpr Sql kUpdateLanguage{"update_user_language",
                              "UPDATE users SET language = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kUpdateName{"update_user_name",
                          "UPDATE users SET name = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"};

constexpr Sql kEnqueueMail{"enqueue_outbox_mail",
                           "INSERT INTO mail_outbox (tenant_id, to_address, to_name, subject, body_text, body_html, "
                           "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"};
constexpr Sql kDueMail{"due_outbox_mail",
                       "SELECT id, tenant_id, to_address, to_name, subject, body_text, body_html, attempts "
                       "FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2"};
constexpr Sql kLeaseMail{"lease_outbox_mail", "UPDATE mail_outbox SET next_attempt_at = $2 WHERE id = $1"};
constexpr Sql kMailSent{"outbox_mail_sent", "UPDATE mail_outbox SET status = 'sent', sent_at = $2 WHERE id = $1"};
constexpr Sql kMailRetry{"outbox_mail_retry",
                         "UPDATE mail_outbox SET attempts = $2, next_attempt_at = COALESCE($3, next_attempt_at), "
                         "status = CASE WHEN $4 = 1 THEN 'failed' ELSE 'pending' END WHERE id = $1"};

SingleUseTokenRecord ReadToken(const Row& r) {
  SingleUseTokenRecord t;
  t.id = r.Int(0);
  t.tenant = TenantId(r.Int(1));
  t.purpose = domain::ParseTokenPurpose(r.Text(2)).value_or(domain::TokenPurpose::kInvitation);
  if (auto v = r.OptInt(3)) t.customer = CustomerId(*v);
  if (auto v = r.OptInt(4)) t.user = UserId(*v);
  t.parent = r.OptInt(5);
  t.email = r.Text(6);
  t.name = r.Text(7);
  t.access = r.Text(8);
  t.approval_limit_cents = r.OptInt(9);
  t.password_hash = r.Text(10);
  t.language = r.OptText(11);
  t.uses = r.Int(12);
  t.max_uses = r.Int(13);
  if (auto v = r.OptInt(14)) t.created_by = UserId(*v);
  t.created_at = r.Int(15);
  t.expires_at = r.Int(16);
  t.last_used_at = r.OptInt(17);
  t.revoked_at = r.OptInt(18);
  t.customer_name = r.Text(19);
  t.token_hash = r.Text(20);
  return t;
}

Value OptId(const auto& id) { return id ? Value{id->value} : Value{nullptr}; }
Value OptText(const std::string& s) { return s.empty() ? Value{nullptr} : Value{s}; }

}  // namespace

std::int64_t InsertSingleUseToken(Connection& c, const SingleUseTokenRecord& t, const std::string& token_hash) {
  auto row = c.QueryOne(kInsertToken, {t.tenant.value, std::string(domain::ToString(t.purpose)), token_hash,
                                       OptId(t.customer), OptId(t.user), Nullable(t.parent), OptText(t.email),
                                       OptText(t.name), OptText(t.access), Nullable(t.approval_limit_cents),
                                       OptText(t.password_hash), Nullable(t.language), t.max_uses,
                                       OptId(t.created_by), t.created_at, t.expires_at});
  return row->Int(0);
}

std::optional<SingleUseTokenRecord> FindSingleUseToken(Connection& c, domain::TokenPurpose purpose,
                                                       const std::string& token_hash) {
  auto row = c.QueryOne(kFindToken, {token_hash, std::string(domain::ToString(purpose))});
  if (!row) return std::nullopt;
  auto t = ReadToken(*row);
  // The index found the row; the hashes are compared again in constant time (defence in depth).
  if (!ConstantTimeEquals(t.token_hash, token_hash)) return std::nullopt;
  return t;
}

std::optional<SingleUseTokenRecord> FindSingleUseTokenById(Connection& c, TenantId tenant, std::int64_t id) {
  auto row = c.QueryOne(kFindTokenById, {tenant.value, id});
  if (!row) return std::nullopt;
  return ReadToken(*row);
}

bool ConsumeSingleUseToken(Connection& c, std::int64_t id, UnixSeconds now) {
  return c.Execute(kConsumeToken, {id, now}) == 1;
}

bool RevokeSingleUseToken(Connection& c, TenantId tenant, std::int64_t id, UnixSeconds now) {
  return c.Execute(kRevokeToken, {tenant.value, id, now}) == 1;
}

void RevokeUserSingleUseTokens(Connection& c, UserId user, domain::TokenPurpose purpose, UnixSeconds now) {
  c.Execute(kRevokeUserTokens, {user.value, std::string(domain::ToString(purpose)), now});
}

PageOf<SingleUseTokenRecord> ListCustomerTokens(Connection& c, TenantId tenant, CustomerId customer,
                                                domain::TokenPurpose purpose, const PageRequest& page) {
  const std::string p(domain::ToString(purpose));
  PageOf<SingleUseTokenRecord> out;
  out.count = c.Query(kCountCustomerTokens, {tenant.value, customer.value, p}).front().Int(0);
  for (const auto& r : c.Query(kListCustomerTokens, {tenant.value, customer.value, p, page.page_size, page.Offset()})) {
    out.results.push_back(ReadToken(r));
  }
  return out;
}

PageOf<SingleUseTokenRecord> ListTenantTokens(Connection& c, TenantId tenant, std::optional<CustomerId> customer,
                                              domain::TokenPurpose purpose, const PageRequest& page) {
  const std::string p(domain::ToString(purpose));
  const std::int64_t only = customer ? customer->value : 0;  // 0: every customer of the tenant
  PageOf<SingleUseTokenRecord> out;
  out.count = c.Query(kCountTenantTokens, {tenant.value, only, p}).front().Int(0);
  for (const auto& r : c.Query(kListTenantTokens, {tenant.value, only, p, page.page_size, page.Offset()})) {
    out.results.push_back(ReadToken(r));
  }
  return out;
}

std::optional<TenantId> FindTenantByDomain(Connection& c, const std::string& host) {
  auto row = c.QueryOne(kFindDomain, {host});
  if (!row) return std::nullopt;
  return TenantId(row->Int(0));
}

std::vector<std::string> ListTenantDomains(Connection& c, TenantId tenant) {
  std::vector<std::string> out;
  for (const auto& r : c.Query(kListDomains, {tenant.value})) out.push_back(r.Text(0));
  return out;
}

void ReplaceTenantDomains(Connection& c, TenantId tenant, const std::vector<std::string>& hosts, UnixSeconds now) {
  c.Execute(kClearDomains, {tenant.value});
  for (const auto& h : hosts) {
    if (auto owner = FindTenantByDomain(c, h); owner && *owner != tenant) {
      throw Error::Conflict("The domain " + h + " is already used by another tenant.");
    }
    c.Execute(kInsertDomain, {h, tenant.value, now});
  }
}

void UpdateUserLanguage(Connection& c, TenantId tenant, UserId user, const std::optional<std::string>& language,
                        UnixSeconds now) {
  c.Execute(kUpdateLanguage, {tenant.value, user.value, Nullable(language), now});
}

void UpdateUserName(Connection& c, TenantId tenant, UserId user, const std::string& name, UnixSeconds now) {
  c.Execute(kUpdateName, {tenant.value, user.value, name, now});
}

void EnqueueMail(Connection& c, const OutboxMail& m, UnixSeconds now) {
  c.Execute(kEnqueueMail, {m.tenant.value, m.to_address, m.to_name, m.subject, m.body_text, m.body_html, now});
}

std::vector<OutboxMail> DueOutboxMail(Connection& c, UnixSeconds now, std::int64_t limit) {
  std::vector<OutboxMail> out;
  for (const auto& r : c.Query(kDueMail, {now, limit})) {
    out.push_back({r.Int(0), TenantId(r.Int(1)), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7)});
  }
  return out;
}

void LeaseOutboxMail(Connection& c, std::int64_t id, UnixSeconds until) { c.Execute(kLeaseMail, {id, until}); }

void MarkOutboxSent(Connection& c, std::int64_t id, UnixSeconds now) { c.Execute(kMailSent, {id, now}); }

void MarkOutboxRetry(Connection& c, std::int64_t id, std::int64_t attempts, std::optional<UnixSeconds> next_at) {
  c.Execute(kMailRetry, {id, attempts, Nullable(next_at), std::int64_t{next_at ? 0 : 1}});
}

}  // namespace portico::storage
