#include "http/metrics.h"

#include <fmt/format.h>

namespace portico::http {

void Metrics::Observe(const std::string& method, const std::string& route, int status, std::int64_t micros) {
  double seconds = static_cast<double>(micros) / 1e6;
  std::lock_guard lock(mutex_);
  auto& s = series_[{method, route}];
  ++s.by_status[status];
  ++s.count;
  s.sum_seconds += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

namespace {
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP portico_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE portico_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    for (const auto& [status, n] : s.by_status) {
      out += fmt::format("portico_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", key.first,
                         Escape(key.second), status, n);
    }
  }
  out += "# HELP portico_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE portico_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    auto r = "method=\"" + key.first + "\",route=\"" + Escape(key.second);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("portico_http_request_duration_seconds_bucket{{{}\",le=\"{}\"}} {}\n", r,
                         kBuckets[i], s.buckets[i]);
    }
    out += fmt::format("portico_http_request_duration_seconds_bucket{{{}\",le=\"+Inf\"}} {}\n", r, s.count);
    out += fmt::format("portico_http_request_duration_seconds_sum{{{}\"}} {:.6f}\n", r, s.sum_seconds);
    out += fmt::format("portico_http_request_duration_seconds_count{{{}\"}} {}\n", r, s.count);
  }
  for (const auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.read());
  }
  return out;
}

}  // namespace portico::http
