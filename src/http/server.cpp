// The socket server's accept loop, HTTP sessions, long-polls and shutdown. Request and response bodies
// that stream (uploads, large files, exports) are in server_bodies.cpp; the WebSocket after an upgrade in
// websocket_session.cpp; the state they share in server_impl.h.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "core/error.h"
#include "http/beast_message.h"
#include "http/server_impl.h"

namespace portico::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

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

}  // namespace

asio::awaitable<void> Server::Impl::Listen() {
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

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
  std::unique_ptr<Upgrade> upgrade = co_await Session(conn);
  if (upgrade) co_await RunWebSocket(conn, std::move(upgrade));
}

asio::awaitable<std::unique_ptr<Server::Impl::Upgrade>> Server::Impl::Session(std::shared_ptr<Connection> conn) {
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

asio::awaitable<Response> Server::Impl::WaitLongPoll(std::shared_ptr<LongPoll> poll) {
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
  auto handle = broker.Subscribe(detail::Interest(*poll), [timer, woken, executor] {
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

void Server::Impl::PollDrain() {
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

void Server::Impl::Shutdown() {
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
