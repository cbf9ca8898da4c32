// Self-service accounts (issue 13; PRODUCT.md "Self-service accounts", API.md "Invitations, sign-up and
// password reset", "Users (additions)" language): invitations, access codes with sign-up and e-mail
// verification, password reset, custom domains and the user's own name and language. Every secret is a
// single-use token (domain/single_use_token.h) stored as its hash. No answer tells whether an account or a
// code exists: sign-up and reset answer alike whatever the input; unknown, used, revoked and expired tokens
// answer alike. Sign-up, verification and reset are throttled like login (services/login_throttle.h).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "policy/actor.h"
#include "services/auth_service.h"
#include "services/deps.h"
#include "storage/self_service_repository.h"

namespace portico::services {

struct NewInvitation {
  std::string email, name, access;
  std::optional<std::string> approval_limit;  // money text ("500.00"); the access's approval limit once accepted
  std::optional<std::string> language;        // of the e-mail ("en", "es"); default the tenant's
};

/// An invitation as staff see it (status: pending, accepted, revoked, expired).
struct InvitationView {
  storage::SingleUseTokenRecord record;
  std::string status;
};

struct CreatedInvitation {
  InvitationView invitation;
  std::string token;  // shown once: only in the e-mail (and the CLI's output without SMTP)
  std::string link;   // the portal link with the token
};

/// What the public invitation page shows.
struct InvitationPreview {
  std::string tenant_slug, tenant_name, customer_name, email, name;
  UnixSeconds expires_at = 0;
};

struct CreatedAccessCode {
  std::int64_t id = 0;
  std::string code;  // shown once, XXXX-XXXX-XXXX-XXXX (16 characters of Crockford base32, 80 bits)
  UnixSeconds expires_at = 0;
};

/// An access code as staff see it (status: active, used, revoked, expired); the code itself is never shown
/// again after its creation (only its hash is stored).
struct AccessCodeView {
  storage::SingleUseTokenRecord record;
  std::string status;
};

struct SignUpInput {
  std::string tenant, code, email, name, password;
  std::optional<std::string> language;
  std::string client_address;
};

class OnboardingService : public PublishesEvents {
 public:
  OnboardingService(Deps deps, AuthService& auth) : deps_(deps), auth_(auth) {}

  // ---- invitations (admin, manager) ----
  /// Creates an invitation (7 days, single use) and queues its e-mail. 404 customer outside the scope,
  /// 403 role, 400 fields, 409 when the e-mail already has access to this customer.
  CreatedInvitation Invite(const policy::Actor& actor, CustomerId customer, const NewInvitation& in);
  /// The same for the CLI (`portico invite`), as the tenant itself.
  CreatedInvitation InviteInTenant(const std::string& tenant_slug, CustomerId customer, const NewInvitation& in);
  PageOf<InvitationView> ListInvitations(const policy::Actor& actor, CustomerId customer, const PageRequest& page);
  /// Revokes an invitation; 404 when the customer or the invitation is not the actor's to see, 409 when it
  /// was already accepted (the access is then removed with DELETE /customers/{id}/access/{user_id}).
  void RevokeInvitation(const policy::Actor& actor, CustomerId customer, std::int64_t id);
  /// The public view of a usable invitation; Error(kNotFound) for unknown, used, revoked or expired alike.
  InvitationPreview PreviewInvitation(const std::string& token);
  /// Accepts with a new account (name, password); returns the new session as login does. 404 as above;
  /// 400 fields (password rules); 409 when the e-mail already has an account (it logs in and accepts).
  LoginResult AcceptInvitation(const std::string& token, const std::string& name, const std::string& password);
  /// Accepts as the logged-in user: adds the access to its account when its e-mail is the invitation's
  /// (404 otherwise, as for an unknown token). Returns the refreshed actor.
  policy::Actor AcceptInvitationAsUser(const std::string& token, const AuthContext& auth);

  // ---- access codes and sign-up ----
  /// Issues an access code for a customer (admin, manager); `expires_in_days` 1..30 (default 30).
  CreatedAccessCode CreateAccessCode(const policy::Actor& actor, CustomerId customer, const std::string& access,
                                     std::optional<std::int64_t> expires_in_days);
  /// The tenant's access codes, newest first, of one customer when `customer` is given (a customer outside
  /// the actor's scope gives an empty list). Admin, manager (403 otherwise).
  PageOf<AccessCodeView> ListAccessCodes(const policy::Actor& actor, std::optional<CustomerId> customer,
                                         const PageRequest& page);
  /// Revokes an access code (a revoked one stays revoked): 404 unknown or outside the scope, 403 role, 409
  /// when it was already used (the access is then removed with DELETE /customers/{id}/access/{user_id}).
  void RevokeAccessCode(const policy::Actor& actor, std::int64_t id);
  /// Always returns normally (the handler answers 202) unless throttled (429) or a field is malformed
  /// (400, whatever the code). A usable code queues a verification e-mail (24 hours) to the address.
  void SignUp(const SignUpInput& in);
  /// Creates the account (or adds the access to the address's existing account) with the code's access
  /// and uses up the code and the verification token; logs in. 400 `token` for unknown or used tokens.
  LoginResult Verify(const std::string& token, const std::string& client_address);

  // ---- password reset ----
  /// Always returns normally unless throttled (429); a known active account gets one e-mail (1 hour).
  void RequestPasswordReset(const std::string& tenant_slug, const std::string& email,
                            const std::optional<std::string>& language, const std::string& client_address);
  /// Sets the password: 400 `token` for unknown, used or expired tokens; 400 `password` against the rules
  /// (the token stays usable). Ends every session, API token and other reset token of the user.
  void ConfirmPasswordReset(const std::string& token, const std::string& password, const std::string& client_address);

  // ---- custom domains (admin) ----
  std::vector<std::string> Domains(const policy::Actor& actor);
  /// Replaces the tenant's domains (host names, lower-cased, at most 10); 409 when one is another tenant's.
  std::vector<std::string> SetDomains(const policy::Actor& actor, const std::vector<std::string>& domains);
  /// The slug of the tenant whose custom domain `host` is (a Host header: the port is ignored), if any.
  /// Answers from a cache of 30 seconds per host (portal pages are served on the I/O threads); this
  /// instance's SetDomains clears it, other instances see a change within 30 seconds.
  std::optional<std::string> TenantSlugForHost(const std::string& host);

  // ---- the user's own account ----
  /// PATCH /me: the caller's own name (1..200), language ("en", "es" or null) and @handle (lower-cased;
  /// invalid 400; another user's 409); returns the refreshed actor.
  policy::Actor UpdateMe(const policy::Actor& actor, const std::optional<std::string>& name,
                         const std::optional<std::optional<std::string>>& language,
                         const std::optional<std::string>& handle = std::nullopt);

 private:
  CreatedInvitation InviteIn(storage::Connection& c, const storage::TenantRecord& tenant, CustomerId customer,
                             const NewInvitation& in, std::optional<UserId> by);
  LoginResult StartSession(storage::Connection& c, const storage::UserRecord& user);
  std::string PortalBaseOf(storage::Connection& c, const storage::TenantRecord& tenant);
  /// Reserves an attempt under `kind` ("signup", "verify", "reset") for the account key and the address,
  /// with login's limits and window; 429 when either is locked. The attempt counts as a failure until
  /// Succeeded takes it back.
  void Reserve(const std::string& kind, const std::string& account, const std::string& address);
  void Failed(const std::string& kind, const std::string& account, const std::string& address);
  void Succeeded(storage::Connection& c, const std::string& kind, const std::string& account,
                 const std::string& address);

  Deps deps_;
  AuthService& auth_;
  struct CachedHost {
    std::optional<std::string> slug;
    UnixSeconds until = 0;
  };
  std::mutex host_mutex_;
  std::map<std::string, CachedHost> host_cache_;
};

}  // namespace portico::services
