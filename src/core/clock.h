// Time: a clock that tests can stop, and the wire formats of API.md (RFC 3339 UTC with Z, YYYY-MM-DD).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico {

/// Seconds since the Unix epoch, UTC.
using UnixSeconds = std::int64_t;

/// Source of the current time. The system clock in production, a settable one in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds Now() const override;
};

/// A clock that only moves when told to (tests).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds now) : now_(now) {}
  UnixSeconds Now() const override { return now_.load(); }
  void Advance(UnixSeconds seconds) { now_ += seconds; }

 private:
  std::atomic<UnixSeconds> now_;
};

/// "2024-05-01T08:30:00Z".
std::string FormatTimestamp(UnixSeconds t);
/// "2024-05-01".
std::string FormatDate(UnixSeconds t);
/// Parses "YYYY-MM-DD" into the Unix time of that day's midnight UTC; nullopt if malformed or not a
/// real calendar date.
std::optional<UnixSeconds> ParseDate(std::string_view text);
/// Parses an RFC 3339 timestamp ("2024-05-01T08:30:00Z", optional fraction, "Z" or "+HH:MM"/"-HH:MM")
/// into Unix seconds (fractions dropped); nullopt if malformed.
std::optional<UnixSeconds> ParseTimestamp(std::string_view text);
/// Parses "HH:MM" (00:00-23:59) into minutes after midnight; nullopt if malformed.
std::optional<int> ParseTimeOfDay(std::string_view text);
/// Minutes after midnight -> "HH:MM".
std::string FormatTimeOfDay(int minutes);

}  // namespace portico
