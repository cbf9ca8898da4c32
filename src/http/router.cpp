#include "http/router.h"

#include <algorithm>
#include <charconv>

#include "core/error.h"
#include "http/json_io.h"

namespace portico::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    auto j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::int64_t> PositiveInt(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

const policy::Actor& RequestContext::actor() const {
  if (!auth) throw Error(ErrorCode::kUnauthenticated, "Log in first.");
  return auth->actor;
}

std::int64_t RequestContext::IdParam(const char* name) const {
  auto it = params.find(name);
  if (it == params.end()) throw Error::NotFound();
  auto v = PositiveInt(it->second);
  if (!v) throw Error::NotFound();
  return *v;
}

boost::json::object RequestContext::Body() const { return ParseJsonObject(req.body); }

PageRequest RequestContext::Page() const {
  PageRequest page;
  FieldErrors errors;
  if (auto p = req.QueryParam("page")) {
    auto v = PositiveInt(*p);
    if (!v) {
      errors["page"].push_back("Must be a whole number from 1.");
    } else {
      page.page = std::min<std::int64_t>(*v, 1'000'000'000);
    }
  }
  if (auto p = req.QueryParam("page_size")) {
    auto v = PositiveInt(*p);
    if (!v) {
      errors["page_size"].push_back("Must be a whole number from 1.");
    } else {
      page.page_size = std::min(*v, kMaxPageSize);
    }
  }
  ThrowIfErrors(errors);
  return page;
}

std::optional<std::int64_t> RequestContext::IntQuery(const char* name) const {
  auto p = req.QueryParam(name);
  if (!p || p->empty()) return std::nullopt;
  auto v = PositiveInt(*p);
  if (!v) throw Error::Field(name, "Must be a positive whole number.");
  return v;
}

void Router::Add(std::string method, std::string pattern, RouteInfo info, Handler handler) {
  Route r;
  r.method = std::move(method);
  r.segments = Split(pattern);
  r.pattern = std::move(pattern);
  r.info = std::move(info);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match match;
  auto segments = Split(path);
  // A literal segment beats a parameter ("/repairs/export.csv" before "/repairs/{id}"), whatever the order
  // of registration: routes whose path matches with more literal segments are tried first.
  auto literals = [](const Route& r) {
    std::size_t n = 0;
    for (const auto& s : r.segments) n += s.size() > 2 && s.front() == '{' && s.back() == '}' ? 0 : 1;
    return n;
  };
  // Literal counts computed once per candidate (not in every comparison), params filled only for the
  // route that matches (issue 16: this ran for every request).
  std::vector<std::pair<std::size_t, const Route*>> ordered;
  for (const auto& route : routes_) {
    if (route.segments.size() == segments.size()) ordered.emplace_back(literals(route), &route);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [count, route_ptr] : ordered) {
    const Route& route = *route_ptr;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& s = route.segments[i];
      if (!(s.size() > 2 && s.front() == '{' && s.back() == '}')) ok = s == segments[i];
    }
    if (!ok) continue;
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& s = route.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') params[s.substr(1, s.size() - 2)] = segments[i];
    }
    bool method_ok = route.method == method || (method == "HEAD" && route.method == "GET");
    if (method_ok) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
    match.path_known = true;
    match.allow += (match.allow.empty() ? "" : ", ") + route.method;
  }
  return match;
}

}  // namespace portico::http
