#include "services/notifications.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/error.h"
#include "domain/webhook_rules.h"
#include "services/shop_service.h"
#include "storage/accounts_repository.h"
#include "storage/notifications_repository.h"
#include "storage/webhooks_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
namespace {

constexpr const char* kCursor = "notifications";
constexpr std::int64_t kBatch = 500;
constexpr std::chrono::milliseconds kGather{3};


std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string Pretty(std::string status) {
  for (auto& c : status) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return status;
}

/// "2026-03-09 at 09:30" in the tenant's time zone (UTC when the stored zone is unknown).
std::string LocalWhen(storage::Connection& c, TenantId tenant, const std::string& starts_at) {
  auto t = ParseTimestamp(starts_at);
  if (!t) return starts_at;
  auto zone = domain::ShopZone::Find(LoadShopSettings(c, tenant).time_zone);
  if (!zone) zone = domain::ShopZone::Find("UTC");
  return zone->LocalStamp(*t).replace(10, 1, " at ");
}

/// Issue 12: the shop's managers and admins hear of a visit a customer requested, and of a customer
/// moving or cancelling one. Staff bookings and moves tell no staff (the customer is told by the
/// appointment service). Returns false when the event concerns no staff member.
bool AppointmentTargets(storage::Connection& c, const storage::EventRecord& e, const json::object& data,
                        std::int64_t by, std::string& type, std::string& title, std::vector<UserId>& staff) {
  auto author = storage::FindUser(c, e.tenant, UserId(by));
  if (!author || author->role != domain::Role::kCustomer) return false;
  const std::string status = Str(data, "status");
  const std::string when = LocalWhen(c, e.tenant, Str(data, "starts_at"));
  if (e.type == "appointment.created") {
    type = "appointment_requested";
    title = "Visit requested for " + when;
  } else if (status == "cancelled") {
    type = "appointment_changed";
    title = "A customer cancelled the visit of " + when;
  } else {
    type = "appointment_changed";
    title = "A customer moved a visit request to " + when;
  }
  staff = storage::UsersWithRoles(c, e.tenant, {"manager", "admin"});
  return true;
}

}  // namespace

NotificationWorker::NotificationWorker(Deps deps, EventPublisher publish, bool email_enabled)
    : deps_(deps), publish_(std::move(publish)), email_enabled_(email_enabled) {}

NotificationWorker::~NotificationWorker() { Stop(); }

void NotificationWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void NotificationWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotificationWorker::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void NotificationWorker::Loop() {
  for (;;) {
    bool woken = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::seconds(5), [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken = woken_;
      woken_ = false;
    }
    // Issue 16: let the commits of a burst (say 32 status moves in flight) gather, so that one
    // transaction of the worker serves them all instead of one per commit behind the single writer.
    std::this_thread::sleep_for(kGather);
    try {
      RunOnce(/*peek_first=*/!woken);
      if (deps_.clock.Now() - last_prune_ >= 3600) {
        last_prune_ = deps_.clock.Now();
        if (auto n = PruneOldEvents()) spdlog::info("pruned {} events older than {} days", n, deps_.config.event_retention_days);
      }
    } catch (const std::exception& e) {
      spdlog::error("notification worker: {}", e.what());
    }
  }
}

std::int64_t NotificationWorker::RunOnce(bool peek_first) {
  std::int64_t created = 0;
  if (peek_first) {
    // Without the writer first: when nothing but notification.created events came (the worker's own),
    // there is nothing to do yet; the cursor moves past them with the next event that asks for notifications.
    auto tx = deps_.db.ReadEach();  // the cursor only moves forward: a newer one means less to do
    auto pending = storage::ListEventsAfterCursor(tx->conn(), kCursor, kBatch);
    const bool idle = std::none_of(pending.begin(), pending.end(),
                                   [](const storage::EventRecord& e) { return storage::EventWakesWorkers(e.type); });
    if (idle && static_cast<std::int64_t>(pending.size()) < kBatch) return 0;
  }
  for (;;) {
    std::vector<storage::EventRecord> published;
    auto tx = deps_.db.Write();
    auto& c = tx->conn();
    auto events = storage::ListEventsAfterCursor(c, kCursor, kBatch);
    if (events.empty()) return created;
    std::int64_t cursor = 0;
    const UnixSeconds now = deps_.clock.Now();
    for (const auto& e : events) {
      cursor = e.id;
      // Client requests (issue 10) and appointments (issue 12) may concern no repair; everything else is
      // about one.
      if (!e.customer || (!e.repair && !e.type.starts_with("request.") && !e.type.starts_with("appointment."))) {
        continue;
      }
      json::error_code ec;
      auto parsed = json::parse(e.data, ec);
      if (ec || !parsed.is_object()) continue;
      const auto& data = parsed.as_object();
      std::int64_t by = 0;
      if (auto* v = data.if_contains("by_id"); v && v->is_int64()) by = v->as_int64();
      const std::string unit = Str(data, "unit_number");
      const std::string id = e.repair ? "#" + std::to_string(e.repair->value) : std::string();

      struct Target {
        std::vector<UserId> users;
        bool customer_side = false;
      };
      std::vector<Target> targets;
      std::string type, title;
      if (e.type == "repair.created" && Str(data, "status") == "REQUESTED") {
        type = "new_request";
        title = "New repair request " + id + (unit.empty() ? "" : " for unit " + unit);
        targets.push_back({storage::UsersWithRoles(c, e.tenant, {"manager", "admin"}), false});
      } else if (e.type == "repair.created" && Str(data, "status") == "PENDING") {
        type = "approval_wanted";
        title = "Your approval is wanted for repair " + id + (unit.empty() ? "" : " on unit " + unit);
        targets.push_back({storage::CustomerUsers(c, *e.customer, std::string("approver")), true});
      } else if (e.type == "repair.status_changed") {
        type = "status_changed";
        title = "Repair " + id + " is now " + Pretty(Str(data, "status"));
        targets.push_back({storage::CustomerUsers(c, *e.customer, std::nullopt), true});
      } else if (e.type == "repair.approval") {
        type = "customer_decision";
        bool approved = false;
        if (auto* v = data.if_contains("approved"); v && v->is_bool()) approved = v->as_bool();
        title = std::string("The customer ") + (approved ? "approved" : "denied") + " repair " + id;
        std::vector<UserId> staff = storage::UsersWithRoles(c, e.tenant, {"manager"});
        if (auto technician = storage::RepairTechnician(c, *e.repair)) staff.push_back(*technician);
        targets.push_back({staff, false});
        // The customer's other users hear of the status change too.
        targets.push_back({storage::CustomerUsers(c, *e.customer, std::nullopt), true});
      } else if (e.type == "request.created") {
        // Issue 10: managers and admins on a new client request.
        type = "new_client_request";
        title = "New request: " + Str(data, "title");
        targets.push_back({storage::UsersWithRoles(c, e.tenant, {"manager", "admin"}), false});
      } else if (e.type == "request.updated" && !Str(data, "decision").empty()) {
        // Issue 10: the creator on a decision.
        type = "request_decided";
        title = "Your request \"" + Str(data, "title") + "\" was " + Str(data, "decision");
        if (auto* v = data.if_contains("created_by_id"); v && v->is_int64()) {
          targets.push_back({{UserId(v->as_int64())}, true});
        }
      } else if (e.type == "change_order.created") {
        // Issue 10: the customer's approvers on a proposed change order.
        type = "change_order_proposed";
        title = "Extra work proposed on repair " + id + " (" + Str(data, "amount") + "): your approval is wanted";
        targets.push_back({storage::CustomerUsers(c, *e.customer, std::string("approver")), true});
      } else if (e.type == "appointment.created" || e.type == "appointment.updated") {
        std::vector<UserId> staff;
        if (!AppointmentTargets(c, e, data, by, type, title, staff)) continue;
        targets.push_back({staff, false});
      } else {
        continue;
      }
      bool customer_email = email_enabled_ && storage::CustomerWantsEmail(c, *e.customer);
      std::set<std::int64_t> told;
      for (const auto& target : targets) {
        for (auto user : target.users) {
          if (user.value == by || !told.insert(user.value).second) continue;
          storage::NotificationRecord n;
          n.tenant = e.tenant;
          n.user = user;
          n.event_id = e.id;
          n.type = type;
          n.repair = e.repair;
          n.title = title;
          n.created_at = now;
          bool email = target.customer_side ? customer_email : email_enabled_;
          auto nid = storage::InsertNotification(c, n, email);
          if (!nid) continue;
          ++created;
          storage::EventRecord ev;
          ev.tenant = e.tenant;
          ev.type = "notification.created";
          ev.repair = e.repair;
          ev.user = user;
          ev.internal = false;
          ev.data = json::serialize(json::object{{"notification_id", *nid}, {"type", type}, {"title", title}});
          ev.occurred_at = now;
          ev.id = storage::InsertEvent(c, ev);
          published.push_back(ev);
        }
      }
    }
    storage::SetCursor(c, kCursor, cursor);
    tx->Commit();
    if (publish_) {
      for (const auto& ev : published) publish_(ev);
    }
    if (static_cast<std::int64_t>(events.size()) < kBatch) return created;
  }
}

std::int64_t NotificationWorker::PruneOldEvents() {
  if (deps_.config.event_retention_days <= 0) return 0;
  const UnixSeconds before = deps_.clock.Now() - deps_.config.event_retention_days * 86400;
  std::int64_t total = 0;
  // Never events this worker has not read. First pass: not those an active webhook endpoint of their tenant
  // has not queued yet either (issue 14); second pass: the cap, past which a lagging endpoint holds nothing.
  for (const bool held : {true, false}) {
    for (;;) {  // in slices, so the writer is not held for long
      auto tx = deps_.db.Write();
      const auto up_to = storage::GetCursor(tx->conn(), kCursor);
      auto n = held ? storage::PruneEventsBehindWebhooks(tx->conn(), before, up_to, 5000)
                    : storage::PruneEvents(tx->conn(), before - domain::kWebhookPruneHoldSeconds, up_to, 5000);
      tx->Commit();
      total += n;
      if (n < 5000) break;
    }
  }
  return total;
}

PageOf<storage::NotificationRecord> NotificationService::List(const policy::Actor& actor, bool unread_only,
                                                              const PageRequest& page) {
  auto tx = deps_.db.Read();
  return storage::ListNotifications(tx->conn(), actor.user, unread_only, page);
}

std::int64_t NotificationService::UnreadCount(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::CountUnread(tx->conn(), actor.user);
}

storage::NotificationRecord NotificationService::MarkRead(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto n = storage::MarkRead(tx->conn(), actor.user, id, deps_.clock.Now());
  if (!n) throw Error::NotFound("No such notification.");
  tx->Commit();
  return *n;
}

std::int64_t NotificationService::MarkAllRead(const policy::Actor& actor) {
  auto tx = deps_.db.Write();
  auto n = storage::MarkAllRead(tx->conn(), actor.user, deps_.clock.Now());
  tx->Commit();
  return n;
}

}  // namespace portico::services
