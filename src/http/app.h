// The request pipeline, in the order of API.md "Precise rules": route (404) -> authenticate (401) ->
// CSRF (403) -> content type (415) -> body size (413) -> handler (400, 404, 403, 400, 409). Every
// response gets the security headers, a request id, a metrics sample and one access-log line.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "core/config.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "services/auth_service.h"

namespace portico::http {

inline constexpr const char* kSessionCookie = "portico_session";
/// Set on portal pages served on a tenant's custom domain: the portal's router reads the tenant from it.
inline constexpr const char* kHostTenantCookie = "portico_host_tenant";

class App {
 public:
  App(const Config& config, services::AuthService& auth, Metrics& metrics, const StaticFiles& web);

  Router& router() { return router_; }
  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }

  /// Handles one request completely; never throws.
  Response Handle(Request& req);
  /// Requests cheap enough to answer on an I/O thread (no database, no hashing).
  bool IsInline(const Request& req) const;
  /// The Set-Cookie value for a new session (Max-Age: the absolute session lifetime).
  std::string SessionCookie(const std::string& token) const;
  /// A problem+json answer, with the security headers, for errors found before a request could be parsed
  /// (431 headers too large, 400 malformed request). The connection is closed after it.
  Response ProtocolError(ErrorCode code, const std::string& detail) const;
  /// The Set-Cookie value that deletes the session cookie.
  std::string ClearSessionCookie() const;

  /// True when `method` and `target` name a route that takes an upload (RouteInfo::upload): the server
  /// streams its body through UploadReceiver instead of reading it whole.
  /// A route that takes JSON too (RouteInfo::body and upload) is an upload only for a multipart
  /// `content_type`.
  bool IsUpload(std::string_view method, std::string_view target, std::string_view content_type = {}) const;
  /// How many parts named "file" the upload route of `method` and `path` accepts (RouteInfo::max_files).
  std::size_t MaxUploadFiles(const std::string& method, const std::string& path) const;
  /// Where uploads are streamed (the blob store's temporary directory).
  const std::string& upload_dir() const { return upload_dir_; }
  void set_upload_dir(std::string dir) { upload_dir_ = std::move(dir); }
  /// Custom domains (issue 13): the slug of the tenant whose domain a Host header names, if any.
  using HostResolver = std::function<std::optional<std::string>(const std::string& host)>;
  void set_host_resolver(HostResolver resolver) { host_resolver_ = std::move(resolver); }
  /// The tenant slug of the request's Host when it is a tenant's custom domain (nullopt otherwise).
  std::optional<std::string> TenantForHost(const Request& req) const;

  /// The largest upload body accepted: the largest per-kind limit plus 64 KiB for the other parts.
  std::int64_t MaxUploadBytes() const;

 private:
  Response Dispatch(Request& req, std::string& route_name);
  void AddSecurityHeaders(const Request& req, Response& res) const;

  const Config& config_;
  services::AuthService& auth_;
  Metrics& metrics_;
  const StaticFiles& web_;
  Router router_;
  std::string upload_dir_ = "/tmp";
  HostResolver host_resolver_;
  std::atomic<std::uint64_t> next_id_{1};
};

/// True for "/api/...", "/healthz", "/readyz" and "/metrics" (everything else is the portal).
bool IsApiPath(const std::string& path);

}  // namespace portico::http
