// Request and response as the application sees them: plain structs, no Beast. server.cpp converts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace portico::http {

struct UploadedForm;  // http/upload.h

struct Request {
  std::string method;  // upper case
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path without query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lower-case
  std::string body;
  std::string remote_address;
  std::string request_id;
  bool body_too_large = false;  // the body exceeded the limit and was not read
  bool upload_pending = false;  // upload routes, headers only: check them and answer 100 to go on
  std::shared_ptr<UploadedForm> upload;  // upload routes: the multipart body, streamed to a temporary file

  std::optional<std::string> Header(const std::string& lower_name) const;
  std::optional<std::string> QueryParam(const std::string& name) const;
  /// The value of cookie `name` from the Cookie header, if present.
  std::optional<std::string> Cookie(const std::string& name) const;
};

struct Response;

/// A response that may wait (long-poll): the server subscribes to the tenant's events and, when woken or
/// at the deadline, runs `retry` on a worker; `retry` answers at once when the deadline has passed.
struct LongPoll {
  std::int64_t tenant = 0;
  std::int64_t user = 0;
  bool all_of_tenant = false;
  std::vector<std::int64_t> customers;
  std::chrono::steady_clock::time_point deadline;
  std::function<Response()> retry;
};

/// An accepted WebSocket upgrade: the server takes the connection over.
struct WebSocketSession {
  std::int64_t tenant = 0;
  std::int64_t user = 0;
  bool all_of_tenant = false;
  std::vector<std::int64_t> customers;
  std::int64_t after = 0;            // last event id the client has
  bool check_origin = false;         // cookie-authenticated: Origin must be this server
  /// `after` after a fetch when the stream must end: the credential ended (close 1008) or the caller's
  /// access changed (close 4001: reconnect to wait for what it may see now).
  static constexpr std::int64_t kCredentialEnded = -1;
  static constexpr std::int64_t kAccessChanged = -2;
  /// Runs on a worker: the next frames after `after` (and advances it); empty when none. Sets `after`
  /// to kCredentialEnded or kAccessChanged when the stream must end.
  std::function<std::vector<std::string>(std::int64_t& after)> fetch;
  /// Runs on the connection's I/O thread first (issue 16: a woken stream needs no worker): like fetch,
  /// from memory only; nullopt (and `after` untouched) when it needs the database, then fetch runs.
  std::function<std::optional<std::vector<std::string>>(std::int64_t& after)> fetch_now;
  /// Runs on a worker: how far behind the newest visible event the client is (events).
  std::function<std::int64_t(std::int64_t after)> backlog;
};

/// A response body read in pieces (large files): `read(offset, length)` runs on a worker and returns the
/// bytes [offset, offset + length) of the body; `size` bytes in all.
/// `size` kUnknownSize (exports generated as they are sent): the body goes out with chunked transfer
/// encoding; `read` is called again and again (one call at a time) for the next piece, any length, until
/// it returns "" (the end). An exception from `read` aborts the connection, so the client sees a
/// truncated body instead of a complete-looking one.
struct BodySource {
  static constexpr std::int64_t kUnknownSize = -1;
  std::int64_t size = 0;
  std::function<std::string(std::int64_t offset, std::int64_t length)> read;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after sending
  bool final = false;  // a long-poll page to answer at once, even when empty (the caller's access changed)
  std::shared_ptr<LongPoll> long_poll;          // set: wait, then answer with retry()
  std::shared_ptr<WebSocketSession> websocket;  // set: upgrade the connection
  std::shared_ptr<BodySource> stream_body;      // set: the body (instead of `body`), sent in chunks

  void SetHeader(const std::string& name, const std::string& value);
};

/// Splits "a=1&b=2" into decoded pairs ('+' is a space). Malformed escapes are kept literally.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
/// Percent-decodes a path; nullopt for malformed escapes or an encoded NUL.
std::optional<std::string> DecodePath(std::string_view path);

}  // namespace portico::http
