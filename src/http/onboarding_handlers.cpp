// Routes of issue 13 (API.md "Invitations, sign-up and password reset", "Users (additions)" PATCH /me).
#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/error.h"
#include "domain/money.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value InvitationJson(const services::InvitationView& v) {
  const auto& r = v.record;
  return json::object{{"id", r.id},
                      {"customer_id", r.customer ? r.customer->value : 0},
                      {"email", r.email},
                      {"name", r.name},
                      {"access", r.access},
                      {"approval_limit", r.approval_limit_cents ? json::value(domain::FormatMoney(*r.approval_limit_cents))
                                                                : json::value(nullptr)},
                      {"status", v.status},
                      {"expires_at", FormatTimestamp(r.expires_at)},
                      {"created_at", FormatTimestamp(r.created_at)}};
}

json::value AccessCodeJson(const services::AccessCodeView& v) {
  const auto& r = v.record;
  auto opt_time = [](const std::optional<UnixSeconds>& t) { return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr); };
  return json::object{{"id", r.id},
                      {"customer_id", r.customer ? r.customer->value : 0},
                      {"customer_name", r.customer_name},
                      {"access", r.access},
                      {"status", v.status},
                      {"uses", r.uses},
                      {"max_uses", r.max_uses},
                      {"expires_at", FormatTimestamp(r.expires_at)},
                      {"created_at", FormatTimestamp(r.created_at)},
                      {"last_used_at", opt_time(r.last_used_at)},
                      {"revoked_at", opt_time(r.revoked_at)}};
}

Response NoContent(int status) {
  Response res;
  res.status = status;
  return res;
}

Response LoggedIn(App& app, int status, const services::LoginResult& result) {
  Response res = JsonResponse(status, json::object{{"user", MeJson(result.auth.actor)}, {"csrf_token", result.auth.csrf_token}});
  res.SetHeader("Set-Cookie", app.SessionCookie(result.session_token));
  return res;
}

/// The tenant of a public request: the body's, else the custom domain's (400 when neither).
std::string TenantOf(App& app, const RequestContext& ctx, const std::optional<std::string>& given, FieldErrors& errors) {
  if (given) return *given;
  if (auto slug = app.TenantForHost(ctx.req)) return *slug;
  errors["tenant"].push_back("Required.");
  return {};
}

}  // namespace

void RegisterOnboardingRoutes(App& app, services::OnboardingService& s) {
  Router& r = app.router();

  r.Add("PATCH", "/api/v1/me", {.operation_id = "updateMe", .summary = "Change my own name, language and @handle", .tag = "auth",
                                .body = true, .request_schema = "MePatch", .response_schema = "Me"},
        [&s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto name = rd.String("name", false, 1000);
          bool language_null = false;
          auto language = rd.NullableString("language", &language_null, 10);
          auto handle = rd.String("handle", false, 100);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          std::optional<std::optional<std::string>> lang;
          if (language_null) lang = std::optional<std::string>{};
          if (language) lang = language;
          json::value me = MeJson(s.UpdateMe(ctx.actor(), name, lang, handle));
          if (ctx.auth->kind == services::AuthKind::kSession) me.as_object()["csrf_token"] = ctx.auth->csrf_token;
          return JsonResponse(200, me);
        });

  // ---- invitations ----
  r.Add("POST", "/api/v1/customers/{id}/invitations",
        {.operation_id = "createInvitation", .summary = "Invite a customer contact by e-mail (admin, manager)",
         .tag = "onboarding", .body = true, .status = 201, .request_schema = "NewInvitation", .response_schema = "Invitation"},
        [&s](RequestContext& ctx) {
          auto customer = CustomerId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewInvitation in;
          auto email = rd.String("email", true, 320);
          auto name = rd.String("name", false, 1000);
          auto access = rd.String("access", true, 50);
          bool limit_null = false;
          in.approval_limit = rd.NullableString("approval_limit", &limit_null, 40);
          in.language = rd.String("language", false, 10);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.email = *email;
          in.name = name.value_or("");
          in.access = *access;
          return JsonResponse(201, InvitationJson(s.Invite(ctx.actor(), customer, in).invitation));
        });
  r.Add("GET", "/api/v1/customers/{id}/invitations",
        {.operation_id = "listInvitations", .summary = "A customer's invitations (admin, manager)", .tag = "onboarding",
         .response_schema = "Invitation", .paginated = true, .query = {"page", "page_size"}},
        [&s](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, s.ListInvitations(ctx.actor(), CustomerId(ctx.IdParam("id")), page),
                                            InvitationJson));
        });
  r.Add("DELETE", "/api/v1/customers/{id}/invitations/{invitation_id}",
        {.operation_id = "revokeInvitation", .summary = "Revoke an invitation (admin, manager)", .tag = "onboarding", .status = 204},
        [&s](RequestContext& ctx) {
          s.RevokeInvitation(ctx.actor(), CustomerId(ctx.IdParam("id")), ctx.IdParam("invitation_id"));
          return NoContent(204);
        });
  r.Add("GET", "/api/v1/invitations/{token}",
        {.operation_id = "getInvitation", .summary = "What an invitation link offers (public; 404 unknown, used, revoked or expired)",
         .tag = "onboarding", .auth = false, .response_schema = "InvitationPreview"},
        [&s](RequestContext& ctx) {
          auto p = s.PreviewInvitation(ctx.params.at("token"));
          return JsonResponse(200, json::object{{"tenant", p.tenant_slug},
                                                {"tenant_name", p.tenant_name},
                                                {"customer_name", p.customer_name},
                                                {"email", p.email},
                                                {"name", p.name},
                                                {"expires_at", FormatTimestamp(p.expires_at)}});
        });
  r.Add("POST", "/api/v1/invitations/{token}/accept",
        {.operation_id = "acceptInvitation",
         .summary = "Accept an invitation: {name, password} creates the account and logs in (201); {} with a session adds the access (200)",
         .tag = "onboarding", .auth = false, .body = true, .status = 201, .request_schema = "InvitationAcceptance",
         .response_schema = "LoginResponse"},
        [&app, &s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto name = rd.String("name", false, 1000);
          auto password = rd.String("password", false, 1024);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          const std::string& token = ctx.params.at("token");
          if (!name && !password && ctx.auth) {
            // An existing account accepts while logged in: a cookie session needs its CSRF token.
            if (ctx.auth->kind == services::AuthKind::kSession) {
              auto csrf = ctx.req.Header("x-csrf-token");
              if (!csrf || !ConstantTimeEquals(*csrf, ctx.auth->csrf_token)) {
                throw Error(ErrorCode::kForbidden, "The X-CSRF-Token header is missing or wrong.");
              }
            }
            return JsonResponse(200, json::object{{"user", MeJson(s.AcceptInvitationAsUser(token, *ctx.auth))}});
          }
          return LoggedIn(app, 201, s.AcceptInvitation(token, name.value_or(""), password.value_or("")));
        });

  // ---- access codes, sign-up, verification ----
  r.Add("POST", "/api/v1/customers/{id}/access-codes",
        {.operation_id = "createAccessCode", .summary = "Issue a single-use access code for sign-up (admin, manager; shown once)",
         .tag = "onboarding", .body = true, .status = 201, .request_schema = "NewAccessCode", .response_schema = "AccessCode"},
        [&s](RequestContext& ctx) {
          auto customer = CustomerId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto access = rd.String("access", true, 50);
          auto days = rd.Int("expires_in_days", false);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          auto created = s.CreateAccessCode(ctx.actor(), customer, *access, days);
          return JsonResponse(201, json::object{{"id", created.id}, {"code", created.code},
                                                {"access", *access}, {"expires_at", FormatTimestamp(created.expires_at)}});
        });
  r.Add("GET", "/api/v1/access-codes",
        {.operation_id = "listAccessCodes",
         .summary = "My tenant's access codes with status, uses and expiry, newest first; ?customer= narrows (admin, manager)",
         .tag = "onboarding", .response_schema = "AccessCodeSummary", .paginated = true,
         .query = {"customer", "page", "page_size"}},
        [&s](RequestContext& ctx) {
          auto page = ctx.Page();
          std::optional<CustomerId> customer;
          if (auto v = ctx.IntQuery("customer")) customer = CustomerId(*v);
          return JsonResponse(200, PageJson(ctx.req, page, s.ListAccessCodes(ctx.actor(), customer, page), AccessCodeJson));
        });
  r.Add("DELETE", "/api/v1/access-codes/{id}",
        {.operation_id = "revokeAccessCode", .summary = "Revoke an unused access code (admin, manager)", .tag = "onboarding",
         .status = 204},
        [&s](RequestContext& ctx) {
          s.RevokeAccessCode(ctx.actor(), ctx.IdParam("id"));
          return NoContent(204);
        });
  r.Add("POST", "/api/v1/auth/signup",
        {.operation_id = "signUp", .summary = "Sign up with an access code (202 always; a valid code sends a verification e-mail)",
         .tag = "auth", .auth = false, .body = true, .status = 202, .request_schema = "SignUpRequest"},
        [&app, &s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::SignUpInput in;
          auto tenant = rd.String("tenant", false, 100);
          auto code = rd.String("code", true, 64);
          auto email = rd.String("email", true, 320);
          auto name = rd.String("name", true, 1000);
          auto password = rd.String("password", true, 1024);
          in.language = rd.String("language", false, 10);
          rd.CheckUnknown();
          in.tenant = TenantOf(app, ctx, tenant, errors);
          ThrowIfErrors(errors);
          in.code = *code;
          in.email = *email;
          in.name = *name;
          in.password = *password;
          in.client_address = ctx.req.remote_address;
          s.SignUp(in);
          return NoContent(202);
        });
  r.Add("POST", "/api/v1/auth/verify",
        {.operation_id = "verifyEmail", .summary = "Confirm a sign-up's e-mail address: creates the account and logs in",
         .tag = "auth", .auth = false, .body = true, .status = 201, .request_schema = "TokenBody", .response_schema = "LoginResponse"},
        [&app, &s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto token = rd.String("token", true, 200);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return LoggedIn(app, 201, s.Verify(*token, ctx.req.remote_address));
        });

  // ---- password reset ----
  r.Add("POST", "/api/v1/auth/password-reset",
        {.operation_id = "requestPasswordReset", .summary = "Ask for a password-reset e-mail (202 always)", .tag = "auth",
         .auth = false, .body = true, .status = 202, .request_schema = "PasswordResetRequest"},
        [&app, &s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto tenant = rd.String("tenant", false, 100);
          auto email = rd.String("email", true, 320);
          auto language = rd.String("language", false, 10);
          rd.CheckUnknown();
          auto slug = TenantOf(app, ctx, tenant, errors);
          ThrowIfErrors(errors);
          s.RequestPasswordReset(slug, *email, language, ctx.req.remote_address);
          return NoContent(202);
        });
  r.Add("POST", "/api/v1/auth/password-reset/confirm",
        {.operation_id = "confirmPasswordReset", .summary = "Set a new password with a reset token; ends every session and token",
         .tag = "auth", .auth = false, .body = true, .status = 204, .request_schema = "PasswordResetConfirm"},
        [&s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto token = rd.String("token", true, 200);
          auto password = rd.String("password", true, 1024);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          s.ConfirmPasswordReset(*token, *password, ctx.req.remote_address);
          return NoContent(204);
        });

  // ---- custom domains ----
  r.Add("GET", "/api/v1/settings/domains", {.operation_id = "getDomains", .summary = "My tenant's custom domains (admin)",
                                             .tag = "tenant", .response_schema = "Domains"},
        [&s](RequestContext& ctx) {
          json::array a;
          for (const auto& d : s.Domains(ctx.actor())) a.push_back(json::value(d));
          return JsonResponse(200, json::object{{"domains", a}});
        });
  r.Add("PUT", "/api/v1/settings/domains", {.operation_id = "setDomains", .summary = "Set my tenant's custom domains (admin)",
                                             .tag = "tenant", .body = true, .request_schema = "Domains", .response_schema = "Domains"},
        [&s](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          std::vector<std::string> domains;
          auto it = body.find("domains");
          if (it == body.end() || !it->value().is_array()) {
            errors["domains"].push_back("Required: an array of host names.");
          } else {
            for (const auto& v : it->value().as_array()) {
              if (!v.is_string() || v.as_string().size() > 253) {
                errors["domains"].push_back("Each domain is a host name of at most 253 characters.");
                break;
              }
              domains.emplace_back(v.as_string());
            }
          }
          for (const auto& [k, v] : body) {
            if (k != "domains") errors[std::string(k)].push_back("Unknown field.");
          }
          ThrowIfErrors(errors);
          json::array a;
          for (const auto& d : s.SetDomains(ctx.actor(), domains)) a.push_back(json::value(d));
          return JsonResponse(200, json::object{{"domains", a}});
        });
}

}  // namespace portico::http
