#include "http/json_writer.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>

namespace portico::http {

void JsonWriter::Escape(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
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
  Escape(out_, key);
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
