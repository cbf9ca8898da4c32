// A small streaming JSON writer: appends JSON text straight to a string (a response body) without
// building a boost::json tree first (issue 16: the repair list writes 50 repairs per request). Strings are
// escaped as boost::json::serialize escapes them, so a body reads the same whichever wrote it. The caller
// keeps the structure valid (keys inside objects, one value per key); Comma() is handled by the writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::http {

class JsonWriter {
 public:
  /// Writes into `out` (appending).
  explicit JsonWriter(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  /// An object key; the next call writes its value. Written as it is: a literal name of the API that
  /// needs no escaping (never input).
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(std::int64_t v);
  void Bool(bool v);
  void Null();
  /// A whole number as an integer, any other as boost::json writes a double.
  void Number(double v);
  void OptString(const std::optional<std::string>& s) { s ? String(*s) : Null(); }
  void OptInt(const std::optional<std::int64_t>& v) { v ? Int(*v) : Null(); }
  /// Already serialised JSON (one value), written as it is.
  void Raw(std::string_view json);

  /// Appends `s` JSON-escaped, without quotes.
  static void Escape(std::string& out, std::string_view s);

 private:
  void Value() {
    if (need_comma_) out_.push_back(',');
    need_comma_ = true;
  }
  void Open(char c) {
    Value();
    out_.push_back(c);
    need_comma_ = false;
  }
  void Close(char c) {
    out_.push_back(c);
    need_comma_ = true;
  }

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace portico::http
