// The HTTP/1.1 server: Boost.Beast on Asio C++20 coroutines. A few I/O threads parse and write; every
// request that may block (database, password hashing) runs on a worker pool so the I/O threads keep
// answering. Limits: header size, body size (413), read and idle timeouts, max connections.
// SIGINT/SIGTERM: stop accepting, finish in-flight requests, close idle connections, return.
#pragma once

#include <memory>
#include <string>

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

}  // namespace portico::http
