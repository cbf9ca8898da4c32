#include "domain/webhook_rules.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace portico::domain {
namespace {

bool PublicV4(const std::array<unsigned char, 4>& a) {
  const unsigned b0 = a[0], b1 = a[1], b2 = a[2];
  if (b0 == 0 || b0 == 10 || b0 == 127) return false;               // "this network", private, loopback
  if (b0 == 100 && (b1 & 0xC0) == 64) return false;                  // 100.64/10 shared address space
  if (b0 == 169 && b1 == 254) return false;                          // link-local
  if (b0 == 172 && (b1 & 0xF0) == 16) return false;                  // 172.16/12
  if (b0 == 192 && b1 == 168) return false;                          // 192.168/16
  if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) return false;    // 192.0.0/24 IETF, 192.0.2/24 doc
  if (b0 == 198 && (b1 & 0xFE) == 18) return false;                  // 198.18/15 benchmarking
  if (b0 == 198 && b1 == 51 && b2 == 100) return false;              // documentation
  if (b0 == 203 && b1 == 0 && b2 == 113) return false;               // documentation
  if (b0 >= 224) return false;                                       // multicast 224/4, reserved 240/4, broadcast
  return true;
}

}  // namespace

std::string WebhookSignature(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  const std::string ts = std::to_string(timestamp);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(ts.data()), ts.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "v1=";
  for (unsigned char b : mac) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::int64_t WebhookRetryDelaySeconds(int retry, double jitter, std::int64_t base_seconds) {
  constexpr std::int64_t kCap = 4 * 60 * 60;
  std::int64_t base = std::clamp<std::int64_t>(base_seconds, 1, kCap);
  for (int i = 1; i < retry && base < kCap; ++i) base *= 2;
  base = std::min(base, kCap);
  const double j = std::clamp(std::isfinite(jitter) ? jitter : 0.5, 0.0, 1.0);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(static_cast<double>(base) * (0.5 + j))));
}

bool WebhookMayRetry(std::int64_t first_attempt_at, std::int64_t next_at, std::int64_t window_seconds) {
  return next_at - first_attempt_at <= window_seconds;
}

bool WebhookEndpointSpent(std::int64_t failing_since, std::int64_t now, bool gave_up, std::int64_t first_attempt_at,
                          std::int64_t window_seconds) {
  return now - failing_since >= window_seconds || (gave_up && failing_since <= first_attempt_at);
}

bool IsPublicAddress(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 4> v4{};
  if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return PublicV4(v4);
  // Zone ids ("fe80::1%eth0") are link-local by nature.
  if (text.find('%') != std::string::npos) return false;
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return false;
  auto zeros = [&](int from, int to) {
    return std::all_of(v6.begin() + from, v6.begin() + to, [](unsigned char b) { return b == 0; });
  };
  auto embedded = [&] { return PublicV4({v6[12], v6[13], v6[14], v6[15]}); };
  if (zeros(0, 10) && v6[10] == 0xFF && v6[11] == 0xFF) return embedded();  // ::ffff:a.b.c.d
  if (zeros(0, 12)) return false;                                           // ::, ::1, ::a.b.c.d (deprecated)
  if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && zeros(4, 12)) return embedded();  // NAT64
  if ((v6[0] & 0xFE) == 0xFC) return false;                                 // fc00::/7 unique local
  if (v6[0] == 0xFE && (v6[1] & 0xC0) == 0x80) return false;                // fe80::/10 link-local
  if (v6[0] == 0xFE && (v6[1] & 0xC0) == 0xC0) return false;                // fec0::/10 site-local (deprecated)
  if (v6[0] == 0xFF) return false;                                          // ff00::/8 multicast
  if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8) return false;  // 2001:db8::/32 doc
  if (v6[0] == 0x20 && v6[1] == 0x02) return PublicV4({v6[2], v6[3], v6[4], v6[5]});   // 6to4
  return true;
}

std::optional<WebhookTarget> ParseWebhookUrl(std::string_view url) {
  WebhookTarget t;
  std::string_view rest;
  auto lower_prefix = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    }
    return true;
  };
  if (lower_prefix("https://")) {
    rest = url.substr(8);
  } else if (lower_prefix("http://")) {
    t.https = false;
    t.port = 80;
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '\\') return std::nullopt;
  }
  std::string_view port_text;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    t.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    t.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (t.host.empty() || t.host.size() > 253) return std::nullopt;
  for (auto& c : t.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!port_text.empty()) {
    if (port_text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    t.port = port;
  }
  return t;
}

}  // namespace portico::domain
