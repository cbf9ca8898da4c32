// Webhook rules as pure functions: the signature, the retry schedule and which addresses a delivery may
// reach. Sources: API.md, "Webhooks" (signature `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`,
// first retry within 60 s then doubling with jitter for 24 hours, loopback/private/link-local/multicast
// targets refused unless `webhooks.allow_private`); Stripe's signing scheme; OWASP SSRF prevention.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::domain {

/// The Portico-Signature header value: "v1=" + lower-case hex HMAC-SHA256 keyed with `secret` over
/// `timestamp` (Unix seconds as decimal text, the Portico-Timestamp header) + "." + `body`.
std::string WebhookSignature(std::string_view secret, std::int64_t timestamp, std::string_view body);

/// How long deliveries are retried after the first attempt before they are `failed`: 24 hours.
inline constexpr std::int64_t kWebhookRetryWindowSeconds = 24 * 60 * 60;
/// How long past the event retention period (events.retention_days) an active endpoint that has not yet
/// queued an event may hold its pruning back: 7 days. Beyond that the event is pruned all the same (a worker
/// stalled that long must not grow the event log without bound); disabled endpoints never hold it back.
inline constexpr std::int64_t kWebhookPruneHoldSeconds = 7 * 24 * 60 * 60;
/// The answer time a delivery may take (a 2xx within it is a delivery): 10 seconds.
inline constexpr std::int64_t kWebhookTimeoutSeconds = 10;

/// Seconds to wait before retry number `retry` (1 = the first retry after the first failed attempt):
/// `base_seconds` (default 30 s) doubled per retry (30, 60, 120, ...; capped at 4 hours) and scaled by a
/// jitter factor between 0.5 and 1.5 taken from `jitter` in [0, 1). So the first retry comes within
/// 15..45 s (< 60 s) by default. At least 1 second.
std::int64_t WebhookRetryDelaySeconds(int retry, double jitter, std::int64_t base_seconds = 30);

/// True when another attempt may be scheduled at `next_at` (Unix seconds) for a delivery first tried at
/// `first_attempt_at`: inside the retry window (`window_seconds`, 24 hours by default;
/// config webhooks.retry_window_seconds).
bool WebhookMayRetry(std::int64_t first_attempt_at, std::int64_t next_at,
                     std::int64_t window_seconds = kWebhookRetryWindowSeconds);

/// True when an endpoint is to be disabled after a failed attempt at `now` (Unix seconds): it has failed
/// without a delivery since `failing_since` for the whole window (`window_seconds`, a day), or a delivery
/// first tried at `first_attempt_at` has just given up (`gave_up`: its window is spent) with no delivery to
/// the endpoint since that first attempt (`failing_since <= first_attempt_at`). The second case is needed
/// because the last retry of a lone delivery falls inside the window, so `now` may never reach the first
/// one's end. Source: issue 14 ("automatic disabling of an endpoint after a day of failures").
bool WebhookEndpointSpent(std::int64_t failing_since, std::int64_t now, bool gave_up, std::int64_t first_attempt_at,
                          std::int64_t window_seconds = kWebhookRetryWindowSeconds);

/// True when `address` (a numeric IPv4 or IPv6 address, as from getaddrinfo) may be a webhook target
/// without `webhooks.allow_private`: not unspecified, loopback, private (10/8, 172.16/12, 192.168/16,
/// 100.64/10, fc00::/7), link-local (169.254/16, fe80::/10), multicast (224/4, ff00::/8), reserved
/// (0/8, 240/4, broadcast) or documentation/benchmark ranges; IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
/// and NAT64 (64:ff9b::/96) IPv6 addresses are judged by the IPv4 address they carry. Text that is not an
/// address is not public (false).
bool IsPublicAddress(std::string_view address);

/// The parts of a webhook URL that matter for delivery. nullopt when the URL is not http(s)://host[:port]/...
/// or has user info.
struct WebhookTarget {
  bool https = true;
  std::string host;  // without brackets for IPv6 literals
  int port = 443;
};
std::optional<WebhookTarget> ParseWebhookUrl(std::string_view url);

}  // namespace portico::domain
