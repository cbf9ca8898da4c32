// OnboardingService, second part: access codes, sign-up with e-mail verification, password reset.
#include <spdlog/spdlog.h>

#include "core/crypto.h"
#include "core/error.h"
#include "domain/password_rules.h"
#include "domain/single_use_token.h"
#include "policy/policy.h"
#include "services/account_mail.h"
#include "services/onboarding_service.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"

namespace portico::services {
namespace {

using domain::TokenPurpose;
using domain::TokenVerdict;

constexpr std::size_t kAccessCodeLength = 16;

const char* kBadToken = "This link is not valid (unknown, already used or expired).";

}  // namespace

CreatedAccessCode OnboardingService::CreateAccessCode(const policy::Actor& actor, CustomerId customer,
                                                      const std::string& access,
                                                      std::optional<std::int64_t> expires_in_days) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), customer)) throw Error::NotFound("No such customer.");
  if (!policy::Can(actor, policy::Action::kManageInvitations)) throw Error::Forbidden();
  FieldErrors errors;
  if (!domain::ParseCustomerAccess(access)) errors["access"].push_back("Must be one of approver, requester, viewer.");
  const std::int64_t days = expires_in_days.value_or(domain::kMaxAccessCodeDays);
  if (days < 1 || days > domain::kMaxAccessCodeDays) {
    errors["expires_in_days"].push_back("From 1 to " + std::to_string(domain::kMaxAccessCodeDays) + " days.");
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  const UnixSeconds now = deps_.clock.Now();
  CreatedAccessCode out;
  const std::string raw = RandomCode(kAccessCodeLength, domain::kAccessCodeAlphabet);
  out.code = domain::FormatAccessCode(raw);
  out.expires_at = now + days * 86400;
  storage::SingleUseTokenRecord t;
  t.tenant = actor.tenant;
  t.purpose = TokenPurpose::kAccessCode;
  t.customer = customer;
  t.access = access;
  t.created_by = actor.user;
  t.created_at = now;
  t.expires_at = out.expires_at;
  out.id = storage::InsertSingleUseToken(tx->conn(), t, HashToken(raw));
  tx->Commit();
  return out;
}

PageOf<AccessCodeView> OnboardingService::ListAccessCodes(const policy::Actor& actor, std::optional<CustomerId> customer,
                                                         const PageRequest& page) {
  if (!policy::Can(actor, policy::Action::kManageInvitations)) throw Error::Forbidden();
  auto tx = deps_.db.Read();
  PageOf<AccessCodeView> out;
  // A filter never widens the scope: a customer the actor cannot see lists nothing.
  if (customer && !storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), *customer)) return out;
  const UnixSeconds now = deps_.clock.Now();
  auto rows = storage::ListTenantTokens(tx->conn(), actor.tenant, customer, TokenPurpose::kAccessCode, page);
  out.count = rows.count;
  for (auto& r : rows.results) {
    std::string status(domain::AccessCodeStatus(r.use(), now));
    out.results.push_back({std::move(r), std::move(status)});
  }
  return out;
}

void OnboardingService::RevokeAccessCode(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto t = storage::FindSingleUseTokenById(tx->conn(), actor.tenant, id);
  if (!t || t->purpose != TokenPurpose::kAccessCode || !t->customer ||
      !storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), *t->customer)) {
    throw Error::NotFound("No such access code.");
  }
  if (!policy::Can(actor, policy::Action::kManageInvitations)) throw Error::Forbidden();
  if (t->uses >= t->max_uses) throw Error::Conflict("This access code was already used; remove the access instead.");
  storage::RevokeSingleUseToken(tx->conn(), actor.tenant, id, deps_.clock.Now());
  tx->Commit();
}

void OnboardingService::SignUp(const SignUpInput& in) {
  FieldErrors errors;
  const std::string email = NormaliseEmail(in.email);
  if (!LooksLikeEmail(email)) errors["email"].push_back("Must be an e-mail address.");
  if (in.name.find_first_not_of(" \t\r\n") == std::string::npos || in.name.size() > 200) {
    errors["name"].push_back("Required, at most 200 characters.");
  }
  if (in.code.size() > 64) errors["code"].push_back("At most 64 characters.");
  if (auto problem = domain::PasswordProblem(in.password, email)) errors["password"].push_back(*problem);
  if (in.language && *in.language != "en" && *in.language != "es") errors["language"].push_back("Must be \"en\" or \"es\".");
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  const std::string account = in.tenant + "\n" + email;
  Reserve("signup", account, in.client_address);
  // One hash on every path, so a wrong code costs as much time as a right one.
  const std::string hash = HashingGate::Hash(in.password, auth_.HashCost());
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto tenant = storage::FindTenantBySlug(tx->conn(), in.tenant);
  std::optional<storage::SingleUseTokenRecord> code;
  if (tenant) code = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kAccessCode,
                                                 HashToken(domain::NormaliseAccessCode(in.code)));
  if (!code || code->tenant != tenant->id || domain::DecideTokenUse(code->use(), now) != TokenVerdict::kUsable) {
    tx.reset();
    Failed("signup", account, in.client_address);
    spdlog::info("sign-up with an unusable code tenant={} address={}", in.tenant, in.client_address);
    return;
  }
  Succeeded(tx->conn(), "signup", account, in.client_address);
  storage::SingleUseTokenRecord v;
  v.tenant = tenant->id;
  v.purpose = TokenPurpose::kEmailVerification;
  v.customer = code->customer;
  v.parent = code->id;
  v.email = email;
  v.name = in.name;
  v.access = code->access;
  v.password_hash = hash;
  v.language = in.language;
  v.created_at = now;
  v.expires_at = now + domain::DefaultLifetime(TokenPurpose::kEmailVerification);
  const std::string token = RandomToken(32);
  storage::InsertSingleUseToken(tx->conn(), v, HashToken(token));
  const std::string link = PortalBaseOf(tx->conn(), *tenant) + "/verify/" + token;
  storage::EnqueueMail(tx->conn(),
                       AccountMail(AccountMailKind::kVerification, *tenant, MailLanguage(in.language, tenant->branding.default_language), email, in.name,
                                   code->customer_name, link, domain::DefaultLifetime(TokenPurpose::kEmailVerification) / 3600),
                       now);
  tx->Commit();
}

LoginResult OnboardingService::Verify(const std::string& token, const std::string& client_address) {
  if (token.empty() || token.size() > 128) throw Error::Field("token", kBadToken);
  Reserve("verify", client_address, client_address);
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto v = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kEmailVerification, HashToken(token));
  std::optional<storage::SingleUseTokenRecord> code;
  if (v && v->parent) code = storage::FindSingleUseTokenById(tx->conn(), v->tenant, *v->parent);
  if (!v || !code || !storage::ConsumeSingleUseToken(tx->conn(), v->id, now) ||
      !storage::ConsumeSingleUseToken(tx->conn(), code->id, now)) {
    tx.reset();
    Failed("verify", client_address, client_address);
    throw Error::Field("token", kBadToken);
  }
  Succeeded(tx->conn(), "verify", client_address, client_address);
  auto user = storage::FindUserByEmail(tx->conn(), v->tenant, v->email);
  if (user && (user->role != domain::Role::kCustomer || !user->is_active)) {
    // A staff or deactivated account is never given customer access by sign-up.
    throw Error::Field("token", kBadToken);
  }
  if (!user) {
    storage::UserRecord u;
    u.tenant = v->tenant;
    u.email = v->email;
    u.name = v->name;
    u.role = domain::Role::kCustomer;
    u.password_hash = v->password_hash;
    u.created_at = u.updated_at = now;
    u.id = storage::InsertUser(tx->conn(), u);
    if (v->language) storage::UpdateUserLanguage(tx->conn(), u.tenant, u.id, v->language, now);
    user = u;
  }
  storage::UpsertAccess(tx->conn(), v->tenant, *code->customer, user->id, *domain::ParseCustomerAccess(code->access),
                        false, now);
  auto event = RecordAuthChanged(tx->conn(), v->tenant, user->id, "access_changed", now);
  auto result = StartSession(tx->conn(), *user);
  tx->Commit();
  Publish(event);
  return result;
}

void OnboardingService::RequestPasswordReset(const std::string& tenant_slug, const std::string& email_in,
                                             const std::optional<std::string>& language,
                                             const std::string& client_address) {
  if (tenant_slug.size() > 100 || email_in.size() > 320) throw Error(ErrorCode::kInvalidInput, "Too long.");
  const std::string email = NormaliseEmail(email_in);
  const std::string account = tenant_slug + "\n" + email;
  // Every request counts (known or not, the same): an address cannot flood one mailbox or probe many.
  Reserve("reset", account, client_address);
  Failed("reset", account, client_address);
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto tenant = storage::FindTenantBySlug(tx->conn(), tenant_slug);
  std::optional<storage::UserRecord> user;
  if (tenant) user = storage::FindUserByEmail(tx->conn(), tenant->id, email);
  if (!user || !user->is_active) return;  // the same answer; nothing is sent
  storage::RevokeUserSingleUseTokens(tx->conn(), user->id, TokenPurpose::kPasswordReset, now);
  storage::SingleUseTokenRecord t;
  t.tenant = tenant->id;
  t.purpose = TokenPurpose::kPasswordReset;
  t.user = user->id;
  t.email = email;
  t.created_at = now;
  t.expires_at = now + domain::DefaultLifetime(TokenPurpose::kPasswordReset);
  const std::string token = RandomToken(32);
  storage::InsertSingleUseToken(tx->conn(), t, HashToken(token));
  const std::string link = PortalBaseOf(tx->conn(), *tenant) + "/reset/" + token;
  storage::EnqueueMail(tx->conn(),
                       AccountMail(AccountMailKind::kPasswordReset, *tenant,
                                   MailLanguage(user->language ? user->language : language, tenant->branding.default_language), email, user->name, "",
                                   link, domain::DefaultLifetime(TokenPurpose::kPasswordReset) / 3600),
                       now);
  tx->Commit();
}

void OnboardingService::ConfirmPasswordReset(const std::string& token, const std::string& password,
                                             const std::string& client_address) {
  if (token.empty() || token.size() > 128) throw Error::Field("token", kBadToken);
  Reserve("reset-confirm", client_address, client_address);
  std::optional<storage::SingleUseTokenRecord> t;
  std::optional<storage::UserRecord> user;
  {
    auto tx = deps_.db.Read();
    t = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kPasswordReset, HashToken(token));
    if (t && t->user) user = storage::FindUser(tx->conn(), t->tenant, *t->user);
  }
  if (!t || !user || domain::DecideTokenUse(t->use(), deps_.clock.Now()) != TokenVerdict::kUsable) {
    Failed("reset-confirm", client_address, client_address);
    throw Error::Field("token", kBadToken);
  }
  if (auto problem = domain::PasswordProblem(password, user->email)) {
    auto tx = deps_.db.Write();
    Succeeded(tx->conn(), "reset-confirm", client_address, client_address);
    tx->Commit();
    throw Error::Field("password", *problem);  // the token stays usable
  }
  const std::string hash = HashingGate::Hash(password, auth_.HashCost());
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (!storage::ConsumeSingleUseToken(tx->conn(), t->id, now)) {
    tx.reset();
    Failed("reset-confirm", client_address, client_address);
    throw Error::Field("token", kBadToken);
  }
  Succeeded(tx->conn(), "reset-confirm", client_address, client_address);
  user->password_hash = hash;
  user->updated_at = now;
  storage::UpdateUser(tx->conn(), *user);
  storage::DeleteUserSessions(tx->conn(), user->id);
  storage::RevokeUserTokens(tx->conn(), user->id, now);
  storage::RevokeUserSingleUseTokens(tx->conn(), user->id, TokenPurpose::kPasswordReset, now);
  auto event = RecordAuthChanged(tx->conn(), user->tenant, user->id, "password_changed", now);
  tx->Commit();
  Publish(event);
}

}  // namespace portico::services
