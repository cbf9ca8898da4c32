// The request pipeline of one connection without a socket, for the fuzz targets (fuzz/fuzz_http.cpp).
#pragma once

#include <string>
#include <string_view>

#include "core/config.h"
#include "http/app.h"

namespace portico::http {

/// Parses `bytes` as pipelined HTTP/1.1 requests with the server's limits and handles each as a
/// connection would (431/400 protocol problems and close, 413 for a body over the limit, keep-alive);
/// an upload route's multipart body goes through UploadReceiver after the header checks, as the server
/// streams it; a long-poll answers at once and a WebSocket upgrade ends the connection. Returns the serialized
/// responses. Throws nothing that Beast or App::Handle would not throw on a connection.
std::string HandleRequestBytes(App& app, const Config& config, std::string_view bytes);

}  // namespace portico::http
