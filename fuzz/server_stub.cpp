// The fuzz build's stand-in for the socket server (src/http/server.cpp, server_bodies.cpp,
// websocket_session.cpp): clang 14 cannot assemble those files' coroutines with the fuzzer's
// instrumentation ("Cannot represent a difference across sections"), and no fuzz target opens a socket.
// The request pipeline the targets drive (request_bytes.cpp, router, handlers) is compiled and
// instrumented as usual; only `portico serve` is missing from this build.
#include <stdexcept>

#include "http/server.h"

namespace portico::http {

struct Server::Impl {};

Server::Server(const Config&, App&, services::EventBroker&) {}
Server::~Server() = default;
void Server::Run() { throw std::logic_error("the fuzz build has no socket server"); }
int Server::open_connections() const { return 0; }
int Server::open_websockets() const { return 0; }

}  // namespace portico::http
