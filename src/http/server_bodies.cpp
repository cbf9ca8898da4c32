// The socket server's streamed bodies: an upload route's multipart request body read in chunks into a
// temporary file (ServeUpload), a response body sent piece by piece from a BodySource (WriteStreamed), and
// the bounded discard of a refused body (Linger). request_bytes.cpp takes uploads the same way without a
// socket, for the fuzz targets.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/beast_message.h"
#include "http/multipart.h"
#include "http/server_impl.h"
#include "http/upload.h"

namespace portico::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

asio::awaitable<bool> Server::Impl::ServeUpload(std::shared_ptr<Connection> conn, beast::flat_buffer& buffer,
                                              StringParser& parser, const std::string& remote) {
  Request req = ToRequest(parser, remote);
  const unsigned version = parser.get().version();
  bool keep_alive = parser.get().keep_alive();
  req.upload_pending = true;
  Response check = co_await asio::co_spawn(
      workers, [this, &req]() -> asio::awaitable<Response> { co_return app.Handle(req); }, asio::use_awaitable);
  if (check.status != 100) {
    const bool unread = !parser.is_done();
    auto msg = ToBeast(std::move(check), version, false, false);
    auto [wec, wn] = co_await bhttp::async_write(conn->stream, msg, asio::as_tuple(asio::use_awaitable));
    if (!wec && unread) co_await Linger(*conn);
    co_return false;
  }
  req.upload_pending = false;
  req.request_id.clear();
  if (auto expect = req.Header("expect"); expect && (*expect == "100-continue" || *expect == "100-Continue")) {
    bhttp::response<bhttp::empty_body> go{bhttp::status::continue_, version};
    auto [cec, cn] = co_await bhttp::async_write(conn->stream, go, asio::as_tuple(asio::use_awaitable));
    if (cec) co_return false;
  }
  auto boundary = FormDataBoundary(req.Header("content-type").value_or(""));
  UploadLimits limits;
  limits.multipart.max_body_bytes = static_cast<std::uint64_t>(app.MaxUploadBytes());
  limits.max_files = app.MaxUploadFiles(req.method, req.path);
  if (limits.max_files > 1) limits.max_field_bytes = 20000;  // a message body: 4,000 characters of UTF-8
  limits.multipart.max_parts = std::max(limits.multipart.max_parts, limits.max_files + 6);
  UploadReceiver receiver(boundary.value_or("-"), limits, app.upload_dir());
  bhttp::request_parser<bhttp::buffer_body> body_parser{std::move(parser)};
  body_parser.body_limit(static_cast<std::uint64_t>(app.MaxUploadBytes()));
  std::vector<char> chunk(64 * 1024);
  bool refused = false;
  while (!body_parser.is_done()) {
    conn->stream.expires_after(std::chrono::seconds(config.read_timeout_seconds));  // per chunk
    body_parser.get().body().data = chunk.data();
    body_parser.get().body().size = chunk.size();
    auto [ec, n] = co_await bhttp::async_read(conn->stream, buffer, body_parser, asio::as_tuple(asio::use_awaitable));
    if (ec == bhttp::error::need_buffer) ec = {};
    const std::size_t got = chunk.size() - body_parser.get().body().size;
    if (ec == bhttp::error::body_limit) {
      req.body_too_large = true;
      refused = true;
      break;
    }
    if (ec) co_return false;  // the client went away or stalled: nothing to answer
    if (got > 0 && !receiver.Feed(std::string_view(chunk.data(), got))) {
      refused = true;
      break;
    }
  }
  if (!refused) receiver.Finish();
  req.upload = receiver.Take();
  if (refused) keep_alive = false;
  Response res = co_await asio::co_spawn(
      workers, [this, &req]() -> asio::awaitable<Response> { co_return app.Handle(req); }, asio::use_awaitable);
  req.upload.reset();  // removes the temporary file
  if (res.close || stopping) keep_alive = false;
  auto msg = ToBeast(std::move(res), version, keep_alive, false);
  auto [wec, wn] = co_await bhttp::async_write(conn->stream, msg, asio::as_tuple(asio::use_awaitable));
  if (!wec && refused) co_await Linger(*conn);
  co_return !wec && keep_alive;
}

asio::awaitable<bool> Server::Impl::WriteStreamed(Connection& conn, Response res, unsigned version, bool keep_alive) {
  auto source = std::move(res.stream_body);
  bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, "portico");
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  for (auto& [k, v] : res.headers) out.insert(k, v);
  out.keep_alive(keep_alive);
  const bool chunked = source->size == BodySource::kUnknownSize;
  if (chunked) {
    out.chunked(true);
  } else {
    out.content_length(static_cast<std::uint64_t>(source->size));
  }
  out.body().data = nullptr;
  out.body().more = true;
  bhttp::response_serializer<bhttp::buffer_body> sr{out};
  auto [hec, hn] = co_await bhttp::async_write_header(conn.stream, sr, asio::as_tuple(asio::use_awaitable));
  if (hec) co_return false;
  std::int64_t offset = 0;
  if (chunked) {
    // Generated bodies (exports): one piece in memory at a time; an error mid-way drops the connection.
    for (;;) {
      std::optional<std::string> piece = co_await asio::co_spawn(
          workers,
          [s = source.get(), offset]() -> asio::awaitable<std::optional<std::string>> {
            try {
              co_return s->read(offset, 0);
            } catch (const std::exception& e) {
              spdlog::warn("streamed response aborted: {}", e.what());
              co_return std::nullopt;
            }
          },
          asio::use_awaitable);
      if (!piece) co_return false;
      if (piece->empty()) break;
      out.body().data = piece->data();
      out.body().size = piece->size();
      out.body().more = true;
      conn.stream.expires_after(std::chrono::seconds(config.read_timeout_seconds));  // per piece: long exports
      auto [wec, wn] = co_await bhttp::async_write(conn.stream, sr, asio::as_tuple(asio::use_awaitable));
      if (wec == bhttp::error::need_buffer) wec = {};
      if (wec) co_return false;
      offset += static_cast<std::int64_t>(piece->size());
    }
  }
  while (!chunked && offset < source->size) {
    const std::int64_t length = std::min<std::int64_t>(256 * 1024, source->size - offset);
    // Only trivially destructible captures inside the co_await (see RunWebSocket in websocket_session.cpp).
    std::string piece = co_await asio::co_spawn(
        workers,
        [s = source.get(), offset, length]() -> asio::awaitable<std::string> { co_return s->read(offset, length); },
        asio::use_awaitable);
    if (piece.empty()) co_return false;
    out.body().data = piece.data();
    out.body().size = piece.size();
    out.body().more = true;
    auto [wec, wn] = co_await bhttp::async_write(conn.stream, sr, asio::as_tuple(asio::use_awaitable));
    if (wec == bhttp::error::need_buffer) wec = {};
    if (wec) co_return false;
    offset += static_cast<std::int64_t>(piece.size());
  }
  out.body().data = nullptr;
  out.body().more = false;
  auto [eec, en] = co_await bhttp::async_write(conn.stream, sr, asio::as_tuple(asio::use_awaitable));
  co_return !eec;
}

asio::awaitable<void> Server::Impl::Linger(Connection& conn) {
  boost::system::error_code ignored;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  conn.stream.expires_after(std::chrono::seconds(5));
  std::vector<char> sink(64 * 1024);
  std::size_t total = 0;
  while (total < (64u << 20)) {
    auto [ec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    total += n;
  }
}

}  // namespace portico::http
