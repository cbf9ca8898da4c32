// A small incremental multipart/form-data parser (RFC 7578, RFC 2046 section 5.1): bytes in, events out,
// no I/O and no allocation proportional to a part's body, so a 200 MB file part streams through a bounded
// buffer. Pure and deterministic, so a libFuzzer target can drive it (Feed arbitrary chunks, then Finish).
// Limits are explicit; the first violation stops the parser with a status (400 malformed or over a count
// or header limit, 413 over the body limit) and a message for the client.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace portico::http {

struct MultipartLimits {
  std::size_t max_parts = 8;              // parts in one body
  std::size_t max_header_bytes = 2048;    // one part's header block
  std::size_t max_preamble_bytes = 1024;  // bytes before the first boundary (and after the last)
  std::uint64_t max_body_bytes = 1 << 20; // the whole body
};

/// One part's headers, as far as form-data needs them.
struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // Content-Disposition filename (present for file parts)
  std::string content_type;             // as the client sent it (never trusted)
};

class MultipartParser {
 public:
  enum class Event { kPartBegin, kData, kPartEnd };
  /// Receives events in order: kPartBegin (part set, data empty), kData (part set, some bytes), kPartEnd.
  using Sink = std::function<void(Event, const MultipartPart& part, std::string_view data)>;

  MultipartParser(std::string boundary, MultipartLimits limits, Sink sink);

  /// Consumes bytes; returns false once the body is malformed or over a limit (then error()/status()).
  bool Feed(std::string_view bytes);
  /// Call at the end of the body: false when the closing boundary was not seen (truncated body).
  bool Finish();
  bool done() const { return state_ == State::kEpilogue; }
  bool failed() const { return state_ == State::kFailed; }
  /// 400 or 413 once failed.
  int status() const { return status_; }
  const std::string& error() const { return error_; }

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kBody, kEpilogue, kFailed };
  bool Fail(int status, std::string message);
  bool ParseHeaders(std::string_view block);
  bool Step();

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartLimits limits_;
  Sink sink_;
  State state_ = State::kPreamble;
  std::string buf_;        // unconsumed bytes (bounded by one Feed chunk plus a delimiter or a header block)
  std::uint64_t total_ = 0;
  std::size_t parts_ = 0;
  std::size_t skipped_ = 0;  // preamble / epilogue bytes seen
  MultipartPart part_;
  int status_ = 0;
  std::string error_;
};

/// The boundary of a `multipart/form-data; boundary=...` Content-Type (quoted or not; 1..70 characters
/// of RFC 2046's set), nullopt when the type is another or the boundary is missing or invalid.
std::optional<std::string> FormDataBoundary(std::string_view content_type);

}  // namespace portico::http
