#include "fixture.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/log.h"
#include "http/request_bytes.h"

namespace portico::fuzz {

std::string ReplaceAll(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

namespace {

/// One request through the pipeline; returns the response body (after the blank line).
std::string Call(Process& p, const std::string& method, const std::string& path, const std::string& body) {
  std::string raw = method + " " + path + " HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n";
  if (!p.session.empty()) raw += "Cookie: portico_session=" + p.session + "\r\nX-CSRF-Token: " + p.csrf + "\r\n";
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  std::string out = http::HandleRequestBytes(*p.app, p.config, raw);
  if (path == "/api/v1/auth/login") {
    auto c = out.find("portico_session=");
    if (c == std::string::npos) throw std::runtime_error("fuzz fixture: login failed: " + out);
    c += 16;
    p.session = out.substr(c, out.find(';', c) - c);
  }
  auto blank = out.find("\r\n\r\n");
  return blank == std::string::npos ? "" : out.substr(blank + 4);
}

std::unique_ptr<Process> Build() {
  auto p = std::make_unique<Process>();
  InitLogging("off");
  const char* tmp = std::getenv("TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / ("portico-fuzz-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  p->config.database = "sqlite://" + (dir / "fuzz.db").string();
  p->config.database_synchronous = "normal";  // nothing to keep: speed
  p->config.password_hash = "min";
  p->config.blobs = "file://" + (dir / "blobs").string();  // uploads (fuzz_http) stay in $TMPDIR
  p->config.log_level = "off";
  p->rt = std::make_unique<cli::Runtime>(p->config);
  p->web = std::make_unique<http::StaticFiles>((dir / "web").string());
  p->app = std::make_unique<http::App>(p->rt->config, p->rt->auth, p->metrics, *p->web);
  cli::RegisterRoutes(*p->app, *p->rt);
  p->rt->tenants.Create("fuzz", "Fuzz Glass");
  p->rt->users.CreateInTenant("fuzz", {"admin@fuzz.test", "Admin", "admin", "fuzz-password-1"});
  p->customer_id = p->rt->customers.CreateInTenant("fuzz", {"Fuzz Fleet", "", "", std::nullopt}).id.value;
  auto login = boost::json::parse(
      Call(*p, "POST", "/api/v1/auth/login", R"({"tenant":"fuzz","email":"admin@fuzz.test","password":"fuzz-password-1"})"));
  p->csrf = std::string(login.at("csrf_token").as_string());
  auto repair = boost::json::parse(Call(*p, "POST", "/api/v1/repairs",
                                        R"({"customer_id":)" + std::to_string(p->customer_id) +
                                            R"(,"unit_number":"F-1","description":"Chip"})"));
  p->repair_id = repair.at("id").as_int64();
  return p;
}

}  // namespace

Process& GetProcess() {
  static std::unique_ptr<Process> p = Build();
  return *p;
}

}  // namespace portico::fuzz
