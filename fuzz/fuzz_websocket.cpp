// The WebSocket frame reader: Beast's websocket stream over an in-memory stream with the server's message
// limit (limits.max_ws_message_bytes), after a valid upgrade handshake; the input is what the client
// sends after it (frames; client frames must be masked). Reads until an error or the end.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"

namespace beast = boost::beast;
namespace websocket = beast::websocket;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const portico::Config config;
  boost::asio::io_context ioc;
  beast::test::stream server(ioc);
  beast::test::stream client(ioc);
  server.connect(client);
  server.append(
      "GET /api/v1/events/ws HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  server.append(beast::string_view(reinterpret_cast<const char*>(data), size));
  server.close_remote();
  websocket::stream<beast::test::stream&> ws(server);
  ws.read_message_max(static_cast<std::size_t>(config.max_ws_message_bytes));
  beast::error_code ec;
  ws.accept(ec);
  if (ec) return 0;
  beast::flat_buffer buffer;
  for (int i = 0; i < 64; ++i) {
    ws.read(buffer, ec);
    if (ec) break;
    buffer.consume(buffer.size());
  }
  return 0;
}
