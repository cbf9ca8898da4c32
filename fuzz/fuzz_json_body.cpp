// The JSON body readers: the strict parse (duplicate keys, depth, UTF-8) and every route's DTO reader.
// The first line names a route that takes a body ("PATCH /api/v1/repairs/{id}", as in the OpenAPI
// document, so the seeds keep their route as routes are added; a line that names none picks one by its
// hash); the rest is its body, sent as the fixture's admin (path ids are the fixture's customer and
// repair), straight into App::Handle. Seeds: fuzz/make_seeds.mjs, from the API tests' requests.
// PORTICO_FUZZ_PRINT=1 prints the route and the answer of each input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "fixture.h"
#include "http/json_io.h"
#include "http/strict_json.h"

namespace {

std::string PathOf(const portico::http::Route& route, const portico::fuzz::Process& p) {
  std::string path;
  for (const auto& seg : route.segments) {
    path += '/';
    if (seg == "{slug}") {
      path += "fuzz";
    } else if (seg == "{id}" && route.pattern.starts_with("/api/v1/customers")) {
      path += std::to_string(p.customer_id);
    } else if (seg == "{id}" && route.pattern.starts_with("/api/v1/repairs")) {
      path += std::to_string(p.repair_id);
    } else if (seg.size() > 2 && seg.front() == '{') {
      path += "1";
    } else {
      path += seg;
    }
  }
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& p = portico::fuzz::GetProcess();
  static const std::vector<const portico::http::Route*> routes = [&p] {
    std::vector<const portico::http::Route*> out;
    for (const auto& r : p.app->router().routes()) {
      if (r.info.body) out.push_back(&r);
    }
    return out;
  }();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto eol = input.find('\n');
  const std::string_view line = eol == std::string_view::npos ? std::string_view() : input.substr(0, eol);
  std::string body(eol == std::string_view::npos ? input : input.substr(eol + 1));
  const portico::http::Route* picked = nullptr;
  for (const auto* r : routes) {
    if (line.size() == r->method.size() + 1 + r->pattern.size() && line.starts_with(r->method) &&
        line[r->method.size()] == ' ' && line.ends_with(r->pattern)) {
      picked = r;
      break;
    }
  }
  if (!picked) picked = routes[std::hash<std::string_view>{}(line) % routes.size()];
  portico::http::FindDuplicateKey(body);
  try {
    portico::http::ParseJsonObject(body);
  } catch (const portico::Error&) {
  }
  const auto& route = *picked;
  portico::http::Request req;
  req.method = route.method;
  req.path = PathOf(route, p);
  req.target = req.path;
  req.headers["host"] = "fuzz";
  req.headers["content-type"] = "application/json";
  req.headers["cookie"] = "portico_session=" + p.session;
  req.headers["x-csrf-token"] = p.csrf;
  req.headers["content-length"] = std::to_string(body.size());
  req.remote_address = "127.0.0.1";
  req.body = std::move(body);
  const auto res = p.app->Handle(req);
  static const bool print = std::getenv("PORTICO_FUZZ_PRINT") != nullptr;  // which route, which answer
  if (print) {
    std::fprintf(stderr, "%s %s -> %d %s\n", route.method.c_str(), route.pattern.c_str(), res.status,
                 res.body.substr(0, 200).c_str());
  }
  return 0;
}
