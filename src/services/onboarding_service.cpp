#include "services/onboarding_service.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/error.h"
#include "domain/money.h"
#include "domain/password_rules.h"
#include "domain/single_use_token.h"
#include "policy/policy.h"
#include "services/account_mail.h"
#include "services/field_checks.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/handles_repository.h"
#include "storage/throttle_repository.h"

namespace portico::services {
namespace {

using domain::TokenPurpose;
using policy::Action;

void Require(const policy::Actor& actor, Action action) {
  if (!policy::Can(actor, action)) throw Error::Forbidden();
}

std::optional<std::string> CheckLanguage(FieldErrors& errors, const std::optional<std::string>& language) {
  if (!language) return std::nullopt;
  if (*language != "en" && *language != "es") errors["language"].push_back("Must be \"en\" or \"es\".");
  return language;
}

void CheckName(FieldErrors& errors, const std::string& v) {
  if (v.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors["name"].push_back("Required.");
  } else if (v.size() > 200) {
    errors["name"].push_back("At most 200 characters.");
  }
}

void Throw(FieldErrors errors) {
  if (!errors.empty()) throw Error::Validation(std::move(errors));
}

storage::TenantRecord TenantOf(storage::Connection& c, TenantId id) {
  auto t = storage::FindTenant(c, id);
  if (!t) throw Error::NotFound("No such tenant.");
  return *t;
}

}  // namespace

// ---- shared helpers ----

void OnboardingService::Reserve(const std::string& kind, const std::string& account, const std::string& address) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (!storage::ReserveAttempt(tx->conn(), kind + ":account:" + account, LoginThrottle::kAccountLimit,
                               LoginThrottle::kWindowSeconds, now) ||
      !storage::ReserveAttempt(tx->conn(), kind + ":address:" + address, LoginThrottle::kAddressLimit,
                               LoginThrottle::kWindowSeconds, now)) {
    throw Error(ErrorCode::kTooManyRequests, "Too many attempts; try again in 15 minutes.");
  }
  tx->Commit();
}

void OnboardingService::Failed(const std::string& kind, const std::string& account, const std::string& address) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  storage::SettleFailure(tx->conn(), kind + ":account:" + account, LoginThrottle::kAccountLimit,
                         LoginThrottle::kWindowSeconds, now);
  storage::SettleFailure(tx->conn(), kind + ":address:" + address, LoginThrottle::kAddressLimit,
                         LoginThrottle::kWindowSeconds, now);
  tx->Commit();
}

void OnboardingService::Succeeded(storage::Connection& c, const std::string& kind, const std::string& account,
                                  const std::string& address) {
  storage::SettleSuccess(c, kind + ":account:" + account);
  storage::SettleSuccess(c, kind + ":address:" + address);
}

LoginResult OnboardingService::StartSession(storage::Connection& c, const storage::UserRecord& user) {
  const UnixSeconds now = deps_.clock.Now();
  LoginResult result;
  result.session_token = RandomToken(32);
  result.auth.csrf_token = RandomToken(32);
  result.auth.kind = AuthKind::kSession;
  result.expires_at = now + deps_.config.session_absolute_hours * 3600;
  result.auth.session_id = storage::InsertSession(c, HashToken(result.session_token), user.id, result.auth.csrf_token,
                                                 now, result.expires_at);
  result.auth.actor = auth_.LoadActor(c, user);
  return result;
}

std::string OnboardingService::PortalBaseOf(storage::Connection& c, const storage::TenantRecord& tenant) {
  return PortalBase(deps_.config.public_url, deps_.config.listen, tenant.slug, storage::ListTenantDomains(c, tenant.id));
}

// ---- invitations ----

CreatedInvitation OnboardingService::InviteIn(storage::Connection& c, const storage::TenantRecord& tenant,
                                              CustomerId customer, const NewInvitation& in, std::optional<UserId> by) {
  FieldErrors errors;
  const std::string email = NormaliseEmail(in.email);
  if (!LooksLikeEmail(email)) errors["email"].push_back("Must be an e-mail address.");
  if (in.name.size() > 200) errors["name"].push_back("At most 200 characters.");
  if (!domain::ParseCustomerAccess(in.access)) errors["access"].push_back("Must be one of approver, requester, viewer.");
  std::optional<domain::Cents> limit;
  if (in.approval_limit) {
    limit = domain::ParseMoney(*in.approval_limit);
    if (!limit || *limit < 0) errors["approval_limit"].push_back("Must be an amount such as \"500.00\" or null.");
  }
  auto language = CheckLanguage(errors, in.language);
  Throw(std::move(errors));
  if (auto user = storage::FindUserByEmail(c, tenant.id, email)) {
    if (user->role != domain::Role::kCustomer) throw Error::Conflict("This e-mail belongs to a staff user.");
    for (const auto& g : storage::ListAccessOfUser(c, user->id)) {
      if (g.customer == customer) throw Error::Conflict("This e-mail already has access to this customer.");
    }
  }
  const UnixSeconds now = deps_.clock.Now();
  storage::SingleUseTokenRecord t;
  t.tenant = tenant.id;
  t.purpose = TokenPurpose::kInvitation;
  t.customer = customer;
  t.email = email;
  t.name = in.name;
  t.access = in.access;
  t.approval_limit_cents = limit;
  t.language = language;
  t.created_by = by;
  t.created_at = now;
  t.expires_at = now + domain::DefaultLifetime(TokenPurpose::kInvitation);
  CreatedInvitation out;
  out.token = RandomToken(32);
  t.id = storage::InsertSingleUseToken(c, t, HashToken(out.token));
  auto stored = storage::FindSingleUseTokenById(c, tenant.id, t.id);
  out.invitation = {*stored, std::string(domain::TokenStatus(stored->use(), now))};
  out.link = PortalBaseOf(c, tenant) + "/invite/" + out.token;
  storage::EnqueueMail(c,
                       AccountMail(AccountMailKind::kInvitation, tenant, MailLanguage(language, tenant.branding.default_language), email, in.name,
                                   stored->customer_name, out.link, domain::DefaultLifetime(TokenPurpose::kInvitation) / 3600),
                       now);
  return out;
}

CreatedInvitation OnboardingService::Invite(const policy::Actor& actor, CustomerId customer, const NewInvitation& in) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), customer)) throw Error::NotFound("No such customer.");
  Require(actor, Action::kManageInvitations);
  // Without a language the e-mail is in the tenant's default, and the new account keeps none of its own.
  auto out = InviteIn(tx->conn(), TenantOf(tx->conn(), actor.tenant), customer, in, actor.user);
  tx->Commit();
  return out;
}

CreatedInvitation OnboardingService::InviteInTenant(const std::string& tenant_slug, CustomerId customer,
                                                    const NewInvitation& in) {
  auto tx = deps_.db.Write();
  auto tenant = storage::FindTenantBySlug(tx->conn(), tenant_slug);
  if (!tenant) throw Error::NotFound("No tenant '" + tenant_slug + "'.");
  policy::CustomerScope scope{tenant->id, true, {}};
  if (!storage::FindCustomer(tx->conn(), scope, customer)) throw Error::NotFound("No such customer in this tenant.");
  auto out = InviteIn(tx->conn(), *tenant, customer, in, std::nullopt);
  tx->Commit();
  return out;
}

PageOf<InvitationView> OnboardingService::ListInvitations(const policy::Actor& actor, CustomerId customer,
                                                          const PageRequest& page) {
  auto tx = deps_.db.Read();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), customer)) throw Error::NotFound("No such customer.");
  Require(actor, Action::kManageInvitations);
  const UnixSeconds now = deps_.clock.Now();
  auto rows = storage::ListCustomerTokens(tx->conn(), actor.tenant, customer, TokenPurpose::kInvitation, page);
  PageOf<InvitationView> out;
  out.count = rows.count;
  for (auto& r : rows.results) {
    std::string status(domain::TokenStatus(r.use(), now));
    out.results.push_back({std::move(r), std::move(status)});
  }
  return out;
}

void OnboardingService::RevokeInvitation(const policy::Actor& actor, CustomerId customer, std::int64_t id) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), customer)) throw Error::NotFound("No such customer.");
  auto t = storage::FindSingleUseTokenById(tx->conn(), actor.tenant, id);
  if (!t || t->purpose != TokenPurpose::kInvitation || t->customer != customer) {
    throw Error::NotFound("No such invitation.");
  }
  Require(actor, Action::kManageInvitations);
  if (t->uses >= t->max_uses) throw Error::Conflict("This invitation was already accepted; remove the access instead.");
  storage::RevokeSingleUseToken(tx->conn(), actor.tenant, id, deps_.clock.Now());
  tx->Commit();
}

InvitationPreview OnboardingService::PreviewInvitation(const std::string& token) {
  if (token.empty() || token.size() > 128) throw Error::NotFound("No such invitation.");
  auto tx = deps_.db.Read();
  auto t = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kInvitation, HashToken(token));
  if (!t || domain::DecideTokenUse(t->use(), deps_.clock.Now()) != domain::TokenVerdict::kUsable) {
    throw Error::NotFound("No such invitation.");
  }
  auto tenant = TenantOf(tx->conn(), t->tenant);
  return {tenant.slug, tenant.name, t->customer_name, t->email, t->name, t->expires_at};
}

LoginResult OnboardingService::AcceptInvitation(const std::string& token, const std::string& name,
                                                const std::string& password) {
  auto preview = PreviewInvitation(token);  // 404 before anything else
  FieldErrors errors;
  CheckName(errors, name);
  if (auto problem = domain::PasswordProblem(password, preview.email)) errors["password"].push_back(*problem);
  Throw(std::move(errors));
  const std::string hash = HashingGate::Hash(password, auth_.HashCost());  // before the write lock
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto t = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kInvitation, HashToken(token));
  if (!t) throw Error::NotFound("No such invitation.");
  if (storage::FindUserByEmail(tx->conn(), t->tenant, t->email)) {
    throw Error::Conflict("This e-mail already has an account: log in, then open the invitation again.");
  }
  if (!storage::ConsumeSingleUseToken(tx->conn(), t->id, now)) throw Error::NotFound("No such invitation.");
  storage::UserRecord u;
  u.tenant = t->tenant;
  u.email = t->email;
  u.name = name;
  u.role = domain::Role::kCustomer;
  u.password_hash = hash;
  u.created_at = u.updated_at = now;
  u.id = storage::InsertUser(tx->conn(), u);
  if (t->language) storage::UpdateUserLanguage(tx->conn(), u.tenant, u.id, t->language, now);
  storage::UpsertAccess(tx->conn(), t->tenant, *t->customer, u.id, *domain::ParseCustomerAccess(t->access), false, now);
  storage::SetApprovalLimit(tx->conn(), *t->customer, u.id, t->approval_limit_cents);  // issue 10's limits
  auto result = StartSession(tx->conn(), u);
  tx->Commit();
  return result;
}

policy::Actor OnboardingService::AcceptInvitationAsUser(const std::string& token, const AuthContext& auth) {
  if (token.empty() || token.size() > 128) throw Error::NotFound("No such invitation.");
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto t = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kInvitation, HashToken(token));
  if (!t || t->tenant != auth.actor.tenant || t->email != NormaliseEmail(auth.actor.email) ||
      auth.actor.role != domain::Role::kCustomer || !storage::ConsumeSingleUseToken(tx->conn(), t->id, now)) {
    throw Error::NotFound("No such invitation.");
  }
  storage::UpsertAccess(tx->conn(), t->tenant, *t->customer, auth.actor.user, *domain::ParseCustomerAccess(t->access),
                        false, now);
  storage::SetApprovalLimit(tx->conn(), *t->customer, auth.actor.user, t->approval_limit_cents);
  auto event = RecordAuthChanged(tx->conn(), t->tenant, auth.actor.user, "access_changed", now);
  auto user = storage::FindUser(tx->conn(), t->tenant, auth.actor.user);
  auto actor = auth_.LoadActor(tx->conn(), *user);
  tx->Commit();
  Publish(event);
  return actor;
}

// ---- custom domains ----

std::vector<std::string> OnboardingService::Domains(const policy::Actor& actor) {
  Require(actor, Action::kManageDomains);
  auto tx = deps_.db.Read();
  return storage::ListTenantDomains(tx->conn(), actor.tenant);
}

std::vector<std::string> OnboardingService::SetDomains(const policy::Actor& actor, const std::vector<std::string>& in) {
  Require(actor, Action::kManageDomains);
  FieldErrors errors;
  std::vector<std::string> hosts;
  if (in.size() > 10) errors["domains"].push_back("At most 10 domains.");
  for (const auto& d : in) {
    std::string h = NormaliseEmail(d);  // trims and lower-cases
    bool ok = !h.empty() && h.size() <= 253 && h.find('.') != std::string::npos && h.front() != '.' &&
              h.back() != '.' && h.front() != '-';
    for (char c : h) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
    if (!ok) {
      errors["domains"].push_back("\"" + d.substr(0, 100) + "\" is not a host name.");
    } else if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) {
      hosts.push_back(h);
    }
  }
  Throw(std::move(errors));
  auto tx = deps_.db.Write();
  storage::ReplaceTenantDomains(tx->conn(), actor.tenant, hosts, deps_.clock.Now());
  auto out = storage::ListTenantDomains(tx->conn(), actor.tenant);
  tx->Commit();
  std::lock_guard lock(host_mutex_);
  host_cache_.clear();
  return out;
}

std::optional<std::string> OnboardingService::TenantSlugForHost(const std::string& host) {
  std::string h = host;
  if (auto colon = h.rfind(':'); colon != std::string::npos && h.find(']') == std::string::npos) h.resize(colon);
  h = NormaliseEmail(h);
  if (h.empty() || h.size() > 253) return std::nullopt;
  const UnixSeconds now = deps_.clock.Now();
  {
    std::lock_guard lock(host_mutex_);
    if (auto it = host_cache_.find(h); it != host_cache_.end() && it->second.until > now) return it->second.slug;
  }
  std::optional<std::string> slug;
  {
    auto tx = deps_.db.Read();
    if (auto id = storage::FindTenantByDomain(tx->conn(), h)) {
      if (auto t = storage::FindTenant(tx->conn(), *id)) slug = t->slug;
    }
  }
  std::lock_guard lock(host_mutex_);
  if (host_cache_.size() > 1000) host_cache_.clear();
  host_cache_[h] = {slug, now + 30};
  return slug;
}

// ---- the user's own account ----

policy::Actor OnboardingService::UpdateMe(const policy::Actor& actor, const std::optional<std::string>& name,
                                          const std::optional<std::optional<std::string>>& language,
                                          const std::optional<std::string>& handle) {
  FieldErrors errors;
  if (name) CheckName(errors, *name);
  if (language) CheckLanguage(errors, *language);
  std::optional<std::string> h;
  if (handle) h = CheckHandle(errors, *handle);
  Throw(std::move(errors));
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (name) storage::UpdateUserName(tx->conn(), actor.tenant, actor.user, *name, now);
  if (language) storage::UpdateUserLanguage(tx->conn(), actor.tenant, actor.user, *language, now);
  auto user = storage::FindUser(tx->conn(), actor.tenant, actor.user);
  if (!user) throw Error::NotFound("No such user.");
  // The user's own @handle (API.md "Users (additions)"): unique within the tenant, 409 otherwise.
  if (h && *h != user->handle) {
    if (storage::HandleTaken(tx->conn(), actor.tenant, *h, actor.user)) {
      throw Error::Conflict("Another user of this shop has this handle.");
    }
    user->handle = *h;
    user->updated_at = now;
    storage::UpdateUser(tx->conn(), *user);
  }
  auto out = auth_.LoadActor(tx->conn(), *user);
  tx->Commit();
  return out;
}

}  // namespace portico::services
