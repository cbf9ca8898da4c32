// Routes: method + path pattern ("/api/v1/repairs/{id}") -> handler, with the metadata the OpenAPI
// document is generated from, so the document cannot drift from what is served.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "http/message.h"
#include "services/auth_service.h"

namespace portico::http {

/// What a handler sees: the request, its path parameters and who is calling.
class RequestContext {
 public:
  explicit RequestContext(const Request& request) : req(request) {}

  const Request& req;
  std::map<std::string, std::string> params;
  std::optional<services::AuthContext> auth;

  /// The authenticated actor (routes that need auth never run without one).
  const policy::Actor& actor() const;
  /// A positive integer path parameter; an unparsable one is 404 (no such resource).
  std::int64_t IdParam(const char* name) const;
  /// The JSON object body (400 when malformed).
  boost::json::object Body() const;
  /// ?page=&page_size= with API.md defaults and cap (400 for non-numbers or page < 1).
  PageRequest Page() const;
  /// An optional positive-integer query parameter (400 when malformed).
  std::optional<std::int64_t> IntQuery(const char* name) const;
};

using Handler = std::function<Response(RequestContext&)>;

/// Metadata for OpenAPI and middleware.
struct RouteInfo {
  std::string operation_id;            // stable camelCase OpenAPI operationId ("listRepairs"); clients key on it
  std::string summary;
  std::string tag;
  bool auth = true;                    // 401 without credentials
  bool body = false;                   // takes a JSON body (415 for other content types)
  bool upload = false;                 // takes multipart/form-data, streamed to a temporary file (415 otherwise)
  int status = 200;                    // success status
  std::string request_schema;          // component name in the OpenAPI document
  std::string response_schema;         // component name; "" for no body
  bool paginated = false;              // response is {count,next,previous,results: [schema]}
  bool array = false;                  // response is [schema]
  std::vector<std::string> query;      // documented query parameters
  /// Upload routes: how many parts named "file" are accepted (issue 11: a message takes up to 10). With
  /// `body` also set, the route takes JSON too, and multipart without any file.
  std::size_t max_files = 1;
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  RouteInfo info;
  Handler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteInfo info, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path with another method (405)
    std::string allow;        // methods of that path
  };
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace portico::http
