#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace portico {

UnixSeconds SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

std::chrono::year_month_day Ymd(UnixSeconds t, std::int64_t* seconds_of_day) {
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  if (seconds_of_day) *seconds_of_day = rem;
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string FormatTimestamp(UnixSeconds t) {
  std::int64_t sod = 0;
  auto ymd = Ymd(t, &sod);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                  static_cast<int>(sod % 60));
    return buf;
  }
  // Digit by digit: the repair list writes two per row (issue 16), snprintf was a visible cost.
  std::string out = "0000-00-00T00:00:00Z";
  auto two = [&out](std::size_t at, int v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(0, year / 100);
  two(2, year % 100);
  two(5, static_cast<int>(static_cast<unsigned>(ymd.month())));
  two(8, static_cast<int>(static_cast<unsigned>(ymd.day())));
  two(11, static_cast<int>(sod / 3600));
  two(14, static_cast<int>(sod / 60 % 60));
  two(17, static_cast<int>(sod % 60));
  return out;
}

std::string FormatDate(UnixSeconds t) {
  auto ymd = Ymd(t, nullptr);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<UnixSeconds> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{ToInt(y)}, std::chrono::month{static_cast<unsigned>(ToInt(m))},
                                  std::chrono::day{static_cast<unsigned>(ToInt(d))}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count() * 86400LL;
}

std::optional<UnixSeconds> ParseTimestamp(std::string_view text) {
  if (text.size() < 20 || text.size() > 40 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  auto day = ParseDate(text.substr(0, 10));
  if (!day || text[13] != ':' || text[16] != ':') return std::nullopt;
  auto h = text.substr(11, 2), m = text.substr(14, 2), s = text.substr(17, 2);
  if (!AllDigits(h) || !AllDigits(m) || !AllDigits(s)) return std::nullopt;
  int hh = ToInt(h), mm = ToInt(m), ss = ToInt(s);
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (digits == 0) return std::nullopt;
  }
  std::int64_t offset = 0;
  auto zone = text.substr(i);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             AllDigits(zone.substr(1, 2)) && AllDigits(zone.substr(4, 2))) {
    int oh = ToInt(zone.substr(1, 2)), om = ToInt(zone.substr(4, 2));
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (oh * 60 + om) * 60LL * (zone[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  return *day + hh * 3600LL + mm * 60LL + ss - offset;
}

std::optional<int> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto h = text.substr(0, 2), m = text.substr(3, 2);
  if (!AllDigits(h) || !AllDigits(m)) return std::nullopt;
  int hh = ToInt(h), mm = ToInt(m);
  if (hh > 23 || mm > 59) return std::nullopt;
  return hh * 60 + mm;
}

std::string FormatTimeOfDay(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60 % 24, minutes % 60);
  return buf;
}

}  // namespace portico
