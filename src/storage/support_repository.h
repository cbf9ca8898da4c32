// Support content (issue 17): FAQ entries, announcements with their addressed customers, technician
// profiles. Every query is limited to one tenant; customer visibility (published entries, active
// announcements addressed to the caller's customers) is decided by the arguments policy/ gives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "policy/policy.h"
#include "storage/db.h"
#include "storage/records.h"

namespace portico::storage {

struct FaqRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string question;
  std::string answer;
  std::int64_t position = 0;
  bool published = false;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct AnnouncementRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string title;
  std::string body;
  std::string severity;  // info | warning | outage
  UnixSeconds starts_at = 0;
  std::optional<UnixSeconds> ends_at;
  std::vector<CustomerId> customers;  // empty: every customer
  bool start_announced = false;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

// ---- FAQ ----
/// The tenant's entries by ascending position, then id; `published_only` hides the unpublished.
std::vector<FaqRecord> ListFaq(Connection& c, TenantId tenant, bool published_only);
/// One entry of the tenant; nullopt when absent or (with `published_only`) unpublished.
std::optional<FaqRecord> FindFaq(Connection& c, TenantId tenant, std::int64_t id, bool published_only);
/// The next free position (one past the largest) in the tenant.
std::int64_t NextFaqPosition(Connection& c, TenantId tenant);
std::int64_t InsertFaq(Connection& c, const FaqRecord& f);
void UpdateFaq(Connection& c, const FaqRecord& f);
void DeleteFaq(Connection& c, TenantId tenant, std::int64_t id);
void SetFaqPosition(Connection& c, TenantId tenant, std::int64_t id, std::int64_t position, UnixSeconds now);

// ---- announcements ----
/// Announcements of the tenant visible in `scope` (staff: all; customer scopes: those addressed to every
/// customer or to one inside the scope), newest start first. With `active_at`, only those whose window
/// contains that time (starts_at <= t < ends_at, or open-ended).
std::vector<AnnouncementRecord> ListAnnouncements(Connection& c, const policy::CustomerScope& scope,
                                                  std::optional<UnixSeconds> active_at);
std::optional<AnnouncementRecord> FindAnnouncement(Connection& c, const policy::CustomerScope& scope, std::int64_t id,
                                                   std::optional<UnixSeconds> active_at);
std::int64_t InsertAnnouncement(Connection& c, const AnnouncementRecord& a, std::optional<UserId> created_by);
/// Rewrites the fields and the addressed customers; clears start_announced when the start moved.
void UpdateAnnouncement(Connection& c, const AnnouncementRecord& a);
void DeleteAnnouncement(Connection& c, TenantId tenant, std::int64_t id);
/// Announcements of every tenant that started at or before `now` and whose start was not announced yet.
std::vector<AnnouncementRecord> AnnouncementsStartedUnannounced(Connection& c, UnixSeconds now, std::int64_t limit);
void MarkAnnouncementStartAnnounced(Connection& c, std::int64_t id);
/// Of `ids`, those that are customers of `tenant` (for validating customer_ids).
std::vector<CustomerId> CustomersOfTenant(Connection& c, TenantId tenant, const std::vector<CustomerId>& ids);

// ---- technician profiles ----
std::optional<TechnicianProfile> FindTechnicianProfile(Connection& c, TenantId tenant, UserId user);
/// Profiles of the tenant's technicians by user id.
std::vector<std::pair<UserId, TechnicianProfile>> ListTechnicianProfiles(Connection& c, TenantId tenant);
void UpsertTechnicianProfile(Connection& c, TenantId tenant, UserId user, const TechnicianProfile& p, UnixSeconds now);

}  // namespace portico::storage
