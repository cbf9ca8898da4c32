#include "services/webhook_worker.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "core/clock.h"
#include "domain/webhook_rules.h"
#include "services/webhooks.h"
#include "storage/notifications_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;

namespace {

constexpr std::int64_t kFanOutBatch = 500;
constexpr std::int64_t kDueBatch = 100;

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

bool Subscribed(const storage::WebhookEndpoint& e, const std::string& type) {
  if (type.rfind("webhook.", 0) == 0) return false;  // test sends go to their endpoint only
  // Only the listed types ever leave ("*" = all of them): user-addressed events (auth.changed,
  // notification.created) and conversations (message.*, private to a channel's readers) never do.
  const auto& listed = WebhookEventTypes();
  if (std::none_of(listed.begin(), listed.end(), [&](const auto& k) { return type == k.type; })) return false;
  for (const auto& t : e.events) {
    if (t == "*" || t == type) return true;
  }
  return false;
}

double Jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

WebhookAnswer PostWebhook(const std::string& url, const std::string& secret, std::int64_t event_id,
                          const std::string& payload, UnixSeconds timestamp, std::int64_t timeout_seconds,
                          bool allow_private) {
  WebhookAnswer answer;
  auto target = domain::ParseWebhookUrl(url);
  if (!target || (!target->https && !allow_private)) {
    answer.error = "The URL is not an allowed webhook target.";
    return answer;
  }
  auto resolved = ResolveWebhookHost(target->host, target->port, allow_private);
  if (!resolved.refusal.empty()) {
    answer.error = resolved.refusal;
    return answer;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  const std::string address = resolved.addresses.front();
  const bool v6 = address.find(':') != std::string::npos;
  // Pin the checked address: "host:port:address" ("[v6]" for IPv6 addresses).
  curl_slist* pin = curl_slist_append(
      nullptr, (target->host + ":" + std::to_string(target->port) + ":" + (v6 ? "[" + address + "]" : address)).c_str());
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "User-Agent: Portico-Webhooks/1");
  headers = curl_slist_append(headers, ("Portico-Event-Id: " + std::to_string(event_id)).c_str());
  headers = curl_slist_append(headers, ("Portico-Timestamp: " + std::to_string(timestamp)).c_str());
  headers = curl_slist_append(
      headers, ("Portico-Signature: " + domain::WebhookSignature(secret, timestamp, payload)).c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_RESOLVE, pin);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(std::max<std::int64_t>(1, timeout_seconds)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  } else {
    answer.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_slist_free_all(pin);
  curl_easy_cleanup(curl);
  return answer;
}

WebhookWorker::WebhookWorker(Deps deps, EventPublisher publish) : deps_(deps), publish_(std::move(publish)) {}

WebhookWorker::~WebhookWorker() { Stop(); }

void WebhookWorker::Start() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
  for (int i = 0; i < kSenders; ++i) senders_.emplace_back([this] { SenderLoop(); });
}

void WebhookWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& s : senders_) {
    if (s.joinable()) s.join();
  }
  senders_.clear();
}

void WebhookWorker::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void WebhookWorker::Loop() {
  for (;;) {
    bool woken = false, sent = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken = woken_;
      sent = sender_done_;
      woken_ = sender_done_ = false;
    }
    try {
      // A wake-up for new events reads the due deliveries only when some are new (queued by FanOut, or a
      // test send WebhookService queued): retries fall due on the periodic round (backoff is seconds at
      // least), and a sender that finished asks for the next.
      const FanOutResult fan_out = FanOut();
      const bool queued = fan_out.queued > 0 || fan_out.saw_test_send;
      if (queued || sent || !woken) Dispatch();
    } catch (const std::exception& e) {
      spdlog::warn("webhook worker: {}", e.what());
    }
  }
}

WebhookWorker::FanOutResult WebhookWorker::FanOut() {
  const auto now_steady = std::chrono::steady_clock::now();
  if (!endpoints_read_ || now_steady - *endpoints_read_ >= kEndpointsFresh) {
    auto tx = deps_.db.ReadEach();
    endpoints_ = storage::ActiveWebhookEndpoints(tx->conn());
    endpoints_read_ = now_steady;
  }
  FanOutResult result;
  for (auto& endpoint : endpoints_) {
    if (!endpoint.active) continue;
    for (;;) {
      {
        auto tx = deps_.db.ReadEach();
        if (storage::TenantEventsAfter(tx->conn(), endpoint.tenant, endpoint.event_cursor, 1).empty()) break;
      }
      auto tx = deps_.db.Write();
      // The endpoint as it is now (the list above may be a second old; another instance may have moved the
      // cursor): a deleted or deactivated one is skipped until the list is read again.
      auto current = storage::FindWebhookEndpoint(tx->conn(), endpoint.tenant, endpoint.id);
      if (!current || !current->active) {
        endpoint.active = false;
        break;
      }
      std::int64_t cursor = current->event_cursor;
      auto events = storage::TenantEventsAfter(tx->conn(), endpoint.tenant, cursor, kFanOutBatch);
      const UnixSeconds now = deps_.clock.Now();
      for (const auto& e : events) {
        cursor = e.id;
        if (e.type.starts_with("webhook.")) result.saw_test_send = true;  // queued by WebhookService
        if (!Subscribed(*current, e.type)) continue;
        storage::WebhookDelivery d;
        d.endpoint_id = endpoint.id;
        d.tenant = endpoint.tenant;
        d.event_id = e.id;
        d.event_type = e.type;
        d.payload = WebhookPayload(e);
        d.created_at = now;
        if (storage::InsertWebhookDelivery(tx->conn(), d)) ++result.queued;
      }
      if (!events.empty()) storage::SetWebhookCursor(tx->conn(), endpoint.id, cursor);
      tx->Commit();
      endpoint.event_cursor = cursor;
      if (static_cast<std::int64_t>(events.size()) < kFanOutBatch) break;
    }
  }
  return result;
}

void WebhookWorker::Dispatch() {
  const UnixSeconds now = deps_.clock.Now();
  std::vector<storage::WebhookDelivery> due;
  {
    auto tx = deps_.db.ReadEach();
    due = storage::DueWebhookDeliveries(tx->conn(), now, kDueBatch);
  }
  if (due.empty()) return;
  // The lease lasts past the longest answer time, so a crash mid-send retries later instead of losing it.
  const UnixSeconds until = now + deps_.config.webhooks_timeout_seconds + 30;
  for (auto& d : due) {
    {
      std::lock_guard lock(mutex_);
      if (in_flight_.contains(d.endpoint_id)) continue;
    }
    {
      auto tx = deps_.db.Write();
      if (!storage::LeaseWebhookDelivery(tx->conn(), d.id, *d.next_attempt_at, until)) continue;
      tx->Commit();
    }
    {
      std::lock_guard lock(mutex_);
      in_flight_.insert(d.endpoint_id);
      queue_.push_back(std::move(d));
    }
    work_cv_.notify_one();
  }
}

void WebhookWorker::SenderLoop() {
  for (;;) {
    storage::WebhookDelivery d;
    {
      std::unique_lock lock(mutex_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      d = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      Send(d);
    } catch (const std::exception& e) {
      spdlog::warn("webhook delivery {}: {}", d.id, e.what());
    }
    {
      std::lock_guard lock(mutex_);
      in_flight_.erase(d.endpoint_id);
      sender_done_ = true;  // the endpoint's next delivery may go now
      woken_ = true;
    }
    cv_.notify_all();
  }
}

void WebhookWorker::Send(const storage::WebhookDelivery& queued) {
  std::optional<storage::WebhookEndpoint> endpoint;
  {
    auto tx = deps_.db.Read();
    endpoint = storage::FindWebhookEndpoint(tx->conn(), queued.tenant, queued.endpoint_id);
  }
  if (!endpoint || !endpoint->active) return;  // the lease runs out; it is sent if the endpoint is back
  const UnixSeconds sent_at = deps_.clock.Now();
  const auto answer = PostWebhook(endpoint->url, endpoint->secret, queued.event_id, queued.payload, sent_at,
                                  deps_.config.webhooks_timeout_seconds, deps_.config.webhooks_allow_private);
  const UnixSeconds now = deps_.clock.Now();
  storage::WebhookDelivery d = queued;
  d.attempts += 1;
  d.last_status_code = answer.status > 0 ? std::optional<std::int64_t>(answer.status) : std::nullopt;
  if (!d.first_attempt_at) d.first_attempt_at = sent_at;
  const bool ok = answer.error.empty() && answer.status >= 200 && answer.status < 300;
  std::vector<storage::EventRecord> published;
  auto tx = deps_.db.Write();
  auto current = storage::FindWebhookEndpoint(tx->conn(), queued.tenant, queued.endpoint_id);
  if (ok) {
    d.status = "delivered";
    d.delivered_at = now;
    d.next_attempt_at.reset();
    d.last_error.reset();
    if (current && current->failing_since) {
      current->failing_since.reset();
      current->updated_at = now;
      storage::UpdateWebhookEndpoint(tx->conn(), *current);
    }
  } else {
    d.last_error = answer.error.empty() ? "HTTP " + std::to_string(answer.status) : answer.error;
    const UnixSeconds next =
        now + domain::WebhookRetryDelaySeconds(static_cast<int>(d.attempts), Jitter(),
                                               deps_.config.webhooks_retry_base_seconds);
    if (domain::WebhookMayRetry(*d.first_attempt_at, next, deps_.config.webhooks_retry_window_seconds)) {
      d.status = "pending";
      d.next_attempt_at = next;
    } else {
      d.status = "failed";
      d.next_attempt_at.reset();
    }
    if (current) {
      if (!current->failing_since) current->failing_since = sent_at;
      if (current->active &&
          domain::WebhookEndpointSpent(*current->failing_since, now, d.status == "failed", *d.first_attempt_at,
                                       deps_.config.webhooks_retry_window_seconds)) {
        // A day of failures: disabled, and the tenant's admins told (in-app notification + live event).
        current->active = false;
        current->disabled_at = now;
        storage::EventRecord ev;
        ev.tenant = current->tenant;
        ev.type = "webhook.disabled";
        ev.internal = true;
        ev.data = json::serialize(json::object{{"webhook_id", current->id}, {"url", current->url}});
        ev.occurred_at = now;
        ev.id = storage::InsertEvent(tx->conn(), ev);
        published.push_back(ev);
        for (auto admin : storage::UsersWithRoles(tx->conn(), current->tenant, {"admin"})) {
          storage::NotificationRecord n;
          n.tenant = current->tenant;
          n.user = admin;
          n.event_id = ev.id;
          n.type = "webhook_disabled";
          n.title = "Webhook to " + current->url.substr(0, 200) + " disabled after a day of failed deliveries";
          n.created_at = now;
          auto nid = storage::InsertNotification(tx->conn(), n, false);
          if (!nid) continue;
          storage::EventRecord note;
          note.tenant = current->tenant;
          note.type = "notification.created";
          note.user = admin;
          note.data = json::serialize(json::object{{"notification_id", *nid}, {"type", n.type}, {"title", n.title}});
          note.occurred_at = now;
          note.id = storage::InsertEvent(tx->conn(), note);
          published.push_back(note);
        }
      }
      current->updated_at = now;
      storage::UpdateWebhookEndpoint(tx->conn(), *current);
    }
  }
  storage::RecordWebhookAttempt(tx->conn(), d, now);
  tx->Commit();
  if (publish_) {
    for (const auto& ev : published) publish_(ev);
  }
}

}  // namespace portico::services
