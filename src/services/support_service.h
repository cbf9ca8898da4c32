// Support content (issue 17; PRODUCT.md and API.md "Support content"): the FAQ, announcements and the
// worker that announces an announcement when its window opens. Each use case: validate -> load (scoped:
// another tenant's or an unpublished/unaddressed row is 404) -> authorize (policy/) -> one transaction
// (change + event) -> publish after commit. Text is plain: stored as given (no HTML is ever produced).
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "policy/actor.h"
#include "services/deps.h"
#include "services/repair_service.h"
#include "storage/support_repository.h"

namespace portico::services {

struct NewFaq {
  std::string question, answer;
  std::optional<std::int64_t> position;  // default: after the last entry
  bool published = false;
};
struct FaqPatch {
  std::optional<std::string> question, answer;
  std::optional<std::int64_t> position;
  std::optional<bool> published;
};

class FaqService {
 public:
  explicit FaqService(Deps deps) : deps_(deps) {}
  /// Public (no login): the published entries of the tenant `slug` by position; unknown slug 404.
  std::vector<storage::FaqRecord> ListPublic(const std::string& slug);
  /// Staff: every entry; customer users: the published ones.
  std::vector<storage::FaqRecord> List(const policy::Actor& actor);
  /// 404 when absent, another tenant's, or unpublished for a non-staff caller.
  storage::FaqRecord Get(const policy::Actor& actor, std::int64_t id);
  /// Admin, manager (403 otherwise). question 1..300, answer 1..5000 characters (400).
  storage::FaqRecord Create(const policy::Actor& actor, const NewFaq& in);
  storage::FaqRecord Update(const policy::Actor& actor, std::int64_t id, const FaqPatch& patch);
  void Delete(const policy::Actor& actor, std::int64_t id);
  /// Admin, manager: `ids` (every entry of the tenant, each once) in their new order; positions become
  /// 1..n. Returns the whole list. A missing, repeated or foreign id is 400 (field `ids`).
  std::vector<storage::FaqRecord> Reorder(const policy::Actor& actor, const std::vector<std::int64_t>& ids);

 private:
  Deps deps_;
};

struct NewAnnouncement {
  std::string title, body, severity;
  std::optional<std::string> starts_at;  // RFC 3339; default now
  std::optional<std::string> ends_at;    // RFC 3339; null/absent = open-ended
  std::vector<std::int64_t> customer_ids;
};
struct AnnouncementPatch {
  std::optional<std::string> title, body, severity, starts_at;
  std::optional<std::string> ends_at;
  bool ends_at_null = false;  // "ends_at": null (open-ended)
  std::optional<std::vector<std::int64_t>> customer_ids;
};

class AnnouncementService {
 public:
  AnnouncementService(Deps deps, EventPublisher publish = {}) : deps_(deps), publish_(std::move(publish)) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  /// Staff: every announcement (only active ones with `active_only`); customer users: always only the
  /// active ones addressed to every customer or to one of theirs, with customer_ids cut to their own.
  std::vector<storage::AnnouncementRecord> List(const policy::Actor& actor, bool active_only);
  storage::AnnouncementRecord Get(const policy::Actor& actor, std::int64_t id);
  /// Admin, manager. title 1..200, body <= 2000, severity info|warning|outage, ends_at not before
  /// starts_at, customer_ids of this tenant (400 otherwise). Event announcement.created.
  storage::AnnouncementRecord Create(const policy::Actor& actor, const NewAnnouncement& in);
  /// Event announcement.updated to the old and the new audience.
  storage::AnnouncementRecord Update(const policy::Actor& actor, std::int64_t id, const AnnouncementPatch& patch);
  /// Event announcement.deleted to its audience (banners drop it live).
  void Delete(const policy::Actor& actor, std::int64_t id);
  /// The worker's step: an announcement.updated event ({"started": true}) for each announcement whose
  /// window opened since it was written. Returns how many.
  std::int64_t AnnounceStarted();

 private:
  /// Writes the events of `type` for an announcement addressed to `customers` (empty: everyone).
  std::vector<storage::EventRecord> Emit(storage::Connection& c, TenantId tenant, std::int64_t id, const char* type,
                                         const std::vector<CustomerId>& customers, bool everyone,
                                         const std::string& extra = "");
  void Publish(const std::vector<storage::EventRecord>& events);
  Deps deps_;
  EventPublisher publish_;
};

/// Runs AnnouncementService::AnnounceStarted every few seconds on its own thread.
class AnnouncementWorker {
 public:
  explicit AnnouncementWorker(AnnouncementService& service) : service_(service) {}
  ~AnnouncementWorker();
  void Start();
  void Stop();

 private:
  AnnouncementService& service_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

/// Number of Unicode code points in UTF-8 `s` (limits are in characters, not bytes).
std::size_t CountCharacters(const std::string& s);

}  // namespace portico::services
