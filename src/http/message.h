// Request and response as the application sees them: plain structs, no Beast. server.cpp converts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace portico::http {

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

  std::optional<std::string> Header(const std::string& lower_name) const;
  std::optional<std::string> QueryParam(const std::string& name) const;
  /// The value of cookie `name` from the Cookie header, if present.
  std::optional<std::string> Cookie(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after sending

  void SetHeader(const std::string& name, const std::string& value);
};

/// Splits "a=1&b=2" into decoded pairs ('+' is a space). Malformed escapes are kept literally.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
/// Percent-decodes a path; nullopt for malformed escapes or an encoded NUL.
std::optional<std::string> DecodePath(std::string_view path);

}  // namespace portico::http
