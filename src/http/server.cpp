#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "http/beast_message.h"
#include "http/multipart.h"
#include "http/upload.h"

namespace portico::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::atomic<bool> idle{true};
};

tcp::endpoint ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw Error(ErrorCode::kInvalidInput, "listen address must be host:port: " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port <= 0 || port > 65535) throw Error(ErrorCode::kInvalidInput, "listen port must be 1..65535: " + listen);
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) {
    if (host == "localhost") {
      addr = asio::ip::make_address("127.0.0.1");
    } else {
      throw Error(ErrorCode::kInvalidInput, "listen host must be an IP address: " + host);
    }
  }
  return {addr, static_cast<unsigned short>(port)};
}


template <class T>
services::EventInterest Interest(const T& t) {
  services::EventInterest i;
  i.scope.tenant = TenantId(t.tenant);
  i.user = UserId(t.user);
  i.scope.all_of_tenant = t.all_of_tenant;
  for (auto c : t.customers) i.scope.customers.emplace_back(c);
  return i;
}

}  // namespace

struct Server::Impl {
  Impl(const Config& c, App& a, services::EventBroker& b)
      : config(c),
        app(a),
        broker(b),
        ioc(static_cast<int>(c.io_threads)),
        workers(static_cast<std::size_t>(c.worker_threads)),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  const Config& config;
  App& app;
  services::EventBroker& broker;
  std::atomic<int> websockets{0};
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  asio::steady_timer drain_timer{ioc};
  std::chrono::steady_clock::time_point drain_deadline;
  std::atomic<int> open{0};
  std::mutex conns_mutex;
  std::unordered_set<std::shared_ptr<Connection>> conns;
  std::mutex waits_mutex;
  std::unordered_map<std::int64_t, int> waits;  // user id -> long-polls waiting

  asio::awaitable<void> Listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      if (open.load() >= config.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
        spdlog::warn("connection refused: {} connections open (limit)", open.load());
        continue;
      }
      auto conn = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(conns_mutex);
        conns.insert(conn);
      }
      ++open;
      auto executor = conn->stream.get_executor();
      asio::co_spawn(executor, Serve(conn), [this, conn](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            spdlog::error("connection ended by exception: {}", ex.what());
          }
        }
        std::lock_guard lock(conns_mutex);
        conns.erase(conn);
        --open;
      });
    }
  }

  /// What an HTTP session hands on when its connection upgrades to a WebSocket: the upgrade request (for
  /// the handshake, freed after it) and the stream's session.
  struct Upgrade {
    bhttp::request<bhttp::string_body> request;
    std::shared_ptr<WebSocketSession> session;
  };

  /// One connection: HTTP requests, then (after an upgrade) the WebSocket. The HTTP session's coroutine
  /// frame, with its read buffer, parser and request, ends before the WebSocket runs (issue 16: an idle
  /// WebSocket keeps only what it needs).
  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn) {
    std::unique_ptr<Upgrade> upgrade = co_await Session(conn);
    if (upgrade) co_await RunWebSocket(conn, std::move(upgrade));
  }

  /// HTTP requests on one connection until it closes (nullptr) or upgrades to a WebSocket.
  asio::awaitable<std::unique_ptr<Upgrade>> Session(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = conn->stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    bool first = true;
    for (;;) {
      if (stopping) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
      // No body limit while reading the header: Beast would reject a large Content-Length there, before
      // we can authenticate and answer 413 in the order API.md prescribes. The limit is set below.
      parser.body_limit(boost::none);
      conn->idle = true;
      conn->stream.expires_after(std::chrono::seconds(first ? config.read_timeout_seconds : config.idle_timeout_seconds));
      first = false;
      auto [ec, n] = co_await bhttp::async_read_header(conn->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      conn->idle = false;
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          auto msg = ToBeast(app.ProtocolError(ErrorCode::kHeadersTooLarge, "The request headers are too large."), 11,
                             false, false);
          co_await bhttp::async_write(conn->stream, msg, asio::as_tuple(asio::use_awaitable));
        } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                   ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                   ec != asio::error::eof && ec != bhttp::error::partial_message) {
          // Garbage on the wire: answer 400 once and close.
          auto msg = ToBeast(app.ProtocolError(ErrorCode::kInvalidInput, "The request is not valid HTTP/1.1."), 11,
                             false, false);
          co_await bhttp::async_write(conn->stream, msg, asio::as_tuple(asio::use_awaitable));
        }
        break;
      }
      conn->stream.expires_after(std::chrono::seconds(config.read_timeout_seconds));
      if (app.IsUpload(parser.get().method_string(), parser.get().target(), parser.get()[bhttp::field::content_type])) {
        // Upload routes: authenticate first, then stream the multipart body to a temporary file.
        if (!co_await ServeUpload(conn, buffer, parser, remote)) break;
        continue;
      }
      bool too_large = false;
      auto length = parser.content_length();
      if (length && *length > static_cast<std::uint64_t>(config.max_body_bytes)) {
        too_large = true;  // not read: answered 413 (after authentication) and the connection closed
      } else if (!parser.is_done()) {
        parser.body_limit(static_cast<std::uint64_t>(config.max_body_bytes));
        auto [ec2, n2] = co_await bhttp::async_read(conn->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec2 == bhttp::error::body_limit) {
          too_large = true;
        } else if (ec2) {
          break;
        }
      }
      Request req = ToRequest(parser, remote);
      if (!too_large) req.body = std::move(parser.get().body());
      req.body_too_large = too_large;
      const unsigned version = parser.get().version();
      const bool head = req.method == "HEAD";
      bool keep_alive = parser.get().keep_alive() && !too_large;

      Response res;
      if (app.IsInline(req)) {
        res = app.Handle(req);
      } else {
        res = co_await asio::co_spawn(
            workers, [this, &req]() -> asio::awaitable<Response> { co_return app.Handle(req); }, asio::use_awaitable);
      }
      if (res.long_poll) {
        // The answer after the wait keeps the headers the pipeline set (security headers, request id).
        auto headers = std::move(res.headers);
        res = co_await WaitLongPoll(std::move(res.long_poll));
        for (auto& [name, value] : headers) {
          bool present = false;
          for (const auto& h : res.headers) present = present || h.first == name;
          if (!present) res.headers.emplace_back(std::move(name), std::move(value));
        }
      }
      if (res.websocket) {
        auto ws = std::move(res.websocket);
        if (ws->check_origin && !SameOrigin(parser.get())) {
          res = Response{};
          res.status = 403;
          res.content_type = "application/problem+json";
          res.body = R"({"type":"https://portico.dev/problems/forbidden","title":"Forbidden","status":403,)"
                     R"("detail":"The WebSocket's Origin is not this server."})";
          res.close = true;
        } else {
          co_return std::make_unique<Upgrade>(Upgrade{parser.release(), std::move(ws)});
        }
      }
      if (res.close || stopping) keep_alive = false;
      if (res.stream_body && !head) {
        if (!co_await WriteStreamed(*conn, std::move(res), version, keep_alive) || !keep_alive) break;
        continue;
      }
      auto msg = ToBeast(std::move(res), version, keep_alive, head);
      auto [wec, wn] = co_await bhttp::async_write(conn->stream, msg, asio::as_tuple(asio::use_awaitable));
      if (!wec && too_large) co_await Linger(*conn);
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    conn->stream.close();
    co_return nullptr;
  }

  /// One request on an upload route (RouteInfo::upload): the handler's checks run first on the headers
  /// alone (authentication, CSRF, multipart Content-Type, declared size: answered at once, the body
  /// unread); then the body is read in 64 KiB chunks through UploadReceiver into a temporary file (never
  /// whole in memory) and the request handled with Request::upload set. False: close the connection.
  asio::awaitable<bool> ServeUpload(std::shared_ptr<Connection> conn, beast::flat_buffer& buffer,
                                    bhttp::request_parser<bhttp::string_body>& parser, const std::string& remote) {
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

  /// Sends a response whose body comes from a BodySource, 256 KiB at a time (each piece read on a worker),
  /// so serving a large video costs one piece of memory. False when the write failed.
  asio::awaitable<bool> WriteStreamed(Connection& conn, Response res, unsigned version, bool keep_alive) {
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
      // Only trivially destructible captures inside the co_await (see RunWebSocket).
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

  /// Cookie-authenticated WebSockets must come from this server's own pages (cross-site WebSocket
  /// hijacking): the Origin's host:port must equal the Host header.
  static bool SameOrigin(const bhttp::request<bhttp::string_body>& req) {
    auto origin = req[bhttp::field::origin];
    auto host = req[bhttp::field::host];
    if (origin.empty() || host.empty()) return false;
    auto scheme = origin.find("://");
    if (scheme == beast::string_view::npos) return false;
    return origin.substr(scheme + 3) == host;
  }

  /// Waits until the tenant publishes an event or the deadline passes, then answers with retry() (on a
  /// worker). Spurious wake-ups (an event this caller may not see) wait again.
  asio::awaitable<Response> WaitLongPoll(std::shared_ptr<LongPoll> poll) {
    {
      std::lock_guard lock(waits_mutex);
      if (waits[poll->user] >= config.max_waits_per_user) {
        Response busy = app.ProtocolError(ErrorCode::kTooManyRequests,
                                          "Too many waiting requests for this user; use one long-poll or the WebSocket.");
        busy.close = false;
        busy.SetHeader("Retry-After", "1");
        co_return busy;
      }
      ++waits[poll->user];
    }
    struct Release {
      Impl* self;
      std::int64_t user;
      ~Release() {
        std::lock_guard lock(self->waits_mutex);
        if (--self->waits[user] <= 0) self->waits.erase(user);
      }
    } release{this, poll->user};
    auto executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor);
    // Set on this coroutine's strand by a wake-up. It starts true: an event committed between the
    // handler's first look and this subscription must not wait until the deadline.
    auto woken = std::make_shared<bool>(true);
    auto handle = broker.Subscribe(Interest(*poll), [timer, woken, executor] {
      asio::post(executor, [timer, woken] {
        *woken = true;
        timer->cancel();
      });
    });
    Response res;
    for (;;) {
      if (!*woken) {
        timer->expires_at(poll->deadline);
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
      }
      *woken = false;
      res = co_await asio::co_spawn(
          workers, [p = poll.get()]() -> asio::awaitable<Response> { co_return p->retry(); }, asio::use_awaitable);
      // A final page (the caller's access changed) is answered at once: the next poll sees what it may see.
      if (stopping || res.final || std::chrono::steady_clock::now() >= poll->deadline ||
          res.body.find("\"events\":[]") == std::string::npos) {
        break;
      }
    }
    broker.Unsubscribe(handle);
    res.long_poll.reset();
    co_return res;
  }

  /// Serves one WebSocket: replays the events after the client's `after`, then pushes new ones as they
  /// are published. Ping/pong keep-alive through Beast's idle timeout; client messages are read (and
  /// ignored) with a size limit; a client that falls too far behind is closed with 4008 and resumes
  /// with ?after=<last id it got>.
  asio::awaitable<void> RunWebSocket(std::shared_ptr<Connection> conn, std::unique_ptr<Upgrade> upgrade) {
    std::shared_ptr<WebSocketSession> session = std::move(upgrade->session);
    constexpr std::int64_t kMaxBacklog = 5000;
    websocket::stream<beast::tcp_stream&> ws(conn->stream);
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout opt{std::chrono::seconds(30), std::chrono::seconds(60), true};
    ws.set_option(opt);
    ws.read_message_max(static_cast<std::size_t>(config.max_ws_message_bytes));
    ws.write_buffer_bytes(1024);  // events are small; 10k idle sockets should not hold 4 KiB each
    ws.auto_fragment(false);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "portico"); }));
    auto [aec] = co_await ws.async_accept(upgrade->request, asio::as_tuple(asio::use_awaitable));
    upgrade.reset();  // the upgrade request's headers are not needed any more
    if (aec) co_return;
    ++websockets;
    auto executor = co_await asio::this_coro::executor;
    auto wake = std::make_shared<asio::steady_timer>(executor);
    auto closed = std::make_shared<bool>(false);
    // Set on this connection's strand by a wake-up, so one that arrives while we fetch or send is not
    // lost (a timer cancel only affects a wait already pending).
    auto woken = std::make_shared<bool>(false);
    auto handle = broker.Subscribe(Interest(*session), [wake, woken, executor] {
      asio::post(executor, [wake, woken] {
        *woken = true;
        wake->cancel();
      });
    });
    // Reader: keeps the connection's control frames flowing and notices the client leaving.
    asio::co_spawn(
        executor,
        [&ws, wake, closed]() -> asio::awaitable<void> {
          beast::flat_buffer buf;
          for (;;) {
            auto [ec, n] = co_await ws.async_read(buf, asio::as_tuple(asio::use_awaitable));
            if (ec) break;
            buf.consume(buf.size());
          }
          *closed = true;
          wake->cancel();
        },
        asio::detached);
    ws.text(true);
    std::int64_t after = session->after;
    while (!*closed && !stopping) {
      *woken = false;  // what is committed from here on is either fetched now or wakes us again
      // Issue 16: from memory on this thread when it can (a woken stream), else on a worker.
      auto now = session->fetch_now ? session->fetch_now(after) : std::nullopt;
      std::vector<std::string> frames;
      if (now) {
        frames = std::move(*now);
      } else {
        frames = co_await asio::co_spawn(
            workers,
            // Only trivially destructible captures in a co_await full-expression: g++ 12 may destroy such a
            // temporary twice (a captured shared_ptr then frees the session early). `session` owns it.
            [s = session.get(), &after]() -> asio::awaitable<std::vector<std::string>> { co_return s->fetch(after); },
            asio::use_awaitable);
      }
      if (after < 0) {
        websocket::close_reason reason(websocket::close_code::policy_error);
        reason.reason = "credentials are no longer valid";
        if (after == WebSocketSession::kAccessChanged) {
          reason.code = 4001;  // application code: access changed; reconnect
          reason.reason = "access changed: reconnect";
        }
        co_await ws.async_close(reason, asio::as_tuple(asio::use_awaitable));
        break;
      }
      bool failed = false;
      for (const auto& f : frames) {
        auto [wec, wn] = co_await ws.async_write(asio::buffer(f), asio::as_tuple(asio::use_awaitable));
        if (wec) {
          failed = true;
          break;
        }
      }
      if (failed) break;
      if (static_cast<std::int64_t>(frames.size()) >= 200) {
        auto behind = co_await asio::co_spawn(
            workers, [s = session.get(), after]() -> asio::awaitable<std::int64_t> { co_return s->backlog(after); },
            asio::use_awaitable);
        if (behind > kMaxBacklog) {
          websocket::close_reason reason;
          reason.code = 4008;  // application code: slow consumer
          reason.reason = "slow consumer: reconnect with ?after=" + std::to_string(after);
          co_await ws.async_close(reason, asio::as_tuple(asio::use_awaitable));
          break;
        }
        continue;  // more to send
      }
      if (stopping) break;
      if (*woken) continue;
      wake->expires_after(std::chrono::seconds(25));
      co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    broker.Unsubscribe(handle);
    if (!*closed && ws.is_open()) {
      websocket::close_reason reason(websocket::close_code::going_away);
      co_await ws.async_close(reason, asio::as_tuple(asio::use_awaitable));
    }
    // Let the reader finish before the stream goes away.
    while (!*closed) {
      beast::get_lowest_layer(ws).close();
      wake->expires_after(std::chrono::milliseconds(10));
      co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    --websockets;
  }

  /// After answering 413 to a body we did not read: stop sending, then read and discard what the client
  /// still sends (bounded: 64 MiB or 5 s) so it sees our response instead of a connection reset.
  asio::awaitable<void> Linger(Connection& conn) {
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

  /// Every 20 ms after a shutdown began: stops the I/O context once no connection is open (or 10 s passed),
  /// cancelling connections that became idle meanwhile.
  void PollDrain() {
    if (open.load() == 0 || std::chrono::steady_clock::now() > drain_deadline) {
      ioc.stop();
      return;
    }
    {
      std::lock_guard lock(conns_mutex);
      for (auto& c : conns) {
        asio::post(c->stream.get_executor(), [c] {
          if (c->idle) c->stream.cancel();
        });
      }
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](const boost::system::error_code&) { PollDrain(); });
  }

  void Shutdown() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections; finishing {} open", open.load());
    boost::system::error_code ignored;
    acceptor.close(ignored);
    broker.WakeAll();  // long-polls answer now; WebSockets close
    std::vector<std::shared_ptr<Connection>> snapshot;
    {
      std::lock_guard lock(conns_mutex);
      snapshot.assign(conns.begin(), conns.end());
    }
    // Connections waiting for a request are closed now; busy ones close after their response.
    for (auto& c : snapshot) {
      asio::post(c->stream.get_executor(), [c] {
        if (c->idle) c->stream.cancel();
      });
    }
    drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    PollDrain();
  }
};


Server::Server(const Config& config, App& app, services::EventBroker& broker)
    : impl_(std::make_unique<Impl>(config, app, broker)) {}
Server::~Server() = default;

int Server::open_connections() const { return impl_->open.load(); }
int Server::open_websockets() const { return impl_->websockets.load(); }

void Server::Run() {
  auto& s = *impl_;
  auto endpoint = ParseListen(s.config.listen);
  boost::system::error_code ec;
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw Error(ErrorCode::kUnavailable, "cannot listen on " + s.config.listen + ": " + ec.message());
  }
  spdlog::info("listening on http://{}", s.config.listen);
  s.signals.async_wait([&s](const boost::system::error_code& e, int) {
    if (!e) s.Shutdown();
  });
  asio::co_spawn(s.ioc, s.Listen(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < s.config.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  s.workers.join();
  spdlog::info("stopped");
}

}  // namespace portico::http
