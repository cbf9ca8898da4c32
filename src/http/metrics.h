// Request metrics in Prometheus text format: per route, counts by status and a latency histogram.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace portico::http {

class Metrics {
 public:
  /// Histogram bucket upper bounds in seconds.
  static constexpr std::array<double, 13> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,    0.1,    0.25,  1.0,   5.0};

  /// Records one request of `method` on `route` (a path template, "/api/v1/customers/{id}") answered
  /// with `status` in `micros` microseconds.
  void Observe(const std::string& method, const std::string& route, int status, std::int64_t micros);
  /// A gauge read at render time (e.g. open connections, database pool use).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

 private:
  struct Series {
    std::map<int, std::uint64_t> by_status;
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Series> series_;  // (method, route)
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace portico::http
