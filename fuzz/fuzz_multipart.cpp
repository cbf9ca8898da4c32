// The multipart/form-data parser of uploads (src/http/multipart.cpp): the input's first line is the
// Content-Type value (its boundary found by FormDataBoundary, else a fixed one), its first byte also picks
// the chunk size the body is fed in (1..64 bytes, so every split of a delimiter or header block is tried);
// the rest is the body. Checked on every input: events come in order (begin, data..., end), the part
// count and data bytes stay within the limits, and a failure carries 400 or 413 with a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/multipart.h"

using portico::http::FormDataBoundary;
using portico::http::MultipartLimits;
using portico::http::MultipartParser;
using portico::http::MultipartPart;

namespace {
void Check(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  std::string_view content_type = "multipart/form-data; boundary=XyZ";
  std::string_view body = input.substr(1);
  if (auto nl = body.find('\n'); nl != std::string_view::npos) {
    content_type = body.substr(0, nl);
    body = body.substr(nl + 1);
  }
  auto boundary = FormDataBoundary(content_type).value_or("XyZ");
  MultipartLimits limits{.max_parts = 4, .max_header_bytes = 256, .max_preamble_bytes = 128, .max_body_bytes = 4096};
  bool in_part = false;
  std::size_t parts = 0;
  std::uint64_t data_bytes = 0;
  MultipartParser parser(boundary, limits, [&](MultipartParser::Event e, const MultipartPart&, std::string_view d) {
    switch (e) {
      case MultipartParser::Event::kPartBegin:
        Check(!in_part && d.empty());
        in_part = true;
        ++parts;
        Check(parts <= limits.max_parts);
        break;
      case MultipartParser::Event::kData:
        Check(in_part);
        data_bytes += d.size();
        Check(data_bytes <= limits.max_body_bytes);
        break;
      case MultipartParser::Event::kPartEnd:
        Check(in_part && d.empty());
        in_part = false;
        break;
    }
  });
  bool ok = true;
  for (std::size_t i = 0; ok && i < body.size(); i += chunk) ok = parser.Feed(body.substr(i, chunk));
  if (ok) ok = parser.Finish();
  if (!ok) {
    Check(parser.failed() || !parser.done());
    if (parser.failed()) Check((parser.status() == 400 || parser.status() == 413) && !parser.error().empty());
  } else {
    Check(parser.done() && !in_part);
  }
  return 0;
}
