// The webhook delivery worker (issue 14; API.md, "Webhooks"). Two steps per round, like the notification
// worker: (1) fan-out: for each active endpoint, the tenant's events after the endpoint's cursor are queued
// as deliveries (the body fixed then) and the cursor advances in the same transaction, so a restart neither
// loses nor repeats one (UNIQUE (endpoint, event) besides); (2) dispatch: due deliveries are leased (not
// due again until the answer time has passed, so another instance or a crash does not lose or double them)
// and POSTed by a small pool of senders, at most one at a time per endpoint, so one slow endpoint occupies
// one sender and never delays the others. A 2xx within webhooks.timeout_seconds is a delivery; anything else
// is retried with exponential backoff and jitter for 24 hours, then `failed`; an endpoint failing for a day
// is disabled and its tenant's admins are notified.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "services/credentials.h"
#include "services/deps.h"
#include "storage/webhooks_repository.h"

namespace portico::services {

/// What one POST got: the HTTP status (0 when none) and the transport error ("" when an answer came).
struct WebhookAnswer {
  long status = 0;
  std::string error;
};

/// POSTs `payload` to `url` with the Portico-Event-Id, Portico-Timestamp and Portico-Signature headers,
/// through libcurl: connect timeout 5 s, total `timeout_seconds`, redirects not followed (a 3xx is a
/// failure), http/https only, and only to an address that passed ResolveWebhookHost (pinned, so DNS cannot
/// change between the check and the connection).
WebhookAnswer PostWebhook(const std::string& url, const std::string& secret, std::int64_t event_id,
                          const std::string& payload, UnixSeconds timestamp, std::int64_t timeout_seconds,
                          bool allow_private);

class WebhookWorker {
 public:
  WebhookWorker(Deps deps, EventPublisher publish);
  ~WebhookWorker();
  void Start();
  void Stop();
  /// Something was committed: look at the event log soon.
  void Wake();
  /// What one FanOut round did.
  struct FanOutResult {
    std::int64_t queued = 0;     // deliveries queued
    bool saw_test_send = false;  // passed a webhook.* event (a test send): WebhookService queued its delivery
  };
  /// Queues the events after each active endpoint's cursor; returns how many deliveries were queued and
  /// whether a test send was passed. The list of active endpoints is read again when it is older than
  /// kEndpointsFresh (so a tenant without endpoints costs no query per event; a new endpoint's cursor starts
  /// at its creation, so it misses nothing). Worker thread only.
  FanOutResult FanOut();

  static constexpr int kSenders = 4;
  static constexpr std::chrono::milliseconds kEndpointsFresh{1000};

 private:
  void Loop();
  void SenderLoop();
  /// Leases due deliveries of endpoints with nothing in flight and hands them to the senders.
  void Dispatch();
  void Send(const storage::WebhookDelivery& d);

  Deps deps_;
  EventPublisher publish_;
  std::mutex mutex_;
  std::condition_variable cv_;         // the loop
  std::condition_variable work_cv_;    // the senders
  bool woken_ = false;
  bool sender_done_ = false;  // a sender finished: the loop reads due deliveries again
  bool stopping_ = false;
  std::deque<storage::WebhookDelivery> queue_;
  std::set<std::int64_t> in_flight_;  // endpoint ids with a delivery queued or being sent
  std::vector<storage::WebhookEndpoint> endpoints_;  // FanOut's list, read at endpoints_read_
  std::optional<std::chrono::steady_clock::time_point> endpoints_read_;
  std::thread thread_;
  std::vector<std::thread> senders_;
};

}  // namespace portico::services
