#include <boost/json.hpp>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "policy/policy.h"

namespace portico::http {
namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxWaitSeconds = 30;

json::value EventJson(const storage::EventRecord& e) {
  json::value data;
  json::error_code ec;
  data = json::parse(e.data, ec);
  if (ec) data = json::object{};
  return json::object{{"id", e.id},
                      {"type", e.type},
                      {"occurred_at", FormatTimestamp(e.occurred_at)},
                      {"repair_id", e.repair ? json::value(e.repair->value) : json::value(nullptr)},
                      {"data", std::move(data)}};
}

/// One page of events for a long-poll. A credential that ended answers 401; a changed access answers
/// the (empty) page at once, so that the client's next poll runs with what it may see now.
Response EventsPage(services::EventService& events, const policy::Actor& actor, const services::Credential& credential,
                    std::int64_t after) {
  services::StreamEnd ended = services::StreamEnd::kNone;
  auto list = events.After(actor, credential, after, services::EventService::kMaxBatch, ended);
  if (ended == services::StreamEnd::kCredentialEnded) {
    throw Error(ErrorCode::kUnauthenticated, "Your session ended; log in again.");
  }
  json::array a;
  std::int64_t last = after;
  for (const auto& e : list) {
    a.push_back(EventJson(e));
    last = e.id;
  }
  Response res = JsonResponse(200, json::object{{"events", std::move(a)}, {"last_id", last}});
  res.final = ended == services::StreamEnd::kAccessChanged;
  return res;
}

/// Issue 16: an event's frame is the same for every stream that may see it, so a fan-out to 1,000 streams
/// serializes it once. One cache per registration (per database: ids are unique within one); events never
/// change. Bounded: at most kMaxFrames frames (emptied when full).
class FrameCache {
 public:
  /// The text frame of `e`.
  std::string Get(const storage::EventRecord& e) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = frames_.find(e.id); it != frames_.end()) return it->second;
    }
    auto frame = json::serialize(EventJson(e));
    std::lock_guard lock(mutex_);
    if (frames_.size() >= kMaxFrames) frames_.clear();
    frames_.emplace(e.id, frame);
    return frame;
  }

 private:
  static constexpr std::size_t kMaxFrames = 1024;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::string> frames_;
};

/// The WebSocket frames of `list` (advancing `last`); `last` becomes WebSocketSession::kCredentialEnded
/// or kAccessChanged when the stream must end.
std::vector<std::string> Frames(FrameCache& cache, const std::vector<storage::EventRecord>& list,
                                services::StreamEnd ended, std::int64_t& last) {
  std::vector<std::string> frames;
  frames.reserve(list.size());
  for (const auto& e : list) {
    frames.push_back(cache.Get(e));
    last = e.id;
  }
  if (ended == services::StreamEnd::kCredentialEnded) last = WebSocketSession::kCredentialEnded;
  if (ended == services::StreamEnd::kAccessChanged) last = WebSocketSession::kAccessChanged;
  return frames;
}

}  // namespace

void RegisterEventRoutes(App& app, services::EventService& events) {
  Router& r = app.router();
  auto frames = std::make_shared<FrameCache>();
  r.Add("GET", "/api/v1/events",
        {.operation_id = "pollEvents", .summary = "Long-poll: events after `after` that I may see, waiting up to `wait` seconds (<= 30) for one. "
                    "Without `after`: no events and the newest id to start from.",
         .tag = "live", .response_schema = "EventPage", .query = {"after", "wait"}},
        [&events](RequestContext& ctx) {
          const auto actor = ctx.actor();
          auto after_param = ctx.req.QueryParam("after");
          if (!after_param || after_param->empty()) {
            return JsonResponse(200, json::object{{"events", json::array{}}, {"last_id", events.LastId(actor)}});
          }
          std::int64_t after = 0;
          if (*after_param != "0") {
            auto v = ctx.IntQuery("after");
            after = v.value_or(0);
          }
          std::int64_t wait = 0;
          if (auto w = ctx.req.QueryParam("wait"); w && !w->empty() && *w != "0") {
            auto v = ctx.IntQuery("wait");
            if (!v || *v > kMaxWaitSeconds) throw Error::Field("wait", "0 to 30 seconds.");
            wait = *v;
          }
          const auto credential = ctx.auth->credential();
          Response res = EventsPage(events, actor, credential, after);
          if (wait == 0 || res.body.find("\"events\":[]") == std::string::npos) return res;
          auto poll = std::make_shared<LongPoll>();
          poll->tenant = actor.tenant.value;
          poll->user = actor.user.value;
          const auto scope = policy::ScopeOf(actor);
          poll->all_of_tenant = scope.all_of_tenant;
          for (auto c : scope.customers) poll->customers.push_back(c.value);
          poll->deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
          // Runs after the handler returned: errors become problem responses here (a session that ended
          // while the poll waited answers 401), with the security headers the pipeline adds to any answer.
          poll->retry = [&events, actor, credential, after, request_id = ctx.req.request_id]() {
            try {
              return EventsPage(events, actor, credential, after);
            } catch (const Error& e) {
              return ProblemResponse(e, request_id);
            }
          };
          res.long_poll = poll;
          return res;
        });
  r.Add("GET", "/api/v1/events/ws",
        {.operation_id = "streamEvents", .summary = "WebSocket: pushes the events I may see after `after`, one JSON object per text frame",
         .tag = "live", .status = 101, .query = {"after"}},
        [&events, frames](RequestContext& ctx) {
          const auto actor = ctx.actor();
          auto upgrade = ctx.req.Header("upgrade");
          if (!upgrade || (upgrade->find("websocket") == std::string::npos &&
                           upgrade->find("WebSocket") == std::string::npos)) {
            throw Error(ErrorCode::kInvalidInput, "This endpoint needs a WebSocket upgrade.");
          }
          std::int64_t after = 0;
          if (auto a = ctx.req.QueryParam("after"); a && !a->empty() && *a != "0") after = ctx.IntQuery("after").value_or(0);
          if (!ctx.req.QueryParam("after")) after = events.LastId(actor);
          auto ws = std::make_shared<WebSocketSession>();
          ws->tenant = actor.tenant.value;
          ws->user = actor.user.value;
          const auto scope = policy::ScopeOf(actor);
          ws->all_of_tenant = scope.all_of_tenant;
          for (auto c : scope.customers) ws->customers.push_back(c.value);
          ws->after = after;
          ws->check_origin = ctx.auth->kind == services::AuthKind::kSession;
          // One copy of who the stream is for, shared by its three functions (an idle stream's memory).
          struct Who {
            policy::Actor actor;
            services::Credential credential;
          };
          auto who = std::make_shared<const Who>(Who{actor, ctx.auth->credential()});
          ws->fetch = [&events, frames, who](std::int64_t& last) {
            services::StreamEnd ended = services::StreamEnd::kNone;
            auto list = events.After(who->actor, who->credential, last, services::EventService::kMaxBatch, ended);
            return Frames(*frames, list, ended, last);
          };
          ws->fetch_now = [&events, frames, who](std::int64_t& last) -> std::optional<std::vector<std::string>> {
            services::StreamEnd ended = services::StreamEnd::kNone;
            auto list =
                events.AfterInMemory(who->actor, who->credential, last, services::EventService::kMaxBatch, ended);
            if (!list) return std::nullopt;
            return Frames(*frames, *list, ended, last);
          };
          ws->backlog = [&events, who](std::int64_t last) {
            return events.Backlog(who->actor, who->credential, last, 5000);
          };
          Response res;
          res.status = 101;
          res.websocket = ws;
          return res;
        });
}

}  // namespace portico::http

namespace portico::http {

namespace {
json::value NotificationJson(const storage::NotificationRecord& n) {
  return json::object{{"id", n.id},
                      {"type", n.type},
                      {"title", n.title},
                      {"body", n.body},
                      {"repair_id", n.repair ? json::value(n.repair->value) : json::value(nullptr)},
                      {"channel_id", n.channel ? json::value(*n.channel) : json::value(nullptr)},
                      {"event_id", n.event_id},
                      {"read", n.read_at.has_value()},
                      {"read_at", n.read_at ? json::value(FormatTimestamp(*n.read_at)) : json::value(nullptr)},
                      {"created_at", FormatTimestamp(n.created_at)}};
}
}  // namespace

void RegisterNotificationRoutes(App& app, services::NotificationService& notifications) {
  Router& r = app.router();
  r.Add("GET", "/api/v1/notifications",
        {.operation_id = "listNotifications", .summary = "My notifications, newest first", .tag = "live", .response_schema = "Notification",
         .paginated = true, .query = {"unread", "page", "page_size"}},
        [&notifications](RequestContext& ctx) {
          auto page = ctx.Page();
          auto unread = ctx.req.QueryParam("unread");
          bool only_unread = unread && (*unread == "true" || *unread == "1");
          if (unread && !only_unread && *unread != "false" && *unread != "0" && !unread->empty()) {
            throw Error::Field("unread", "true or false.");
          }
          return JsonResponse(200, PageJson(ctx.req, page, notifications.List(ctx.actor(), only_unread, page),
                                            NotificationJson));
        });
  r.Add("GET", "/api/v1/notifications/unread_count",
        {.operation_id = "countUnreadNotifications", .summary = "How many of my notifications are unread", .tag = "live", .response_schema = "UnreadCount"},
        [&notifications](RequestContext& ctx) {
          return JsonResponse(200, json::object{{"unread", notifications.UnreadCount(ctx.actor())}});
        });
  r.Add("POST", "/api/v1/notifications/read_all",
        {.operation_id = "markAllNotificationsRead", .summary = "Mark all my notifications read", .tag = "live", .response_schema = "UnreadCount"},
        [&notifications](RequestContext& ctx) {
          notifications.MarkAllRead(ctx.actor());
          return JsonResponse(200, json::object{{"unread", 0}});
        });
  r.Add("POST", "/api/v1/notifications/{id}/read",
        {.operation_id = "markNotificationRead", .summary = "Mark one of my notifications read", .tag = "live", .response_schema = "Notification"},
        [&notifications](RequestContext& ctx) {
          return JsonResponse(200, NotificationJson(notifications.MarkRead(ctx.actor(), ctx.IdParam("id"))));
        });
}

}  // namespace portico::http
