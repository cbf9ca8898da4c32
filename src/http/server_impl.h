// The socket server's internals (Server::Impl), shared by its translation units: server.cpp (accept loop,
// HTTP sessions, long-polls, shutdown), server_bodies.cpp (streamed request and response bodies) and
// websocket_session.cpp (a WebSocket after the upgrade). Internal to src/http/: only those files include it.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "http/server.h"

namespace portico::http {

namespace detail {

/// One accepted TCP connection: its stream, and whether it waits for a request (a shutdown closes it then).
struct Connection {
  explicit Connection(boost::asio::ip::tcp::socket socket) : stream(std::move(socket)) {}
  boost::beast::tcp_stream stream;
  std::atomic<bool> idle{true};
};

/// What a long-poll or WebSocket waits for (LongPoll, WebSocketSession): its tenant scope and user.
template <class T>
services::EventInterest Interest(const T& t) {
  services::EventInterest i;
  i.scope.tenant = TenantId(t.tenant);
  i.user = UserId(t.user);
  i.scope.all_of_tenant = t.all_of_tenant;
  for (auto c : t.customers) i.scope.customers.emplace_back(c);
  return i;
}

}  // namespace detail

/// The server's state and coroutines: one I/O context, a worker pool for requests that may block, the
/// open connections, and the long-polls waiting per user.
struct Server::Impl {
  using Connection = detail::Connection;
  using StringRequest = boost::beast::http::request<boost::beast::http::string_body>;
  using StringParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

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
  boost::asio::io_context ioc;
  boost::asio::thread_pool workers;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::signal_set signals;
  std::atomic<bool> stopping{false};
  boost::asio::steady_timer drain_timer{ioc};
  std::chrono::steady_clock::time_point drain_deadline;
  std::atomic<int> open{0};
  std::mutex conns_mutex;
  std::unordered_set<std::shared_ptr<Connection>> conns;
  std::mutex waits_mutex;
  std::unordered_map<std::int64_t, int> waits;  // user id -> long-polls waiting

  /// What an HTTP session hands on when its connection upgrades to a WebSocket: the upgrade request (for
  /// the handshake, freed after it) and the stream's session.
  struct Upgrade {
    StringRequest request;
    std::shared_ptr<WebSocketSession> session;
  };

  // server.cpp

  /// Accepts connections until the acceptor closes; each runs Serve on its own strand.
  boost::asio::awaitable<void> Listen();
  /// One connection: HTTP requests, then (after an upgrade) the WebSocket. The HTTP session's coroutine
  /// frame, with its read buffer, parser and request, ends before the WebSocket runs (issue 16: an idle
  /// WebSocket keeps only what it needs).
  boost::asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  /// HTTP requests on one connection until it closes (nullptr) or upgrades to a WebSocket.
  boost::asio::awaitable<std::unique_ptr<Upgrade>> Session(std::shared_ptr<Connection> conn);
  /// Waits until the tenant publishes an event or the deadline passes, then answers with retry() (on a
  /// worker). Spurious wake-ups (an event this caller may not see) wait again.
  boost::asio::awaitable<Response> WaitLongPoll(std::shared_ptr<LongPoll> poll);
  /// Every 20 ms after a shutdown began: stops the I/O context once no connection is open (or 10 s passed),
  /// cancelling connections that became idle meanwhile.
  void PollDrain();
  /// Stops accepting, wakes long-polls and WebSockets, closes idle connections, then drains (PollDrain).
  void Shutdown();

  // server_bodies.cpp

  /// One request on an upload route (RouteInfo::upload): the handler's checks run first on the headers
  /// alone (authentication, CSRF, multipart Content-Type, declared size: answered at once, the body
  /// unread); then the body is read in 64 KiB chunks through UploadReceiver into a temporary file (never
  /// whole in memory) and the request handled with Request::upload set. False: close the connection.
  boost::asio::awaitable<bool> ServeUpload(std::shared_ptr<Connection> conn, boost::beast::flat_buffer& buffer,
                                           StringParser& parser, const std::string& remote);
  /// Sends a response whose body comes from a BodySource, 256 KiB at a time (each piece read on a worker),
  /// so serving a large video costs one piece of memory. False when the write failed.
  boost::asio::awaitable<bool> WriteStreamed(Connection& conn, Response res, unsigned version, bool keep_alive);
  /// After answering 413 to a body we did not read: stop sending, then read and discard what the client
  /// still sends (bounded: 64 MiB or 5 s) so it sees our response instead of a connection reset.
  boost::asio::awaitable<void> Linger(Connection& conn);

  // websocket_session.cpp

  /// Cookie-authenticated WebSockets must come from this server's own pages (cross-site WebSocket
  /// hijacking): the Origin's host:port must equal the Host header.
  static bool SameOrigin(const StringRequest& req);
  /// Serves one WebSocket: replays the events after the client's `after`, then pushes new ones as they
  /// are published. Ping/pong keep-alive through Beast's idle timeout; client messages are read (and
  /// ignored) with a size limit; a client that falls too far behind is closed with 4008 and resumes
  /// with ?after=<last id it got>.
  boost::asio::awaitable<void> RunWebSocket(std::shared_ptr<Connection> conn, std::unique_ptr<Upgrade> upgrade);
};

}  // namespace portico::http
