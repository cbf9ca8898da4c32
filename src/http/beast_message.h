// Between Beast's messages and ours (http/message.h): the one place a parsed Beast request becomes a
// Request and a Response becomes a Beast response. Shared by the socket server (server.cpp) and the
// socket-less pipeline of the fuzz targets (request_bytes.cpp).
#pragma once

#include <boost/beast/http.hpp>
#include <string>

#include "http/message.h"

namespace portico::http {

/// The request of a parser whose header (and body, when read) is done; `remote` is the peer address.
/// The path is percent-decoded (kept raw when it does not decode), the query split, header names lower-cased
/// and repeated headers joined ("; " for cookies, ", " otherwise). The body is left to the caller.
Request ToRequest(const boost::beast::http::request_parser<boost::beast::http::string_body>& parser,
                  const std::string& remote);

/// The Beast response for `res` (status, headers, body; Content-Length from the body or the streamed
/// body's size). `head`: HEAD request, the body is dropped but its length kept.
boost::beast::http::response<boost::beast::http::string_body> ToBeast(Response&& res, unsigned version,
                                                                      bool keep_alive, bool head);

}  // namespace portico::http
