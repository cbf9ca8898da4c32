#include "services/support_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace {

using policy::Action;

constexpr std::size_t kMaxQuestion = 300;
constexpr std::size_t kMaxAnswer = 5000;
constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxBody = 2000;
constexpr std::size_t kMaxAddressed = 1000;
constexpr std::int64_t kMaxPosition = 1'000'000'000;

void Require(const policy::Actor& actor, Action action) {
  if (!policy::Can(actor, action)) throw Error::Forbidden();
}

/// Plain text: 1..max (or 0..max) characters, not only blanks, no control characters but line breaks and tabs.
void CheckText(FieldErrors& errors, const char* field, const std::string& v, std::size_t max, bool required) {
  if (required && v.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors[field].push_back("Required.");
    return;
  }
  if (CountCharacters(v) > max) {
    errors[field].push_back("At most " + std::to_string(max) + " characters.");
    return;
  }
  for (unsigned char c : v) {
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
      errors[field].push_back("Plain text only: no control characters.");
      return;
    }
  }
}

void CheckPosition(FieldErrors& errors, std::int64_t p) {
  if (p < 0 || p > kMaxPosition) errors["position"].push_back("Between 0 and 1000000000.");
}

bool IsSeverity(const std::string& s) { return s == "info" || s == "warning" || s == "outage"; }

std::optional<UnixSeconds> ReadTime(FieldErrors& errors, const char* field, const std::string& text) {
  auto t = ParseTimestamp(text);
  if (!t) errors[field].push_back("An RFC 3339 timestamp, e.g. 2024-05-01T08:30:00Z.");
  return t;
}

/// The customer ids of a request: positive, at most kMaxAddressed, each a customer of the tenant
/// (API.md: an id the caller cannot see is a 400 on that field). Duplicates collapse.
std::vector<CustomerId> ReadCustomers(storage::Connection& c, FieldErrors& errors, TenantId tenant,
                                      const std::vector<std::int64_t>& ids) {
  if (ids.size() > kMaxAddressed) {
    errors["customer_ids"].push_back("At most " + std::to_string(kMaxAddressed) + " customers.");
    return {};
  }
  std::set<std::int64_t> unique(ids.begin(), ids.end());
  std::vector<CustomerId> wanted;
  for (auto id : unique) wanted.emplace_back(id);
  auto found = storage::CustomersOfTenant(c, tenant, wanted);
  if (found.size() != wanted.size()) errors["customer_ids"].push_back("No such customer.");
  return found;
}

/// What a customer user may see of an announcement's addressing: only its own customers.
void CutToScope(const policy::Actor& actor, storage::AnnouncementRecord& a) {
  if (policy::Can(actor, Action::kReadAllAnnouncements)) return;
  auto scope = policy::ScopeOf(actor);
  std::erase_if(a.customers, [&](CustomerId id) { return !scope.Contains(id); });
}

}  // namespace

std::size_t CountCharacters(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// ---- FAQ ----

std::vector<storage::FaqRecord> FaqService::ListPublic(const std::string& slug) {
  auto tx = deps_.db.Read();
  auto t = storage::FindTenantBySlug(tx->conn(), slug);
  if (!t) throw Error::NotFound("No such tenant.");
  return storage::ListFaq(tx->conn(), t->id, true);
}

std::vector<storage::FaqRecord> FaqService::List(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::ListFaq(tx->conn(), actor.tenant, !policy::Can(actor, Action::kReadUnpublishedFaq));
}

storage::FaqRecord FaqService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto f = storage::FindFaq(tx->conn(), actor.tenant, id, !policy::Can(actor, Action::kReadUnpublishedFaq));
  if (!f) throw Error::NotFound("No such FAQ entry.");
  return *f;
}

storage::FaqRecord FaqService::Create(const policy::Actor& actor, const NewFaq& in) {
  Require(actor, Action::kManageSupportContent);
  FieldErrors errors;
  CheckText(errors, "question", in.question, kMaxQuestion, true);
  CheckText(errors, "answer", in.answer, kMaxAnswer, true);
  if (in.position) CheckPosition(errors, *in.position);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::FaqRecord f;
  f.tenant = actor.tenant;
  f.question = in.question;
  f.answer = in.answer;
  f.published = in.published;
  f.created_at = f.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  f.position = in.position ? *in.position : storage::NextFaqPosition(tx->conn(), actor.tenant);
  f.id = storage::InsertFaq(tx->conn(), f);
  tx->Commit();
  return f;
}

storage::FaqRecord FaqService::Update(const policy::Actor& actor, std::int64_t id, const FaqPatch& patch) {
  auto tx = deps_.db.Write();
  auto f = storage::FindFaq(tx->conn(), actor.tenant, id, !policy::Can(actor, Action::kReadUnpublishedFaq));
  if (!f) throw Error::NotFound("No such FAQ entry.");
  Require(actor, Action::kManageSupportContent);
  FieldErrors errors;
  if (patch.question) CheckText(errors, "question", *patch.question, kMaxQuestion, true);
  if (patch.answer) CheckText(errors, "answer", *patch.answer, kMaxAnswer, true);
  if (patch.position) CheckPosition(errors, *patch.position);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  if (patch.question) f->question = *patch.question;
  if (patch.answer) f->answer = *patch.answer;
  if (patch.position) f->position = *patch.position;
  if (patch.published) f->published = *patch.published;
  f->updated_at = deps_.clock.Now();
  storage::UpdateFaq(tx->conn(), *f);
  tx->Commit();
  return *f;
}

void FaqService::Delete(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  if (!storage::FindFaq(tx->conn(), actor.tenant, id, !policy::Can(actor, Action::kReadUnpublishedFaq))) {
    throw Error::NotFound("No such FAQ entry.");
  }
  Require(actor, Action::kManageSupportContent);
  storage::DeleteFaq(tx->conn(), actor.tenant, id);
  tx->Commit();
}

std::vector<storage::FaqRecord> FaqService::Reorder(const policy::Actor& actor, const std::vector<std::int64_t>& ids) {
  Require(actor, Action::kManageSupportContent);
  auto tx = deps_.db.Write();
  auto all = storage::ListFaq(tx->conn(), actor.tenant, false);
  std::set<std::int64_t> have, given(ids.begin(), ids.end());
  for (const auto& f : all) have.insert(f.id);
  if (given.size() != ids.size() || given != have) {
    throw Error::Field("ids", "Every FAQ entry of the shop, each once, in the new order.");
  }
  const UnixSeconds now = deps_.clock.Now();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    storage::SetFaqPosition(tx->conn(), actor.tenant, ids[i], static_cast<std::int64_t>(i + 1), now);
  }
  auto out = storage::ListFaq(tx->conn(), actor.tenant, false);
  tx->Commit();
  return out;
}

// ---- announcements ----

std::vector<storage::AnnouncementRecord> AnnouncementService::List(const policy::Actor& actor, bool active_only) {
  const bool all = policy::Can(actor, Action::kReadAllAnnouncements);
  std::optional<UnixSeconds> at;
  if (active_only || !all) at = deps_.clock.Now();
  auto tx = deps_.db.Read();
  auto list = storage::ListAnnouncements(tx->conn(), policy::ScopeOf(actor), at);
  for (auto& a : list) CutToScope(actor, a);
  return list;
}

storage::AnnouncementRecord AnnouncementService::Get(const policy::Actor& actor, std::int64_t id) {
  std::optional<UnixSeconds> at;
  if (!policy::Can(actor, Action::kReadAllAnnouncements)) at = deps_.clock.Now();
  auto tx = deps_.db.Read();
  auto a = storage::FindAnnouncement(tx->conn(), policy::ScopeOf(actor), id, at);
  if (!a) throw Error::NotFound("No such announcement.");
  CutToScope(actor, *a);
  return *a;
}

std::vector<storage::EventRecord> AnnouncementService::Emit(storage::Connection& c, TenantId tenant, std::int64_t id,
                                                            const char* type, const std::vector<CustomerId>& customers,
                                                            bool everyone, const std::string& extra) {
  storage::EventRecord e;
  e.tenant = tenant;
  e.type = type;
  e.data = "{\"announcement_id\":" + std::to_string(id) + extra + "}";
  e.occurred_at = deps_.clock.Now();
  std::vector<storage::EventRecord> out;
  if (everyone || customers.empty()) {
    e.all_customers = true;
    e.id = storage::InsertEvent(c, e);
    out.push_back(e);
    return out;
  }
  for (auto customer : customers) {
    e.customer = customer;
    e.id = storage::InsertEvent(c, e);
    out.push_back(e);
  }
  return out;
}

void AnnouncementService::Publish(const std::vector<storage::EventRecord>& events) {
  if (!publish_) return;
  for (const auto& e : events) publish_(e);
}

storage::AnnouncementRecord AnnouncementService::Create(const policy::Actor& actor, const NewAnnouncement& in) {
  Require(actor, Action::kManageSupportContent);
  const UnixSeconds now = deps_.clock.Now();
  FieldErrors errors;
  CheckText(errors, "title", in.title, kMaxTitle, true);
  CheckText(errors, "body", in.body, kMaxBody, false);
  if (!IsSeverity(in.severity)) errors["severity"].push_back("Must be one of info, warning, outage.");
  std::optional<UnixSeconds> starts = now, ends;
  if (in.starts_at) starts = ReadTime(errors, "starts_at", *in.starts_at);
  if (in.ends_at) ends = ReadTime(errors, "ends_at", *in.ends_at);
  if (starts && ends && *ends < *starts) errors["ends_at"].push_back("Must not be before starts_at.");
  auto tx = deps_.db.Write();
  auto customers = ReadCustomers(tx->conn(), errors, actor.tenant, in.customer_ids);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  storage::AnnouncementRecord a;
  a.tenant = actor.tenant;
  a.title = in.title;
  a.body = in.body;
  a.severity = in.severity;
  a.starts_at = *starts;
  a.ends_at = ends;
  a.customers = customers;
  a.start_announced = a.starts_at <= now;
  a.created_at = a.updated_at = now;
  a.id = storage::InsertAnnouncement(tx->conn(), a, actor.user);
  auto events = Emit(tx->conn(), a.tenant, a.id, "announcement.created", a.customers, a.customers.empty());
  tx->Commit();
  Publish(events);
  return a;
}

storage::AnnouncementRecord AnnouncementService::Update(const policy::Actor& actor, std::int64_t id,
                                                        const AnnouncementPatch& patch) {
  std::optional<UnixSeconds> at;
  if (!policy::Can(actor, Action::kReadAllAnnouncements)) at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto a = storage::FindAnnouncement(tx->conn(), policy::ScopeOf(actor), id, at);
  if (!a) throw Error::NotFound("No such announcement.");
  Require(actor, Action::kManageSupportContent);
  const UnixSeconds now = deps_.clock.Now();
  FieldErrors errors;
  if (patch.title) CheckText(errors, "title", *patch.title, kMaxTitle, true);
  if (patch.body) CheckText(errors, "body", *patch.body, kMaxBody, false);
  if (patch.severity && !IsSeverity(*patch.severity)) errors["severity"].push_back("Must be one of info, warning, outage.");
  std::optional<UnixSeconds> starts = a->starts_at, ends = a->ends_at;
  if (patch.starts_at) starts = ReadTime(errors, "starts_at", *patch.starts_at);
  if (patch.ends_at) ends = ReadTime(errors, "ends_at", *patch.ends_at);
  if (patch.ends_at_null) ends.reset();
  if (starts && ends && *ends < *starts) errors["ends_at"].push_back("Must not be before starts_at.");
  std::vector<CustomerId> customers = a->customers;
  if (patch.customer_ids) customers = ReadCustomers(tx->conn(), errors, actor.tenant, *patch.customer_ids);
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  const auto old_customers = a->customers;
  if (patch.title) a->title = *patch.title;
  if (patch.body) a->body = *patch.body;
  if (patch.severity) a->severity = *patch.severity;
  a->starts_at = *starts;
  a->ends_at = ends;
  a->customers = customers;
  a->start_announced = a->starts_at <= now;
  a->updated_at = now;
  storage::UpdateAnnouncement(tx->conn(), *a);
  // Everyone who saw it before or sees it now learns of the change.
  bool everyone = old_customers.empty() || customers.empty();
  std::set<std::int64_t> audience;
  for (auto c : old_customers) audience.insert(c.value);
  for (auto c : customers) audience.insert(c.value);
  std::vector<CustomerId> to;
  for (auto c : audience) to.emplace_back(c);
  auto events = Emit(tx->conn(), a->tenant, a->id, "announcement.updated", to, everyone);
  tx->Commit();
  Publish(events);
  return *a;
}

void AnnouncementService::Delete(const policy::Actor& actor, std::int64_t id) {
  std::optional<UnixSeconds> at;
  if (!policy::Can(actor, Action::kReadAllAnnouncements)) at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  auto a = storage::FindAnnouncement(tx->conn(), policy::ScopeOf(actor), id, at);
  if (!a) throw Error::NotFound("No such announcement.");
  Require(actor, Action::kManageSupportContent);
  storage::DeleteAnnouncement(tx->conn(), actor.tenant, id);
  auto events = Emit(tx->conn(), a->tenant, a->id, "announcement.deleted", a->customers, a->customers.empty());
  tx->Commit();
  Publish(events);
}

std::int64_t AnnouncementService::AnnounceStarted() {
  std::vector<storage::EventRecord> events;
  std::int64_t n = 0;
  {
    // Most ticks find nothing: look first without taking the single writer.
    auto rx = deps_.db.Read();
    if (storage::AnnouncementsStartedUnannounced(rx->conn(), deps_.clock.Now(), 1).empty()) return 0;
  }
  {
    auto tx = deps_.db.Write();
    for (const auto& a : storage::AnnouncementsStartedUnannounced(tx->conn(), deps_.clock.Now(), 100)) {
      auto written = Emit(tx->conn(), a.tenant, a.id, "announcement.updated", a.customers, a.customers.empty(),
                          ",\"started\":true");
      events.insert(events.end(), written.begin(), written.end());
      storage::MarkAnnouncementStartAnnounced(tx->conn(), a.id);
      ++n;
    }
    if (n == 0) return 0;
    tx->Commit();
  }
  Publish(events);
  return n;
}

// ---- worker ----

AnnouncementWorker::~AnnouncementWorker() { Stop(); }

void AnnouncementWorker::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
        if (stopping_) return;
      }
      try {
        service_.AnnounceStarted();
      } catch (const std::exception& e) {
        spdlog::warn("announcement worker: {}", e.what());
      }
    }
  });
}

void AnnouncementWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace portico::services
