#include "core/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <variant>

#include "core/error.h"

extern char** environ;

namespace portico {
namespace {

using Field = std::variant<std::string Config::*, std::int64_t Config::*, bool Config::*>;

struct KeyBinding {
  ConfigKey key;
  Field field;
};

const std::vector<KeyBinding>& Bindings() {
  static const std::vector<KeyBinding> kBindings = {
      {{"server.listen", "PORTICO_LISTEN", "listen"}, &Config::listen},
      {{"server.web", "PORTICO_WEB", "web"}, &Config::web_dir},
      {{"server.default_tenant", "PORTICO_DEFAULT_TENANT", "default-tenant"}, &Config::default_tenant},
      {{"server.tls", "PORTICO_TLS", "tls"}, &Config::tls},
      {{"server.io_threads", "PORTICO_IO_THREADS", "io-threads"}, &Config::io_threads},
      {{"server.worker_threads", "PORTICO_WORKER_THREADS", "worker-threads"}, &Config::worker_threads},
      {{"database.url", "PORTICO_DATABASE", "database"}, &Config::database},
      {{"database.synchronous", "PORTICO_DATABASE_SYNCHRONOUS", "database-synchronous"},
       &Config::database_synchronous},
      {{"log.level", "PORTICO_LOG_LEVEL", "log-level"}, &Config::log_level},
      {{"auth.password_hash", "PORTICO_PASSWORD_HASH", "password-hash"}, &Config::password_hash},
      {{"auth.session_idle_minutes", "PORTICO_SESSION_IDLE_MINUTES", "session-idle-minutes"},
       &Config::session_idle_minutes},
      {{"auth.session_absolute_hours", "PORTICO_SESSION_ABSOLUTE_HOURS", "session-absolute-hours"},
       &Config::session_absolute_hours},
      {{"server.public_url", "PORTICO_PUBLIC_URL", "public-url"}, &Config::public_url},
      {{"events.retention_days", "PORTICO_EVENT_RETENTION_DAYS", "event-retention-days"},
       &Config::event_retention_days},
      {{"smtp.host", "PORTICO_SMTP_HOST", "smtp-host"}, &Config::smtp_host},
      {{"smtp.port", "PORTICO_SMTP_PORT", "smtp-port"}, &Config::smtp_port},
      {{"smtp.username", "PORTICO_SMTP_USERNAME", "smtp-username"}, &Config::smtp_username},
      {{"smtp.password", "PORTICO_SMTP_PASSWORD", "smtp-password"}, &Config::smtp_password},
      {{"smtp.from", "PORTICO_SMTP_FROM", "smtp-from"}, &Config::smtp_from},
      {{"smtp.starttls", "PORTICO_SMTP_STARTTLS", "smtp-starttls"}, &Config::smtp_starttls},
      {{"smtp.timeout_seconds", "PORTICO_SMTP_TIMEOUT_SECONDS", "smtp-timeout-seconds"}, &Config::smtp_timeout_seconds},
      {{"limits.max_body_bytes", "PORTICO_MAX_BODY_BYTES", "max-body-bytes"}, &Config::max_body_bytes},
      {{"limits.max_header_bytes", "PORTICO_MAX_HEADER_BYTES", "max-header-bytes"}, &Config::max_header_bytes},
      {{"limits.read_timeout_seconds", "PORTICO_READ_TIMEOUT_SECONDS", "read-timeout-seconds"},
       &Config::read_timeout_seconds},
      {{"limits.idle_timeout_seconds", "PORTICO_IDLE_TIMEOUT_SECONDS", "idle-timeout-seconds"},
       &Config::idle_timeout_seconds},
      {{"limits.max_connections", "PORTICO_MAX_CONNECTIONS", "max-connections"}, &Config::max_connections},
      {{"limits.max_waits_per_user", "PORTICO_MAX_WAITS_PER_USER", "max-waits-per-user"},
       &Config::max_waits_per_user},
      {{"limits.max_ws_message_bytes", "PORTICO_MAX_WS_MESSAGE_BYTES", "max-ws-message-bytes"},
       &Config::max_ws_message_bytes},
      {{"storage.blobs", "PORTICO_BLOBS", "blobs"}, &Config::blobs},
      {{"storage.quota_bytes", "PORTICO_QUOTA_BYTES", "quota-bytes"}, &Config::quota_bytes},
      {{"storage.max_image_bytes", "PORTICO_MAX_IMAGE_BYTES", "max-image-bytes"}, &Config::max_image_bytes},
      {{"storage.max_document_bytes", "PORTICO_MAX_DOCUMENT_BYTES", "max-document-bytes"},
       &Config::max_document_bytes},
      {{"storage.max_video_bytes", "PORTICO_MAX_VIDEO_BYTES", "max-video-bytes"}, &Config::max_video_bytes},
      {{"webhooks.allow_private", "PORTICO_WEBHOOKS_ALLOW_PRIVATE", "webhooks-allow-private"},
       &Config::webhooks_allow_private},
      {{"webhooks.timeout_seconds", "PORTICO_WEBHOOKS_TIMEOUT_SECONDS", "webhooks-timeout-seconds"},
       &Config::webhooks_timeout_seconds},
      {{"webhooks.retry_base_seconds", "PORTICO_WEBHOOKS_RETRY_BASE_SECONDS", "webhooks-retry-base-seconds"},
       &Config::webhooks_retry_base_seconds},
      {{"webhooks.retry_window_seconds", "PORTICO_WEBHOOKS_RETRY_WINDOW_SECONDS", "webhooks-retry-window-seconds"},
       &Config::webhooks_retry_window_seconds},
  };
  return kBindings;
}

[[noreturn]] void Bad(const std::string& where, const std::string& what) {
  throw Error(ErrorCode::kInvalidInput, "configuration " + where + ": " + what);
}

void SetFromText(Config& config, const KeyBinding& b, const std::string& text, const std::string& where) {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          config.*member = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "1" || text == "true" || text == "yes") {
            config.*member = true;
          } else if (text == "0" || text == "false" || text == "no") {
            config.*member = false;
          } else {
            Bad(where, "expected true or false, got '" + text + "'");
          }
        } else {
          std::int64_t v = 0;
          auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          if (ec != std::errc() || p != text.data() + text.size() || v < 0) {
            Bad(where, "expected a non-negative whole number, got '" + text + "'");
          }
          config.*member = v;
        }
      },
      b.field);
}

void SetFromToml(Config& config, const KeyBinding& b, const toml::node& node, const std::string& where) {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          auto v = node.value<std::string>();
          if (!node.is_string() || !v) Bad(where, "expected a string");
          config.*member = *v;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) Bad(where, "expected true or false");
          config.*member = *node.value<bool>();
        } else {
          if (!node.is_integer() || *node.value<std::int64_t>() < 0) Bad(where, "expected a non-negative integer");
          config.*member = *node.value<std::int64_t>();
        }
      },
      b.field);
}

void Validate(const Config& c) {
  if (c.password_hash != "interactive" && c.password_hash != "min") {
    Bad("auth.password_hash", "must be \"interactive\" or \"min\"");
  }
  if (c.io_threads < 1 || c.io_threads > 64) Bad("server.io_threads", "must be 1..64");
  if (c.worker_threads < 1 || c.worker_threads > 256) Bad("server.worker_threads", "must be 1..256");
  if (c.database_synchronous != "full" && c.database_synchronous != "normal") {
    Bad("database.synchronous", "must be \"full\" or \"normal\"");
  }
  if (c.smtp_starttls != "auto" && c.smtp_starttls != "always" && c.smtp_starttls != "never") {
    Bad("smtp.starttls", "must be \"auto\", \"always\" or \"never\"");
  }
  if (c.smtp_port < 1 || c.smtp_port > 65535) Bad("smtp.port", "must be 1..65535");
  if (c.webhooks_retry_window_seconds < 1) Bad("webhooks.retry_window_seconds", "must be at least 1");
  if (c.max_body_bytes < 1024) Bad("limits.max_body_bytes", "must be at least 1024");
  if (c.max_header_bytes < 1024) Bad("limits.max_header_bytes", "must be at least 1024");
  if (c.blobs != "database" && !c.blobs.starts_with("file://")) Bad("storage.blobs", "must be file://DIR or database");
  if (c.blobs == "file://") Bad("storage.blobs", "file:// needs a directory");
}

}  // namespace

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> kKeys = [] {
    std::vector<ConfigKey> keys;
    for (const auto& b : Bindings()) keys.push_back(b.key);
    return keys;
  }();
  return kKeys;
}

Config LoadConfig(const std::optional<std::string>& config_file, const std::map<std::string, std::string>& env,
                  const std::map<std::string, std::string>& flags) {
  Config config;
  for (const auto& b : Bindings()) {
    if (auto it = env.find(b.key.env); it != env.end()) SetFromText(config, b, it->second, b.key.env);
  }
  if (config_file) {
    toml::table table;
    try {
      table = toml::parse_file(*config_file);
    } catch (const toml::parse_error& e) {
      Bad(*config_file, std::string(e.description()) + " at line " + std::to_string(e.source().begin.line));
    }
    // Every key in the file must be known: a typo should not pass silently.
    for (const auto& [section, node] : table) {
      const auto* sub = node.as_table();
      if (!sub) Bad(*config_file, "unknown top-level key '" + std::string(section.str()) + "' (keys live in sections)");
      for (const auto& [key, value] : *sub) {
        std::string path = std::string(section.str()) + "." + std::string(key.str());
        const KeyBinding* found = nullptr;
        for (const auto& b : Bindings()) {
          if (b.key.toml_path == path) found = &b;
        }
        if (!found) Bad(*config_file, "unknown key '" + path + "'");
        SetFromToml(config, *found, value, *config_file + " " + path);
      }
    }
  }
  for (const auto& [flag, value] : flags) {
    const KeyBinding* found = nullptr;
    for (const auto& b : Bindings()) {
      if (b.key.flag == flag) found = &b;
    }
    if (!found) Bad("--" + flag, "unknown setting");
    SetFromText(config, *found, value, "--" + flag);
  }
  Validate(config);
  return config;
}

std::map<std::string, std::string> PorticoEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("PORTICO_")) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

}  // namespace portico
