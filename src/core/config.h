// Settings of a Portico process. Precedence (CLI.md): command-line flags beat the TOML file, the file
// beats PORTICO_* environment variables, those beat the defaults below.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace portico {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";   // host:port
  std::string web_dir;                      // empty: web/build under the working directory, else installed
  std::string default_tenant = "demo";      // where "/" leads
  bool tls = false;                         // reached over TLS (marks the session cookie Secure)
  std::int64_t io_threads = 2;
  std::int64_t worker_threads = 8;          // blocking work: database, password hashing
  // [database]
  std::string database = "sqlite://data/portico.db";
  // SQLite only: "full" (default) fsyncs the WAL on every commit, so an acknowledged write survives power
  // loss; "normal" fsyncs only at checkpoints: faster, but the last commits may be lost on power loss or
  // an OS crash (never on a process crash).
  std::string database_synchronous = "full";
  // [log]
  std::string log_level = "info";           // trace, debug, info, warn, error, off
  // [auth]
  std::string password_hash = "interactive";  // "interactive" or, for tests only, "min"
  std::int64_t session_idle_minutes = 12 * 60;
  std::int64_t session_absolute_hours = 7 * 24;
  std::string public_url;                   // how users reach the portal, for links in e-mail
                                            // (default: http://<listen>)
  // [events]
  std::int64_t event_retention_days = 30;   // older events are pruned in the background (0: keep all)
  // [smtp] (off while host is empty)
  std::string smtp_host;
  std::int64_t smtp_port = 587;
  std::string smtp_username;
  std::string smtp_password;
  std::string smtp_from = "portico@localhost";  // envelope and From address; the display name is the tenant's
  std::string smtp_starttls = "auto";           // auto (when offered), always, never
  std::int64_t smtp_timeout_seconds = 20;
  // [limits]
  std::int64_t max_body_bytes = 1 << 20;    // JSON bodies (API.md: 1 MiB)
  std::int64_t max_header_bytes = 16 << 10;
  std::int64_t read_timeout_seconds = 30;   // to receive one request once it started
  std::int64_t idle_timeout_seconds = 60;   // keep-alive connection with no request
  std::int64_t max_connections = 20000;
  std::int64_t max_ws_message_bytes = 64 << 10;
  std::int64_t max_waits_per_user = 32;     // concurrent long-polls of one user (429 beyond)
  // [storage] (attachments, logos)
  std::string blobs = "file://data/blobs";  // "file://DIR" (relative to the working directory) or "database"
  std::int64_t quota_bytes = 5LL << 30;     // stored bytes per tenant (files and thumbnails)
  std::int64_t max_image_bytes = 20 << 20;  // per upload, by the kind found in the bytes (PRODUCT.md)
  std::int64_t max_document_bytes = 20 << 20;
  std::int64_t max_video_bytes = 200 << 20;
  // [webhooks] (issue 14; API.md, "Webhooks")
  bool webhooks_allow_private = false;           // loopback/private targets and http:// (tests, on-premise)
  std::int64_t webhooks_timeout_seconds = 10;    // an answer must come within this
  std::int64_t webhooks_retry_base_seconds = 30; // first retry after 0.5..1.5 times this, then doubling
  std::int64_t webhooks_retry_window_seconds = 86400;  // deliveries retried this long; an endpoint failing
                                                      // this long is disabled (1 day; shorter in tests)
};

/// One settable key: its TOML path ("server.listen"), its environment variable and its flag name.
struct ConfigKey {
  std::string toml_path;
  std::string env;
  std::string flag;  // without the leading "--"
};

/// Every key Config knows, for documentation and `--help`.
const std::vector<ConfigKey>& ConfigKeys();

/// Builds the configuration: defaults, then `env` (PORTICO_* variables), then the TOML file at
/// `config_file` (if given), then `flags` (flag name -> value). Throws Error(kInvalidInput) naming the
/// key for an unknown TOML key, a value of the wrong type, or an unreadable file.
Config LoadConfig(const std::optional<std::string>& config_file, const std::map<std::string, std::string>& env,
                  const std::map<std::string, std::string>& flags);

/// The PORTICO_* variables of this process's environment.
std::map<std::string, std::string> PorticoEnvironment();

}  // namespace portico
