// The HTTP/1.1 server: Boost.Beast on Asio C++20 coroutines. A few I/O threads parse and write; every
// request that may block (database, password hashing) runs on a worker pool so the I/O threads keep
// answering. Limits: header size, body size (413), read and idle timeouts, max connections.
// SIGINT/SIGTERM: stop accepting, finish in-flight requests, close idle connections, return.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/config.h"
#include "http/app.h"
#include "services/event_broker.h"

namespace portico::http {

class Server {
 public:
  Server(const Config& config, App& app, services::EventBroker& broker);
  ~Server();
  /// Binds the listen address (throws Error(kUnavailable) if it cannot) and serves until a signal.
  void Run();
  /// Open connections (for /metrics).
  int open_connections() const;
  /// Open WebSocket connections (for /metrics).
  int open_websockets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The request pipeline of one connection without a socket (for fuzz/): parses `bytes` as pipelined
/// HTTP/1.1 requests with the server's limits and handles each as a connection would (431/400 protocol
/// problems and close, 413 for a body over the limit, keep-alive); a long-poll answers at once and a
/// WebSocket upgrade ends the connection. Returns the serialized responses. Throws nothing that Beast or
/// App::Handle would not throw on a connection.
std::string HandleRequestBytes(App& app, const Config& config, std::string_view bytes);

}  // namespace portico::http
