#include "cli/runtime.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "http/app.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/static_files.h"
#include "storage/repairs_repository.h"

namespace portico::cli {
namespace fs = std::filesystem;

services::EventAudience Audience(const storage::EventRecord& e) {
  return {e.tenant, e.customer, e.internal, e.user, e.all_customers};
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
      figures(deps),
      blobs(storage::OpenBlobStore(config.blobs)),
      attachments(deps, *blobs),
      events(deps, broker),
      notifications(deps),
      notifier(deps, [this](const storage::EventRecord& e) { events.Publish(Audience(e), e.id); },
               !config.smtp_host.empty()),
      mailer(deps),
      faq(deps),
      announcements(deps),
      announcer(announcements),
      change_orders(deps),
      requests(deps, change_orders),
      exports(deps),
      invoices(deps, *blobs),
      webhooks(deps),
      webhook_worker(deps, [this](const storage::EventRecord& e) { events.Publish(Audience(e), e.id); }),
      channels(deps, attachments),
      messages(deps),
      onboarding(deps, auth),
      shop(deps),
      appointments(deps),
      reminders(appointments),
      board(deps, repairs),
      parts(deps) {
  schema_version = db->Migrate();
  tenants.SetBlobStore(*blobs);
  // A committed event wakes the live streams of its audience (once the in-memory ring of recent events
  // holds it: EventService::Publish), the notification worker and the webhook worker (they read the
  // event log). The ring is brought up to a committed event of this instance at once, on every database:
  // the client that wrote it reads it in its very next request. With several instances on PostgreSQL the
  // listener wakes the workers for every instance's events, this one's too, and the streams for the other
  // instances' events (EventService::PublishHeard skips the ones published here).
  auto wake_all = [this](const storage::EventRecord& e) {
    events.Publish(Audience(e), e.id);
    if (wake_through_database) return;  // the listener wakes the workers
    if (!storage::EventWakesWorkers(e.type)) return;
    notifier.Wake();
    webhook_worker.Wake();
  };
  repairs.SetPublisher(wake_all);
  webhooks.SetPublisher(wake_all);  // issue 14: test sends
  // auth.changed events: the user's live streams (on every instance, through the event log) re-check.
  auth.SetPublisher(wake_all);
  users.SetPublisher(wake_all);
  customers.SetPublisher(wake_all);
  announcements.SetPublisher(wake_all);
  attachments.SetPublisher(wake_all);
  change_orders.SetPublisher(wake_all);  // issue 10
  requests.SetPublisher(wake_all);
  messages.SetPublisher(wake_all);  // issue 11: message.* and notification.created
  messages.SetAttachments(&attachments);
  onboarding.SetPublisher(wake_all);  // issue 13
  appointments.SetPublisher(wake_all);  // issue 12
  board.SetPublisher(wake_all);
  parts.SetPublisher(wake_all);
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

/// A notification of storage's insert_event.
struct EventNotice {
  services::EventAudience audience;
  std::int64_t id = 0;
  bool wakes_workers = true;  // storage::EventWakesWorkers of its type
};

/// Parses "id,tenant,customer,internal,user,all_customers,wakes_workers" (empty for NULL). The last field
/// may be missing (an instance of an older version sent it): the workers are then woken.
std::optional<EventNotice> ParseEventNotice(const std::string& payload) {
  std::vector<std::string> f;
  std::size_t start = 0;
  for (;;) {
    auto comma = payload.find(',', start);
    f.push_back(payload.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if ((f.size() != 6 && f.size() != 7) || f[0].empty() || f[1].empty()) return std::nullopt;
  try {
    services::EventAudience a{TenantId(std::stoll(f[1])), std::nullopt, f[3] == "1", std::nullopt};
    if (!f[2].empty()) a.customer = CustomerId(std::stoll(f[2]));
    if (!f[4].empty()) a.user = UserId(std::stoll(f[4]));
    a.all_customers = f[5] == "1";
    return EventNotice{a, std::stoll(f[0]), f.size() == 6 || f[6] != "0"};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

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
  http::RegisterFigureRoutes(app, rt.figures);
  http::RegisterEventRoutes(app, rt.events);
  http::RegisterNotificationRoutes(app, rt.notifications);
  http::RegisterSupportRoutes(app, {rt.faq, rt.announcements});
  http::RegisterAttachmentRoutes(app, rt.attachments);
  http::RegisterRequestRoutes(app, {rt.requests, rt.change_orders});
  http::RegisterExportRoutes(app, rt.exports, rt.figures, rt.invoices);  // issue 14
  http::RegisterWebhookRoutes(app, rt.webhooks);              // issue 14
  http::RegisterConversationRoutes(app, {rt.channels, rt.messages});
  http::RegisterOnboardingRoutes(app, rt.onboarding);
  app.set_host_resolver([&rt](const std::string& host) { return rt.onboarding.TenantSlugForHost(host); });
  http::RegisterShopRoutes(app, {rt.shop, rt.appointments, rt.board});
  http::RegisterPartsRoutes(app, rt.parts);
  app.set_upload_dir(rt.attachments.TempDir());
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
  // Several instances on one PostgreSQL database: events committed by any of them wake this one's
  // subscribers (the ring of recent events is then filled from the events table, after the newest id it
  // holds, so a lost notification loses nothing); after a lost connection, the ring is filled and
  // everyone is woken. No listener on SQLite (one process).
  rt.db->WatchIdentity();  // the actor, pricing and stream-access caches (storage::IdentityEpoch)
  auto listener = rt.db->Listen(
      "portico_events",
      [&rt](const std::string& payload) {
        auto notice = ParseEventNotice(payload);
        if (notice) rt.events.PublishHeard(notice->audience, notice->id);
        if (notice && !notice->wakes_workers) return;
        rt.notifier.Wake();
        rt.webhook_worker.Wake();  // issue 14
      },
      [&rt] {
        rt.events.WakeAll();
        rt.notifier.Wake();
        rt.webhook_worker.Wake();  // issue 14
      });
  rt.wake_through_database = listener != nullptr;
  rt.notifier.Start();
  if (!rt.config.smtp_host.empty()) rt.mailer.Start();
  rt.announcer.Start();
  rt.webhook_worker.Start();  // issue 14
  rt.reminders.Start();       // issue 12
  server.Run();
  rt.reminders.Stop();
  rt.webhook_worker.Stop();
  rt.announcer.Stop();
  rt.wake_through_database = false;
  listener.reset();
  rt.mailer.Stop();
  rt.notifier.Stop();
  return 0;
}

}  // namespace portico::cli
