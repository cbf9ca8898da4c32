// Authentication use cases: log in and out, resolve a session cookie or a Bearer token to the Actor,
// personal API tokens. Source: API.md "Authentication", issue 2 (sessions, CSRF, throttling).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "services/login_throttle.h"
#include "storage/records.h"

namespace portico::services {

struct AuthContext {
  policy::Actor actor;
  AuthKind kind = AuthKind::kSession;
  std::int64_t session_id = 0;  // kSession only
  std::int64_t token_id = 0;    // kToken only
  std::string csrf_token;       // kSession only

  /// The session or token this request was authenticated with.
  Credential credential() const { return {kind, kind == AuthKind::kSession ? session_id : token_id}; }
};

struct LoginInput {
  std::string tenant;
  std::string email;
  std::string password;
  std::string client_address;  // for throttling
};

struct LoginResult {
  AuthContext auth;
  std::string session_token;  // the cookie value; only its hash is stored
  UnixSeconds expires_at = 0;
};

struct CreatedToken {
  storage::TokenRecord record;
  std::string token;  // shown once
};

class AuthService : public PublishesEvents {
 public:
  explicit AuthService(Deps deps) : deps_(deps), throttle_(deps.db) {}

  /// Throws Error(kTooManyRequests) when throttled; Error(kUnauthenticated) with one identical message
  /// for an unknown tenant, unknown e-mail, inactive user or wrong password. Every path that reaches the
  /// password check costs one hash (no timing difference between unknown, inactive and wrong).
  LoginResult Login(const LoginInput& in);
  /// Deletes the session server-side; the session's live streams close.
  void Logout(const AuthContext& auth);
  /// The session for a cookie value, or nullopt if unknown or expired (idle or absolute expiry).
  std::optional<AuthContext> AuthenticateSession(const std::string& cookie_value);
  /// The user of an active Bearer token, or nullopt.
  std::optional<AuthContext> AuthenticateToken(const std::string& bearer);

  /// Creates a personal API token; name 1..100 characters (400 otherwise).
  CreatedToken CreateToken(const policy::Actor& actor, const std::string& name);
  std::vector<storage::TokenRecord> ListTokens(const policy::Actor& actor);
  /// Throws Error(kNotFound) if the actor has no such active token. Streams opened with it close.
  void RevokeToken(const policy::Actor& actor, TokenId id);

  /// Loads an Actor for a user (tenant names, customer access). Used by the CLI and tests too.
  policy::Actor LoadActor(storage::Connection& conn, const storage::UserRecord& user);

  /// The password-hash cost configured (kMin only when configured for tests).
  PasswordHashCost HashCost() const;

 private:
  Deps deps_;
  LoginThrottle throttle_;
};

/// Runs argon2id work with at most (cores - 1, at least 1) hashes at a time, so that logins under load
/// leave a core to the I/O threads (issue 2: logins must not push /healthz p99 up).
class HashingGate {
 public:
  static bool Verify(std::string_view hash, std::string_view password);
  static std::string Hash(std::string_view password, PasswordHashCost cost);
};

/// Lower-cases and trims an e-mail address for storage and lookup.
std::string NormaliseEmail(const std::string& email);
/// Minimal syntactic check: one '@', something on both sides, a dot in the domain, no spaces, <= 254.
bool LooksLikeEmail(const std::string& email);

}  // namespace portico::services
