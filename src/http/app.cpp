#include "http/app.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/crypto.h"
#include "core/error.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/upload.h"

namespace portico::http {

bool IsApiPath(const std::string& path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz" ||
         path == "/metrics";
}

App::App(const Config& config, services::AuthService& auth, Metrics& metrics, const StaticFiles& web)
    : config_(config), auth_(auth), metrics_(metrics), web_(web) {}

namespace {

/// GET /api/v1/me and GET /api/v1/repairs/{id}: one or two primary-key reads once the actor is cached.
bool IsShortRead(const std::string& path) {
  if (path == "/api/v1/me") return true;
  constexpr std::string_view kRepair = "/api/v1/repairs/";
  if (!path.starts_with(kRepair) || path.size() == kRepair.size() || path.size() > kRepair.size() + 18) return false;
  return std::all_of(path.begin() + kRepair.size(), path.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool App::IsInline(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return false;
  if (req.path == "/healthz" || req.path == "/metrics" || !IsApiPath(req.path)) return true;
  // Issue 16: on SQLite (reads are function calls on pages in memory, readers never wait for the writer)
  // the short reads are answered on the I/O thread: two thread hand-offs cost more than the request.
  return config_.database.starts_with("sqlite:") && IsShortRead(req.path);
}

bool App::IsUpload(std::string_view method, std::string_view target, std::string_view content_type) const {
  if (method != "POST" && method != "PUT") return false;
  std::string path(target.substr(0, target.find('?')));
  auto decoded = DecodePath(path);
  if (!decoded || !IsApiPath(*decoded)) return false;
  auto match = router_.Find(std::string(method), *decoded);
  if (!match.route || !match.route->info.upload) return false;
  // JSON or multipart (a message with files): only a multipart body is streamed as an upload.
  return !match.route->info.body || FormDataBoundary(std::string(content_type)).has_value();
}

std::size_t App::MaxUploadFiles(const std::string& method, const std::string& path) const {
  auto match = router_.Find(method, path);
  return match.route ? match.route->info.max_files : 1;
}

std::int64_t App::MaxUploadBytes() const {
  return std::max({config_.max_image_bytes, config_.max_video_bytes, config_.max_document_bytes}) + (64 << 10);
}

std::optional<std::string> App::TenantForHost(const Request& req) const {
  if (!host_resolver_) return std::nullopt;
  auto host = req.Header("host");
  if (!host || host->empty() || host->size() > 260) return std::nullopt;
  return host_resolver_(*host);
}

std::string App::SessionCookie(const std::string& token) const {
  const std::int64_t max_age_seconds = config_.session_absolute_hours * 3600;
  std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                  std::to_string(max_age_seconds);
  if (config_.tls) c += "; Secure";
  return c;
}

std::string App::ClearSessionCookie() const {
  std::string c = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (config_.tls) c += "; Secure";
  return c;
}

namespace {

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

bool IsJsonContentType(const std::string& value) {
  std::string v;
  for (char c : value) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto semi = v.find(';');
  std::string type = v.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type != "application/json") return false;
  if (semi == std::string::npos) return true;
  // Only UTF-8 is accepted (API.md: application/json; charset=utf-8 is JSON).
  auto cs = v.find("charset=", semi);
  if (cs == std::string::npos) return true;
  std::string charset = v.substr(cs + 8);
  while (!charset.empty() && (charset.back() == ' ' || charset.back() == ';')) charset.pop_back();
  if (!charset.empty() && charset.front() == '"') charset = charset.substr(1, charset.size() - 2);
  return charset == "utf-8" || charset == "utf8";
}

}  // namespace

Response App::Dispatch(Request& req, std::string& route_name) {
  if (!IsApiPath(req.path)) {
    route_name = "/ (portal)";
    if (req.method != "GET" && req.method != "HEAD") {
      throw Error(ErrorCode::kNotFound, "Not found.");
    }
    Response page = web_.Serve(req);
    // A tenant's custom domain (issue 13): the portal is served at "/"; the client router learns the
    // tenant from this cookie (host-only, like the session cookie).
    if (auto slug = TenantForHost(req)) {
      page.SetHeader("Set-Cookie", std::string(kHostTenantCookie) + "=" + *slug + "; Path=/; SameSite=Lax");
    }
    return page;
  }
  auto match = router_.Find(req.method, req.path);
  if (!match.route) {
    route_name = "unmatched";
    if (match.path_known) {
      Response r = ProblemResponse(Error(ErrorCode::kMethodNotAllowed, "This path does not take " + req.method + "."),
                                   req.request_id);
      r.SetHeader("Allow", match.allow);
      return r;
    }
    throw Error::NotFound("No such endpoint.");
  }
  const Route& route = *match.route;
  route_name = route.pattern;
  RequestContext ctx(req);
  ctx.params = std::move(match.params);

  // Authenticate: a Bearer token, else the session cookie.
  if (auto authz = req.Header("authorization")) {
    if (authz->rfind("Bearer ", 0) == 0) ctx.auth = auth_.AuthenticateToken(authz->substr(7));
    if (!ctx.auth && route.info.auth) throw Error(ErrorCode::kUnauthenticated, "The token is not valid.");
  } else if (auto cookie = req.Cookie(kSessionCookie)) {
    ctx.auth = auth_.AuthenticateSession(*cookie);
  }
  if (route.info.auth && !ctx.auth) throw Error(ErrorCode::kUnauthenticated, "Log in first.");

  // CSRF: a cookie-authenticated request that changes something must carry the session's token.
  if (ctx.auth && ctx.auth->kind == services::AuthKind::kSession && !IsSafeMethod(req.method) && route.info.auth) {
    auto token = req.Header("x-csrf-token");
    if (!token || !ConstantTimeEquals(*token, ctx.auth->csrf_token)) {
      throw Error(ErrorCode::kForbidden, "The X-CSRF-Token header is missing or wrong.");
    }
  }

  const bool json_instead = route.info.upload && route.info.body && !req.upload_pending && !req.upload &&
                            !(req.Header("content-type") && FormDataBoundary(*req.Header("content-type")));
  if (route.info.upload && !json_instead) {
    // Upload routes (API.md "Attachments"): multipart only; its size is checked where JSON's is.
    auto ct = req.Header("content-type");
    if (!ct || !FormDataBoundary(*ct)) {
      throw Error(ErrorCode::kUnsupportedMediaType, "Send the file as multipart/form-data with a part named \"file\".");
    }
    const std::int64_t max = MaxUploadBytes();
    auto length = req.Header("content-length");
    if (req.body_too_large || (length && length->size() > 12) ||
        (length && !length->empty() && std::stoll(*length) > max)) {
      throw Error(ErrorCode::kPayloadTooLarge, "The body is larger than " + std::to_string(max) + " bytes.");
    }
    if (req.upload_pending) {
      Response go;
      go.status = 100;  // the server reads the body now
      return go;
    }
    if (!req.upload) throw Error(ErrorCode::kUnsupportedMediaType, "Send the file as multipart/form-data.");
    if (req.upload->error_status == 413) throw Error(ErrorCode::kPayloadTooLarge, req.upload->error);
    if (req.upload->error_status >= 500) throw Error::Internal(req.upload->error);
    if (req.upload->error_status != 0) throw Error(ErrorCode::kInvalidInput, req.upload->error);
    if (!req.upload->has_file && !route.info.body) throw Error::Field("file", "Send the file in a part named \"file\".");
    return route.handler(ctx);
  }
  if (route.info.body && (!req.body.empty() || req.body_too_large)) {
    auto ct = req.Header("content-type");
    if (!ct || !IsJsonContentType(*ct)) {
      throw Error(ErrorCode::kUnsupportedMediaType, "Send the body as application/json.");
    }
  }
  if (req.body_too_large) {
    throw Error(ErrorCode::kPayloadTooLarge,
                "The body is larger than " + std::to_string(config_.max_body_bytes) + " bytes.");
  }
  if (!route.info.body && !req.body.empty() && !req.body_too_large && req.method != "GET") {
    // A body where none is expected is ignored only when empty-ish JSON; otherwise say so.
    auto ct = req.Header("content-type");
    if (ct && !IsJsonContentType(*ct)) throw Error(ErrorCode::kUnsupportedMediaType, "This endpoint takes no body.");
  }
  return route.handler(ctx);
}

Response App::Handle(Request& req) {
  auto start = std::chrono::steady_clock::now();
  if (req.request_id.empty()) {
    auto incoming = req.Header("x-request-id");
    if (incoming && !incoming->empty() && incoming->size() <= 64 &&
        incoming->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            std::string::npos) {
      req.request_id = *incoming;
    } else {
      req.request_id = fmt::format("{:x}", next_id_.fetch_add(1));
    }
  }
  std::string route_name = "unmatched";
  Response res;
  try {
    res = Dispatch(req, route_name);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternal || e.code() == ErrorCode::kUnavailable) {
      spdlog::error("request id={} route=\"{}\" failed: {}", req.request_id, route_name, e.what());
    }
    res = ProblemResponse(e, req.request_id);
  } catch (const std::exception& e) {
    spdlog::error("request id={} route=\"{}\" unexpected exception: {}", req.request_id, route_name, e.what());
    res = ProblemResponse(Error::Internal(e.what()), req.request_id);
  } catch (...) {
    spdlog::error("request id={} route=\"{}\" unknown exception", req.request_id, route_name);
    res = ProblemResponse(Error::Internal("unknown exception"), req.request_id);
  }
  if (res.status == 413) res.close = true;
  if (res.status == 429) res.SetHeader("Retry-After", "900");
  AddSecurityHeaders(req, res);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(req.method, route_name, res.status, micros);
  spdlog::info("request id={} method={} route=\"{}\" status={} bytes={} us={}", req.request_id, req.method, route_name,
               res.status, res.body.size(), micros);
  return res;
}

Response App::ProtocolError(ErrorCode code, const std::string& detail) const {
  Request req;
  req.path = "/";
  req.request_id = "0";
  Response res = ProblemResponse(Error(code, detail), "");
  res.close = true;
  AddSecurityHeaders(req, res);
  return res;
}

void App::AddSecurityHeaders(const Request& req, Response& res) const {
  // Security headers on every response.
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Referrer-Policy", "same-origin");
  res.SetHeader("X-Frame-Options", "DENY");
  if (!req.request_id.empty()) res.SetHeader("X-Request-Id", req.request_id);
  bool has_csp = false;
  for (const auto& [k, v] : res.headers) has_csp = has_csp || k == "Content-Security-Policy";
  if (!has_csp) res.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (IsApiPath(req.path)) {
    bool has_cache = false;
    for (const auto& [k, v] : res.headers) has_cache = has_cache || k == "Cache-Control";
    if (!has_cache) res.SetHeader("Cache-Control", "no-store");
  }
}

}  // namespace portico::http
