#include "http/json_writer.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace portico::http {
namespace {

constexpr auto kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

/// True when one of the 8 bytes at `p` is below 0x20, '"' or '\\' (SWAR: a byte b is below n when
/// (b - n) borrows into its high bit while b's own high bit is clear).
bool AnyNeedsEscape(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;
  return (control | zero(x ^ (kOnes * '"')) | zero(x ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void JsonWriter::Escape(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t plain = 0;  // start of the run of characters that need no escape
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    // Eight bytes at a time while none of them needs an escape (most text needs none).
    while (i + 8 <= s.size() && !AnyNeedsEscape(s.data() + i)) i += 8;
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNeedsEscape[c]) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.data() + plain, s.size() - plain);
}

void JsonWriter::Key(std::string_view key) {
  Value();
  out_.push_back('"');
  out_.append(key);  // a name of the API (header: needs no escape)
  out_ += "\":";
  need_comma_ = false;
}

void JsonWriter::String(std::string_view s) {
  Value();
  out_.push_back('"');
  Escape(out_, s);
  out_.push_back('"');
}

void JsonWriter::Int(std::int64_t v) {
  Value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
}

void JsonWriter::Bool(bool v) {
  Value();
  out_ += v ? "true" : "false";
}

void JsonWriter::Null() {
  Value();
  out_ += "null";
}

void JsonWriter::Number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)) && v > -9e15 && v < 9e15) {
    Int(static_cast<std::int64_t>(v));
    return;
  }
  Value();
  out_ += boost::json::serialize(boost::json::value(v));
}

void JsonWriter::Raw(std::string_view json) {
  Value();
  out_.append(json);
}

}  // namespace portico::http
