// The socket server's WebSocket sessions: the Origin check before an upgrade (SameOrigin) and the event
// stream after it (RunWebSocket: replay, push on publish, keep-alive, slow-consumer close).
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/server_impl.h"

namespace portico::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;

bool Server::Impl::SameOrigin(const StringRequest& req) {
  auto origin = req[bhttp::field::origin];
  auto host = req[bhttp::field::host];
  if (origin.empty() || host.empty()) return false;
  auto scheme = origin.find("://");
  if (scheme == beast::string_view::npos) return false;
  return origin.substr(scheme + 3) == host;
}

asio::awaitable<void> Server::Impl::RunWebSocket(std::shared_ptr<Connection> conn, std::unique_ptr<Upgrade> upgrade) {
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
  auto handle = broker.Subscribe(detail::Interest(*session), [wake, woken, executor] {
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

}  // namespace portico::http
