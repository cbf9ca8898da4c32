// Storage of issue 13 (self-service accounts): single-use tokens (only their SHA-256 is stored), a tenant's
// custom domains, the outbox of account e-mails and each user's language. Every token query names the
// tenant or the token hash; consuming a token is one atomic statement, so a secret is used at most
// max_uses times even under concurrent requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/page.h"
#include "domain/single_use_token.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

/// One single-use token row. Which fields are set depends on the purpose: invitation (customer, email,
/// name, access, approval limit), access code (customer, access), e-mail verification (parent = the access
/// code, email, name, password hash), password reset (user).
struct SingleUseTokenRecord {
  std::int64_t id = 0;
  TenantId tenant;
  domain::TokenPurpose purpose = domain::TokenPurpose::kInvitation;
  std::optional<CustomerId> customer;
  std::optional<UserId> user;
  std::optional<std::int64_t> parent;
  std::string email, name, access;
  std::optional<std::int64_t> approval_limit_cents;
  std::string password_hash;
  std::optional<std::string> language;
  std::int64_t uses = 0;
  std::int64_t max_uses = 1;
  std::optional<UserId> created_by;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> last_used_at;
  std::optional<UnixSeconds> revoked_at;
  std::string token_hash;     // SHA-256 hex of the secret
  std::string customer_name;  // filled by the finders when the token names a customer

  domain::TokenUse use() const { return {expires_at, uses, max_uses, revoked_at}; }
};

/// Inserts a token with the hash of its secret; returns its id.
std::int64_t InsertSingleUseToken(Connection& c, const SingleUseTokenRecord& t, const std::string& token_hash);
/// The token with this hash and purpose, whatever its state (the caller decides with DecideTokenUse).
std::optional<SingleUseTokenRecord> FindSingleUseToken(Connection& c, domain::TokenPurpose purpose,
                                                       const std::string& token_hash);
/// The same by id within a tenant.
std::optional<SingleUseTokenRecord> FindSingleUseTokenById(Connection& c, TenantId tenant, std::int64_t id);
/// Takes one use of a token if it is usable at `now` (not revoked, not used up, not expired): true when
/// this call got the use. One statement, so concurrent consumers cannot both get the last use.
bool ConsumeSingleUseToken(Connection& c, std::int64_t id, UnixSeconds now);
/// Revokes a token of the tenant (no-op when already revoked); false when there is no such token.
bool RevokeSingleUseToken(Connection& c, TenantId tenant, std::int64_t id, UnixSeconds now);
/// Revokes every unrevoked token of `purpose` of a user (a password reset ends the others).
void RevokeUserSingleUseTokens(Connection& c, UserId user, domain::TokenPurpose purpose, UnixSeconds now);
/// A customer's tokens of one purpose, newest first.
PageOf<SingleUseTokenRecord> ListCustomerTokens(Connection& c, TenantId tenant, CustomerId customer,
                                                domain::TokenPurpose purpose, const PageRequest& page);
/// A tenant's tokens of one purpose, of one customer when `customer` is set, newest first (access codes).
PageOf<SingleUseTokenRecord> ListTenantTokens(Connection& c, TenantId tenant, std::optional<CustomerId> customer,
                                              domain::TokenPurpose purpose, const PageRequest& page);

/// The tenant whose custom domain `host` is (lower-case, without port).
std::optional<TenantId> FindTenantByDomain(Connection& c, const std::string& host);
std::vector<std::string> ListTenantDomains(Connection& c, TenantId tenant);
/// Replaces a tenant's domains. Throws Error(kConflict) when a host belongs to another tenant.
void ReplaceTenantDomains(Connection& c, TenantId tenant, const std::vector<std::string>& hosts, UnixSeconds now);

void UpdateUserLanguage(Connection& c, TenantId tenant, UserId user, const std::optional<std::string>& language,
                        UnixSeconds now);
void UpdateUserName(Connection& c, TenantId tenant, UserId user, const std::string& name, UnixSeconds now);

/// One account e-mail waiting in the outbox.
struct OutboxMail {
  std::int64_t id = 0;
  TenantId tenant;
  std::string to_address, to_name, subject, body_text, body_html;
  std::int64_t attempts = 0;
};
void EnqueueMail(Connection& c, const OutboxMail& m, UnixSeconds now);
/// Pending mails due at `now`, oldest first.
std::vector<OutboxMail> DueOutboxMail(Connection& c, UnixSeconds now, std::int64_t limit);
/// Claims a due mail until `until`, so another instance does not send it too.
void LeaseOutboxMail(Connection& c, std::int64_t id, UnixSeconds until);
void MarkOutboxSent(Connection& c, std::int64_t id, UnixSeconds now);
/// A failed attempt: retried at `next_at`, or given up ('failed') when nullopt.
void MarkOutboxRetry(Connection& c, std::int64_t id, std::int64_t attempts, std::optional<UnixSeconds> next_at);

}  // namespace portico::storage
