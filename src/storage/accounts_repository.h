// Tenants, users, sessions and API tokens. Every query that reads users is scoped to a tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

std::optional<TenantRecord> FindTenantBySlug(Connection& c, const std::string& slug);
std::optional<TenantRecord> FindTenant(Connection& c, TenantId id);
/// Throws Error(kConflict) for a duplicate slug.
TenantId InsertTenant(Connection& c, const TenantRecord& t);
void UpdateTenantBranding(Connection& c, TenantId id, const domain::Branding& b, UnixSeconds now);
void UpdateTenantPricing(Connection& c, TenantId id, const domain::PricingSettings& p, UnixSeconds now);

std::optional<UserRecord> FindUserByEmail(Connection& c, TenantId tenant, const std::string& email);
std::optional<UserRecord> FindUser(Connection& c, TenantId tenant, UserId id);
PageOf<UserRecord> ListUsers(Connection& c, TenantId tenant, const std::optional<std::string>& role,
                             const PageRequest& page);
/// Throws Error(kConflict) for a duplicate e-mail in the tenant.
UserId InsertUser(Connection& c, const UserRecord& u);
void UpdateUser(Connection& c, const UserRecord& u);
/// Staff users with role technician, with their count of open (APPROVED, IN_PROGRESS) repairs.
std::vector<std::pair<UserRecord, std::int64_t>> ListTechnicians(Connection& c, TenantId tenant);

/// Returns the new session's id.
std::int64_t InsertSession(Connection& c, const std::string& token_hash, UserId user, const std::string& csrf,
                           UnixSeconds now, UnixSeconds expires_at);
/// The session with this token hash and its user, if any (expiry is checked by the caller).
std::optional<std::pair<SessionRecord, UserRecord>> FindSession(Connection& c, const std::string& token_hash);
void TouchSession(Connection& c, std::int64_t session_id, UnixSeconds now);
void DeleteSession(Connection& c, std::int64_t session_id);
void DeleteUserSessions(Connection& c, UserId user);
void DeleteExpiredSessions(Connection& c, UnixSeconds now, UnixSeconds idle_cutoff);

TokenId InsertToken(Connection& c, TenantId tenant, UserId user, const std::string& name,
                    const std::string& token_hash, UnixSeconds now);
std::optional<std::pair<TokenRecord, UserRecord>> FindActiveToken(Connection& c, const std::string& token_hash);
std::vector<TokenRecord> ListTokens(Connection& c, UserId user);
/// Revokes the user's token; false if there is no such active token of that user.
bool RevokeToken(Connection& c, UserId user, TokenId id, UnixSeconds now);
void TouchToken(Connection& c, TokenId id, UnixSeconds now);
/// Revokes every active API token of a user (a password change ends them).
void RevokeUserTokens(Connection& c, UserId user, UnixSeconds now);
/// True while the session exists, is before its absolute expiry (`now`) and was seen after `idle_cutoff`.
bool SessionAlive(Connection& c, std::int64_t session_id, UnixSeconds now, UnixSeconds idle_cutoff);
/// True while the API token exists and is not revoked.
bool TokenAlive(Connection& c, TokenId id);

}  // namespace portico::storage
