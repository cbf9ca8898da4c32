#include "http/beast_message.h"

#include <algorithm>
#include <cctype>

namespace portico::http {
namespace bhttp = boost::beast::http;

Request ToRequest(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& remote) {
  const auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  auto q = req.target.find('?');
  auto raw_path = req.target.substr(0, q);
  req.path = DecodePath(raw_path).value_or(raw_path);
  if (q != std::string::npos) req.query = ParseQuery(std::string_view(req.target).substr(q + 1));
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = req.headers[name];
    slot = slot.empty() ? std::string(field.value()) : slot + (name == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  req.remote_address = remote;
  return req;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& res, unsigned version, bool keep_alive, bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, "portico");
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  for (auto& [k, v] : res.headers) out.insert(k, v);
  const bool chunked = res.stream_body && res.stream_body->size == BodySource::kUnknownSize;
  std::size_t size = res.stream_body ? static_cast<std::size_t>(std::max<std::int64_t>(0, res.stream_body->size))
                                     : res.body.size();
  if (!head) out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  // A generated body of unknown size (exports): HEAD answers the headers without a length (and without
  // Transfer-Encoding, which would make the serializer write a final chunk after them).
  if (!chunked) out.content_length(size);
  return out;
}

}  // namespace portico::http
