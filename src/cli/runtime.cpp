#include "cli/runtime.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

#include "http/app.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/static_files.h"

namespace portico::cli {
namespace fs = std::filesystem;

services::EventAudience Audience(const storage::EventRecord& e) {
  return {e.tenant, e.customer, e.internal, e.user};
}

Runtime::Runtime(Config c)
    : config(std::move(c)),
      db(storage::OpenDatabase(config.database, static_cast<int>(config.worker_threads) + 2,
                               {.synchronous = config.database_synchronous == "normal" ? storage::Synchronous::kNormal
                                                                                       : storage::Synchronous::kFull})),
      deps{*db, clock, config},
      auth(deps),
      users(deps, auth),
      customers(deps),
      tenants(deps),
      repairs(deps),
      events(deps),
      notifications(deps),
      notifier(deps, [this](const storage::EventRecord& e) { broker.Publish(Audience(e), e.id); },
               !config.smtp_host.empty()),
      mailer(deps) {
  schema_version = db->Migrate();
  repairs.SetPublisher([this](const storage::EventRecord& e) {
    broker.Publish(Audience(e), e.id);
    notifier.Wake();
  });
}

namespace {

/// CLI.md: web/build under the working directory, else next to the binary, else the installed location.
std::string FindWebDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (fs::is_directory("web/build", ec)) return "web/build";
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    fs::path exe(std::string(buf, static_cast<std::size_t>(n)));
    for (const auto& candidate : {exe.parent_path().parent_path() / "web" / "build",
                                  exe.parent_path().parent_path() / "share" / "portico" / "web"}) {
      if (fs::is_directory(candidate, ec)) return candidate.string();
    }
  }
  return "web/build";
}

}  // namespace

namespace {
/// Each connection is a file descriptor: raise the soft limit to the hard one (10k WebSockets need it).
void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) spdlog::info("open files limit: {}", static_cast<long long>(lim.rlim_cur));
}
}  // namespace

void RegisterRoutes(http::App& app, Runtime& rt) {
  http::RegisterOpsRoutes(app, *rt.db, rt.config);
  http::RegisterAccountRoutes(app, {rt.auth, rt.users, rt.customers, rt.tenants});
  http::RegisterRepairRoutes(app, rt.repairs);
  http::RegisterEventRoutes(app, rt.events);
  http::RegisterNotificationRoutes(app, rt.notifications);
}

int Serve(Runtime& rt) {
  RaiseFileLimit();
  http::Metrics metrics;
  http::StaticFiles web(FindWebDir(rt.config.web_dir));
  http::App app(rt.config, rt.auth, metrics, web);
  RegisterRoutes(app, rt);
  http::Server server(rt.config, app, rt.broker);
  metrics.AddGauge("portico_open_connections", "Open HTTP connections.",
                   [&server] { return static_cast<double>(server.open_connections()); });
  metrics.AddGauge("portico_websocket_connections", "Open WebSocket connections.",
                   [&server] { return static_cast<double>(server.open_websockets()); });
  metrics.AddGauge("portico_event_subscribers", "Clients waiting for live updates (long-poll and WebSocket).",
                   [&rt] { return static_cast<double>(rt.broker.subscribers()); });
  metrics.AddGauge("portico_db_connections_in_use", "Database connections in use.",
                   [&rt] { return static_cast<double>(rt.db->PoolUse().first); });
  metrics.AddGauge("portico_db_connections_open", "Database connections open.",
                   [&rt] { return static_cast<double>(rt.db->PoolUse().second); });
  rt.notifier.Start();
  if (!rt.config.smtp_host.empty()) rt.mailer.Start();
  server.Run();
  rt.mailer.Stop();
  rt.notifier.Stop();
  return 0;
}

}  // namespace portico::cli
