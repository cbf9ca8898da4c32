#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

namespace {

domain::Branding ReadBranding(const json::object& body) {
  FieldErrors errors;
  ObjectReader r(body, errors);
  domain::Branding b;
  if (auto* company = r.Object("company", true)) {
    ObjectReader c(*company, errors, "company.");
    auto set = [&](const char* key, std::string& out) {
      if (auto v = c.String(key, false, 2000)) out = *v;
    };
    b.company.name.clear();
    set("name", b.company.name);
    set("display_name", b.company.display_name);
    set("support_email", b.company.support_email);
    set("support_phone", b.company.support_phone);
    set("support_hours", b.company.support_hours);
    set("website", b.company.website);
    c.CheckUnknown();
  }
  if (auto* colors = r.Object("colors", true)) {
    ObjectReader c(*colors, errors, "colors.");
    auto set = [&](const char* key, std::string& out) {
      if (auto v = c.String(key, true, 20)) out = *v;
    };
    set("primary", b.colors.primary);
    set("secondary", b.colors.secondary);
    set("accent", b.colors.accent);
    set("background", b.colors.background);
    set("text", b.colors.text);
    c.CheckUnknown();
  }
  bool logo_null = false;
  if (auto v = r.NullableString("logo_url", &logo_null, 2000)) b.logo_url = *v;
  if (logo_null) b.logo_url.clear();
  if (auto* portal = r.Object("portal")) {
    ObjectReader p(*portal, errors, "portal.");
    if (auto v = p.String("welcome_message", false, 4000)) b.portal.welcome_message = *v;
    if (auto v = p.String("footer_text", false, 4000)) b.portal.footer_text = *v;
    p.CheckUnknown();
  }
  // Optional: left out, the stored language stays (the service reads "" so).
  b.default_language = r.String("default_language", false, 10).value_or("");
  (void)r.String("currency", false, 10);  // read-only (the tenant's): accepted back from a GET, ignored
  r.CheckUnknown();
  ThrowIfErrors(errors);
  return b;
}

}  // namespace

void RegisterAccountRoutes(App& app, AccountServices s) {
  Router& r = app.router();

  // ---- authentication ----
  r.Add("POST", "/api/v1/auth/login",
        {.operation_id = "login", .summary = "Log in with tenant, e-mail and password; sets the session cookie",
         .tag = "auth", .auth = false, .body = true, .request_schema = "LoginRequest", .response_schema = "LoginResponse"},
        [&app, &auth = s.auth](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto tenant = rd.String("tenant", false, 100);
          auto email = rd.String("email", true, 320);
          auto password = rd.String("password", true, 1024);
          rd.CheckUnknown();
          // On a tenant's custom domain the tenant may be omitted (issue 13).
          if (!tenant) tenant = app.TenantForHost(ctx.req);
          if (!tenant && errors.find("tenant") == errors.end()) errors["tenant"].push_back("Required.");
          ThrowIfErrors(errors);
          auto result = auth.Login({*tenant, *email, *password, ctx.req.remote_address});
          json::object out{{"user", MeJson(result.auth.actor)}, {"csrf_token", result.auth.csrf_token}};
          Response res = JsonResponse(200, out);
          res.SetHeader("Set-Cookie", app.SessionCookie(result.session_token));
          return res;
        });
  r.Add("POST", "/api/v1/auth/logout", {.operation_id = "logout", .summary = "Log out: the session is deleted server-side", .tag = "auth", .status = 204},
        [&app, &auth = s.auth](RequestContext& ctx) {
          auth.Logout(*ctx.auth);
          Response res;
          res.status = 204;
          res.SetHeader("Set-Cookie", app.ClearSessionCookie());
          return res;
        });
  r.Add("GET", "/api/v1/me", {.operation_id = "getMe", .summary = "The current user, its tenant and customer access", .tag = "auth", .response_schema = "Me"},
        [](RequestContext& ctx) {
          json::value me = MeJson(ctx.actor());
          if (ctx.auth->kind == services::AuthKind::kSession) me.as_object()["csrf_token"] = ctx.auth->csrf_token;
          return JsonResponse(200, me);
        });
  r.Add("GET", "/api/v1/auth/tokens", {.operation_id = "listTokens", .summary = "My personal API tokens (without their values)", .tag = "auth",
                                       .response_schema = "Token", .paginated = true, .query = {"page", "page_size"}},
        [&auth = s.auth](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(auth.ListTokens(ctx.actor()), page), TokenJson));
        });
  r.Add("POST", "/api/v1/auth/tokens", {.operation_id = "createToken", .summary = "Create a personal API token (shown once)", .tag = "auth", .body = true,
                                        .status = 201, .request_schema = "TokenRequest", .response_schema = "CreatedToken"},
        [&auth = s.auth](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto name = rd.String("name", true, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          auto created = auth.CreateToken(ctx.actor(), *name);
          return JsonResponse(201, json::object{{"id", created.record.id.value},
                                                {"name", created.record.name},
                                                {"token", created.token},
                                                {"created_at", FormatTimestamp(created.record.created_at)}});
        });
  r.Add("DELETE", "/api/v1/auth/tokens/{id}", {.operation_id = "revokeToken", .summary = "Revoke one of my API tokens", .tag = "auth", .status = 204},
        [&auth = s.auth](RequestContext& ctx) {
          auth.RevokeToken(ctx.actor(), TokenId(ctx.IdParam("id")));
          Response res;
          res.status = 204;
          return res;
        });

  // ---- users ----
  r.Add("GET", "/api/v1/users", {.operation_id = "listUsers", .summary = "Users of my tenant (admin)", .tag = "users", .response_schema = "User",
                                 .paginated = true, .query = {"role", "page", "page_size"}},
        [&users = s.users](RequestContext& ctx) {
          auto page = ctx.Page();
          auto role = ctx.req.QueryParam("role");
          if (role && role->empty()) role.reset();
          return JsonResponse(200, PageJson(ctx.req, page, users.List(ctx.actor(), role, page), UserJson));
        });
  r.Add("POST", "/api/v1/users", {.operation_id = "createUser", .summary = "Create a user (admin)", .tag = "users", .body = true, .status = 201,
                                  .request_schema = "NewUser", .response_schema = "User"},
        [&users = s.users](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewUser in;
          auto email = rd.String("email", true, 320);
          auto name = rd.String("name", true, 1000);
          auto role = rd.String("role", true, 50);
          auto password = rd.String("password", true, 4096);
          auto handle = rd.String("handle", false, 100);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in = {*email, *name, *role, *password, handle};
          return JsonResponse(201, UserJson(users.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/users/{id}", {.operation_id = "getUser", .summary = "One user (admin)", .tag = "users", .response_schema = "User"},
        [&users = s.users](RequestContext& ctx) {
          return JsonResponse(200, UserJson(users.Get(ctx.actor(), UserId(ctx.IdParam("id")))));
        });
  r.Add("PATCH", "/api/v1/users/{id}", {.operation_id = "updateUser", .summary = "Change a user (admin)", .tag = "users", .body = true,
                                        .request_schema = "UserPatch", .response_schema = "User"},
        [&users = s.users](RequestContext& ctx) {
          auto id = UserId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::UserPatch p;
          p.email = rd.String("email", false, 320);
          p.name = rd.String("name", false, 1000);
          p.role = rd.String("role", false, 50);
          p.password = rd.String("password", false, 4096);
          p.handle = rd.String("handle", false, 100);
          p.is_active = rd.Bool("is_active");
          // Technician profile: a string sets, null clears, absent leaves unchanged.
          auto profile_field = [&rd](const char* key, std::size_t max) -> std::optional<std::optional<std::string>> {
            bool was_null = false;
            auto v = rd.NullableString(key, &was_null, max);
            if (was_null) return std::optional<std::string>{};
            if (v) return std::optional<std::string>{*v};
            return std::nullopt;
          };
          p.phone = profile_field("phone", 200);
          p.certification_level = profile_field("certification_level", 200);
          p.hire_date = profile_field("hire_date", 20);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, UserJson(users.Update(ctx.actor(), id, p)));
        });

  // ---- customers ----
  r.Add("GET", "/api/v1/customers", {.operation_id = "listCustomers", .summary = "Customers in my scope", .tag = "customers", .response_schema = "Customer",
                                     .paginated = true, .query = {"q", "page", "page_size"}},
        [&customers = s.customers](RequestContext& ctx) {
          auto page = ctx.Page();
          auto q = ctx.req.QueryParam("q");
          return JsonResponse(200, PageJson(ctx.req, page, customers.List(ctx.actor(), q, page), CustomerJson));
        });
  r.Add("POST", "/api/v1/customers", {.operation_id = "createCustomer", .summary = "Create a customer (admin, manager)", .tag = "customers", .body = true,
                                      .status = 201, .request_schema = "NewCustomer", .response_schema = "Customer"},
        [&customers = s.customers](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewCustomer in;
          auto name = rd.String("name", true, 1000);
          auto address = rd.String("address", false, 2000);
          auto phone = rd.String("phone", false, 200);
          bool email_null = false;
          in.email = rd.NullableString("email", &email_null, 320);
          rd.Bool("is_active");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.name = *name;
          in.address = address.value_or("");
          in.phone = phone.value_or("");
          return JsonResponse(201, CustomerJson(customers.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/customers/{id}", {.operation_id = "getCustomer", .summary = "One customer", .tag = "customers", .response_schema = "Customer"},
        [&customers = s.customers](RequestContext& ctx) {
          return JsonResponse(200, CustomerJson(customers.Get(ctx.actor(), CustomerId(ctx.IdParam("id")))));
        });
  r.Add("PATCH", "/api/v1/customers/{id}",
        {.operation_id = "updateCustomer", .summary = "Change a customer (admin, manager; approvers: address and phone)", .tag = "customers", .body = true,
         .request_schema = "CustomerPatch", .response_schema = "Customer"},
        [&customers = s.customers](RequestContext& ctx) {
          auto id = CustomerId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::CustomerPatch p;
          p.name = rd.String("name", false, 1000);
          p.address = rd.String("address", false, 2000);
          p.phone = rd.String("phone", false, 200);
          bool email_null = false;
          p.email = rd.NullableString("email", &email_null, 320);
          if (email_null) p.email = "";
          p.is_active = rd.Bool("is_active");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, CustomerJson(customers.Update(ctx.actor(), id, p)));
        });
  r.Add("GET", "/api/v1/customers/{id}/access", {.operation_id = "listCustomerAccess", .summary = "Users with access to a customer (staff)", .tag = "customers",
                                                 .response_schema = "Access", .array = true},
        [&customers = s.customers](RequestContext& ctx) {
          json::array a;
          for (const auto& x : customers.ListAccess(ctx.actor(), CustomerId(ctx.IdParam("id")))) a.push_back(AccessJson(x));
          return JsonResponse(200, a);
        });
  r.Add("POST", "/api/v1/customers/{id}/access",
        {.operation_id = "grantCustomerAccess", .summary = "Give a customer user access (admin, manager)", .tag = "customers", .body = true, .status = 201,
         .request_schema = "AccessGrant", .response_schema = "Access"},
        [&customers = s.customers](RequestContext& ctx) {
          auto id = CustomerId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto user = rd.Int("user_id", true);
          auto access = rd.String("access", true, 50);
          auto primary = rd.Bool("is_primary_contact");
          bool limit_null = false;
          auto limit = rd.NullableString("approval_limit", &limit_null, 50);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          services::AccessGrant g{UserId(*user), *access, primary.value_or(false)};
          if (limit_null) g.approval_limit = std::optional<std::string>{};
          else if (limit) g.approval_limit = limit;
          return JsonResponse(201, AccessJson(customers.Grant(ctx.actor(), id, g)));
        });
  r.Add("DELETE", "/api/v1/customers/{id}/access/{user_id}",
        {.operation_id = "revokeCustomerAccess", .summary = "Take a user's access away (admin, manager)", .tag = "customers", .status = 204},
        [&customers = s.customers](RequestContext& ctx) {
          customers.Revoke(ctx.actor(), CustomerId(ctx.IdParam("id")), UserId(ctx.IdParam("user_id")));
          Response res;
          res.status = 204;
          return res;
        });
  r.Add("GET", "/api/v1/customers/{id}/preferences", {.operation_id = "getCustomerPreferences", .summary = "A customer's notification preferences",
                                                      .tag = "customers", .response_schema = "Preferences"},
        [&customers = s.customers](RequestContext& ctx) {
          return JsonResponse(200, PreferencesJson(customers.GetPreferences(ctx.actor(), CustomerId(ctx.IdParam("id")))));
        });
  r.Add("PUT", "/api/v1/customers/{id}/preferences",
        {.operation_id = "setCustomerPreferences", .summary = "Set a customer's preferences (approvers, admin, manager)", .tag = "customers", .body = true,
         .request_schema = "Preferences", .response_schema = "Preferences"},
        [&customers = s.customers](RequestContext& ctx) {
          auto id = CustomerId(ctx.IdParam("id"));
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          storage::Preferences p;
          auto email = rd.Bool("receive_email_notifications", true);
          auto sms = rd.Bool("receive_sms_notifications", true);
          auto view = rd.String("default_view", true, 20);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          p.receive_email_notifications = *email;
          p.receive_sms_notifications = *sms;
          p.default_view = *view;
          return JsonResponse(200, PreferencesJson(customers.PutPreferences(ctx.actor(), id, p)));
        });

  // ---- tenant ----
  r.Add("GET", "/api/v1/tenants/{slug}/branding", {.operation_id = "getBranding", .summary = "A tenant's public branding", .tag = "tenant",
                                                   .auth = false, .response_schema = "Branding"},
        [&tenants = s.tenants](RequestContext& ctx) {
          Response res = JsonResponse(200, domain::BrandingToJson(tenants.GetBranding(ctx.params.at("slug"))));
          res.SetHeader("Cache-Control", "no-cache");
          return res;
        });
  r.Add("PUT", "/api/v1/tenants/{slug}/branding", {.operation_id = "setBranding", .summary = "Set my tenant's branding (admin)", .tag = "tenant",
                                                   .body = true, .request_schema = "Branding", .response_schema = "Branding"},
        [&tenants = s.tenants](RequestContext& ctx) {
          auto branding = ReadBranding(ctx.Body());
          return JsonResponse(200, domain::BrandingToJson(
                                       tenants.PutBranding(ctx.actor(), ctx.params.at("slug"), branding)));
        });
}

}  // namespace portico::http
