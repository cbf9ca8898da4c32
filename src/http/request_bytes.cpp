#include "http/request_bytes.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <sstream>

#include "core/error.h"
#include "http/beast_message.h"
#include "http/multipart.h"
#include "http/upload.h"

namespace portico::http {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

std::string HandleRequestBytes(App& app, const Config& config, std::string_view bytes) {
  std::string out;
  std::size_t offset = 0;
  auto write = [&out](Response&& res, unsigned version, bool keep_alive, bool head) {
    std::ostringstream os;
    os << ToBeast(std::move(res), version, keep_alive, head);
    out += os.str();
  };
  // Feeds the parser until `done()`, as async_read_header/async_read would; the end of `bytes` is the
  // end of the stream.
  auto feed = [&](bhttp::request_parser<bhttp::string_body>& parser, auto done) {
    boost::system::error_code ec;
    while (!done()) {
      std::size_t n = 0;
      if (offset < bytes.size()) n = parser.put(asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
      offset += n;
      if (ec == bhttp::error::need_more) ec = {};
      if (ec) return ec;
      if (n == 0) {
        if (parser.got_some()) {
          parser.put_eof(ec);
          if (!ec && !done()) ec = bhttp::error::partial_message;
        } else {
          ec = bhttp::error::end_of_stream;
        }
        return ec;
      }
    }
    return ec;
  };
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
    parser.body_limit(boost::none);
    auto ec = feed(parser, [&parser] { return parser.is_header_done(); });
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        write(app.ProtocolError(ErrorCode::kHeadersTooLarge, "The request headers are too large."), 11, false, false);
      } else if (ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        write(app.ProtocolError(ErrorCode::kInvalidInput, "The request is not valid HTTP/1.1."), 11, false, false);
      }
      break;
    }
    const unsigned version = parser.get().version();
    // Upload routes as server.cpp's ServeUpload takes them: the handler's checks on the headers alone,
    // then the multipart body through UploadReceiver (here from memory, in 64 KiB pieces).
    if (app.IsUpload(parser.get().method_string(), parser.get().target(), parser.get()[bhttp::field::content_type])) {
      Request req = ToRequest(parser, "127.0.0.1");
      req.upload_pending = true;
      Response check = app.Handle(req);
      if (check.status != 100) {
        write(std::move(check), version, false, false);
        break;
      }
      req.upload_pending = false;
      req.request_id.clear();
      bool keep_alive = parser.get().keep_alive();
      parser.body_limit(static_cast<std::uint64_t>(app.MaxUploadBytes()));
      auto ec2 = feed(parser, [&parser] { return parser.is_done(); });
      if (ec2 && ec2 != bhttp::error::body_limit) break;
      UploadLimits limits;  // as ServeUpload sets them
      limits.multipart.max_body_bytes = static_cast<std::uint64_t>(app.MaxUploadBytes());
      limits.max_files = app.MaxUploadFiles(req.method, req.path);
      if (limits.max_files > 1) limits.max_field_bytes = 20000;
      limits.multipart.max_parts = std::max(limits.multipart.max_parts, limits.max_files + 6);
      UploadReceiver receiver(FormDataBoundary(req.Header("content-type").value_or("")).value_or("-"), limits,
                              app.upload_dir());
      bool refused = ec2 == bhttp::error::body_limit;
      req.body_too_large = refused;
      std::string_view body = parser.get().body();
      for (std::size_t at = 0; !refused && at < body.size(); at += 64 * 1024) {
        refused = !receiver.Feed(body.substr(at, 64 * 1024));
      }
      if (!refused) receiver.Finish();
      req.upload = receiver.Take();
      Response res = app.Handle(req);
      req.upload.reset();  // removes the temporary file
      if (refused || res.close) keep_alive = false;
      write(std::move(res), version, keep_alive, false);
      if (!keep_alive) break;
      continue;
    }
    bool too_large = false;
    auto length = parser.content_length();
    if (length && *length > static_cast<std::uint64_t>(config.max_body_bytes)) {
      too_large = true;
    } else if (!parser.is_done()) {
      parser.body_limit(static_cast<std::uint64_t>(config.max_body_bytes));
      auto ec2 = feed(parser, [&parser] { return parser.is_done(); });
      if (ec2 == bhttp::error::body_limit) {
        too_large = true;
      } else if (ec2) {
        break;
      }
    }
    Request req = ToRequest(parser, "127.0.0.1");
    if (!too_large) req.body = std::move(parser.get().body());
    req.body_too_large = too_large;
    const bool head = req.method == "HEAD";
    bool keep_alive = parser.get().keep_alive() && !too_large;
    Response res = app.Handle(req);
    if (res.long_poll) {
      auto poll = std::move(res.long_poll);
      poll->deadline = std::chrono::steady_clock::now();
      res = poll->retry();
    }
    if (res.websocket) break;  // the connection would be taken over
    if (res.close) keep_alive = false;
    write(std::move(res), version, keep_alive, head);
    if (!keep_alive) break;
  }
  return out;
}

}  // namespace portico::http
