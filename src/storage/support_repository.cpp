#include "storage/support_repository.h"

#include <map>

namespace portico::storage {
namespace {

#define FAQ_SELECT "SELECT id, tenant_id, question, answer, position, published, created_at, updated_at FROM faq_entries "

constexpr Sql kListFaq{"list_faq", FAQ_SELECT "WHERE tenant_id = $1 AND ($2 = 0 OR published = 1) ORDER BY position, id "
                                   "LIMIT 1000"};
constexpr Sql kFindFaq{"find_faq", FAQ_SELECT "WHERE tenant_id = $1 AND id = $2 AND ($3 = 0 OR published = 1)"};
constexpr Sql kNextFaqPosition{"next_faq_position",
                               "SELECT COALESCE(MAX(position), 0) + 1 FROM faq_entries WHERE tenant_id = $1"};
constexpr Sql kInsertFaq{"insert_faq",
                         "INSERT INTO faq_entries (tenant_id, question, answer, position, published, created_at, "
                         "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"};
constexpr Sql kUpdateFaq{"update_faq",
                         "UPDATE faq_entries SET question = $3, answer = $4, position = $5, published = $6, "
                         "updated_at = $7 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kDeleteFaq{"delete_faq", "DELETE FROM faq_entries WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kSetFaqPosition{"set_faq_position",
                              "UPDATE faq_entries SET position = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"};

#define ANNOUNCEMENT_COLUMNS                                                                               \
  "a.id, a.tenant_id, a.title, a.body, a.severity, a.starts_at, a.ends_at, a.start_announced, a.created_at, " \
  "a.updated_at "

constexpr Sql kInsertAnnouncement{"insert_announcement",
                                  "INSERT INTO announcements (tenant_id, title, body, severity, starts_at, ends_at, "
                                  "created_by, created_at, updated_at, start_announced) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) "
                                  "RETURNING id"};
constexpr Sql kUpdateAnnouncement{"update_announcement",
                                  "UPDATE announcements SET title = $3, body = $4, severity = $5, starts_at = $6, "
                                  "ends_at = $7, start_announced = $8, updated_at = $9 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kDeleteAnnouncement{"delete_announcement", "DELETE FROM announcements WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kAddressed{"announcement_customers_of_tenant",
                         "SELECT announcement_id, customer_id FROM announcement_customers WHERE tenant_id = $1 "
                         "ORDER BY announcement_id, customer_id"};
constexpr Sql kAddressedOne{"announcement_customers_of",
                            "SELECT customer_id FROM announcement_customers WHERE announcement_id = $1 "
                            "ORDER BY customer_id"};
constexpr Sql kClearAddressed{"clear_announcement_customers",
                              "DELETE FROM announcement_customers WHERE tenant_id = $1 AND announcement_id = $2"};
constexpr Sql kAddAddressed{"add_announcement_customer",
                            "INSERT INTO announcement_customers (announcement_id, customer_id, tenant_id) "
                            "VALUES ($1, $2, $3) ON CONFLICT (announcement_id, customer_id) DO NOTHING"};
constexpr Sql kStartedUnannounced{"announcements_started_unannounced",
                                  "SELECT " ANNOUNCEMENT_COLUMNS "FROM announcements a WHERE a.start_announced = 0 "
                                  "AND a.starts_at <= $1 ORDER BY a.starts_at, a.id LIMIT $2"};
constexpr Sql kMarkStartAnnounced{"mark_announcement_start_announced",
                                  "UPDATE announcements SET start_announced = 1 WHERE id = $1"};
constexpr Sql kIsCustomerOfTenant{"is_customer_of_tenant", "SELECT id FROM customers WHERE tenant_id = $1 AND id = $2"};

constexpr Sql kFindProfile{"find_technician_profile",
                           "SELECT phone, certification_level, hire_date FROM technician_profiles "
                           "WHERE tenant_id = $1 AND user_id = $2"};
constexpr Sql kListProfiles{"list_technician_profiles",
                            "SELECT user_id, phone, certification_level, hire_date FROM technician_profiles "
                            "WHERE tenant_id = $1 ORDER BY user_id"};
constexpr Sql kUpsertProfile{"upsert_technician_profile",
                             "INSERT INTO technician_profiles (user_id, tenant_id, phone, certification_level, "
                             "hire_date, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE "
                             "SET phone = excluded.phone, certification_level = excluded.certification_level, "
                             "hire_date = excluded.hire_date, updated_at = excluded.updated_at"};

FaqRecord ReadFaq(const Row& r) {
  FaqRecord f;
  f.id = r.Int(0);
  f.tenant = TenantId(r.Int(1));
  f.question = r.Text(2);
  f.answer = r.Text(3);
  f.position = r.Int(4);
  f.published = r.Bool(5);
  f.created_at = r.Int(6);
  f.updated_at = r.Int(7);
  return f;
}

AnnouncementRecord ReadAnnouncement(const Row& r) {
  AnnouncementRecord a;
  a.id = r.Int(0);
  a.tenant = TenantId(r.Int(1));
  a.title = r.Text(2);
  a.body = r.Text(3);
  a.severity = r.Text(4);
  a.starts_at = r.Int(5);
  a.ends_at = r.OptInt(6);
  a.start_announced = r.Bool(7);
  a.created_at = r.Int(8);
  a.updated_at = r.Int(9);
  return a;
}

std::string Param(const std::vector<Value>& params) { return "$" + std::to_string(params.size()); }

/// The WHERE clause of announcements visible in `scope` (and active at a time), binding into `p`.
/// Customer scopes: addressed to nobody in particular (every customer) or to one of the scope's customers.
std::string AnnouncementWhere(std::vector<Value>& p, const policy::CustomerScope& scope,
                              std::optional<UnixSeconds> active_at) {
  p.emplace_back(scope.tenant.value);
  std::string w = "WHERE a.tenant_id = $1";
  if (!scope.all_of_tenant && scope.customers.empty()) {
    w += " AND 0 = 1";  // a customer user without customers sees no announcement
  } else if (!scope.all_of_tenant) {
    w += " AND (NOT EXISTS (SELECT 1 FROM announcement_customers ac WHERE ac.announcement_id = a.id)";
    if (!scope.customers.empty()) {
      w += " OR EXISTS (SELECT 1 FROM announcement_customers ac WHERE ac.announcement_id = a.id AND ac.customer_id IN (";
      for (std::size_t i = 0; i < scope.customers.size(); ++i) {
        p.emplace_back(scope.customers[i].value);
        w += (i ? ", " : "") + Param(p);
      }
      w += "))";
    }
    w += ")";
  }
  if (active_at) {
    p.emplace_back(*active_at);
    w += " AND a.starts_at <= " + Param(p) + " AND (a.ends_at IS NULL OR a.ends_at > " + Param(p) + ")";
  }
  return w;
}

void AttachCustomers(Connection& c, TenantId tenant, std::vector<AnnouncementRecord>& list) {
  if (list.empty()) return;
  std::map<std::int64_t, std::vector<CustomerId>> by_id;
  for (const auto& r : c.Query(kAddressed, {tenant.value})) by_id[r.Int(0)].emplace_back(r.Int(1));
  for (auto& a : list) {
    auto it = by_id.find(a.id);
    if (it != by_id.end()) a.customers = it->second;
  }
}

void WriteCustomers(Connection& c, const AnnouncementRecord& a) {
  c.Execute(kClearAddressed, {a.tenant.value, a.id});
  for (auto id : a.customers) c.Execute(kAddAddressed, {a.id, id.value, a.tenant.value});
}

}  // namespace

// ---- FAQ ----

std::vector<FaqRecord> ListFaq(Connection& c, TenantId tenant, bool published_only) {
  std::vector<FaqRecord> out;
  for (const auto& r : c.Query(kListFaq, {tenant.value, std::int64_t{published_only}})) out.push_back(ReadFaq(r));
  return out;
}

std::optional<FaqRecord> FindFaq(Connection& c, TenantId tenant, std::int64_t id, bool published_only) {
  auto row = c.QueryOne(kFindFaq, {tenant.value, id, std::int64_t{published_only}});
  if (!row) return std::nullopt;
  return ReadFaq(*row);
}

std::int64_t NextFaqPosition(Connection& c, TenantId tenant) {
  return c.Query(kNextFaqPosition, {tenant.value}).front().Int(0);
}

std::int64_t InsertFaq(Connection& c, const FaqRecord& f) {
  return c.QueryOne(kInsertFaq, {f.tenant.value, f.question, f.answer, f.position, std::int64_t{f.published},
                                 f.created_at})
      ->Int(0);
}

void UpdateFaq(Connection& c, const FaqRecord& f) {
  c.Execute(kUpdateFaq, {f.tenant.value, f.id, f.question, f.answer, f.position, std::int64_t{f.published},
                         f.updated_at});
}

void DeleteFaq(Connection& c, TenantId tenant, std::int64_t id) { c.Execute(kDeleteFaq, {tenant.value, id}); }

void SetFaqPosition(Connection& c, TenantId tenant, std::int64_t id, std::int64_t position, UnixSeconds now) {
  c.Execute(kSetFaqPosition, {tenant.value, id, position, now});
}

// ---- announcements ----

std::vector<AnnouncementRecord> ListAnnouncements(Connection& c, const policy::CustomerScope& scope,
                                                  std::optional<UnixSeconds> active_at) {
  std::vector<Value> p;
  std::string where = AnnouncementWhere(p, scope, active_at);
  const Sql& sql = ComposedSql("list_announcements", "SELECT " ANNOUNCEMENT_COLUMNS "FROM announcements a " + where +
                                                         " ORDER BY a.starts_at DESC, a.id DESC LIMIT 500");
  std::vector<AnnouncementRecord> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back(ReadAnnouncement(r));
  AttachCustomers(c, scope.tenant, out);
  return out;
}

std::optional<AnnouncementRecord> FindAnnouncement(Connection& c, const policy::CustomerScope& scope, std::int64_t id,
                                                   std::optional<UnixSeconds> active_at) {
  std::vector<Value> p;
  std::string where = AnnouncementWhere(p, scope, active_at);
  p.emplace_back(id);
  where += " AND a.id = " + Param(p);
  const Sql& sql = ComposedSql("find_announcement", "SELECT " ANNOUNCEMENT_COLUMNS "FROM announcements a " + where);
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  auto a = ReadAnnouncement(rows.front());
  for (const auto& r : c.Query(kAddressedOne, {a.id})) a.customers.emplace_back(r.Int(0));
  return a;
}

std::int64_t InsertAnnouncement(Connection& c, const AnnouncementRecord& a, std::optional<UserId> created_by) {
  auto id = c.QueryOne(kInsertAnnouncement,
                       {a.tenant.value, a.title, a.body, a.severity, a.starts_at, Nullable(a.ends_at),
                        created_by ? Value(created_by->value) : Value(nullptr), a.created_at,
                        std::int64_t{a.start_announced}})
                ->Int(0);
  AnnouncementRecord copy = a;
  copy.id = id;
  WriteCustomers(c, copy);
  return id;
}

void UpdateAnnouncement(Connection& c, const AnnouncementRecord& a) {
  c.Execute(kUpdateAnnouncement, {a.tenant.value, a.id, a.title, a.body, a.severity, a.starts_at, Nullable(a.ends_at),
                                  std::int64_t{a.start_announced}, a.updated_at});
  WriteCustomers(c, a);
}

void DeleteAnnouncement(Connection& c, TenantId tenant, std::int64_t id) {
  c.Execute(kClearAddressed, {tenant.value, id});
  c.Execute(kDeleteAnnouncement, {tenant.value, id});
}

std::vector<AnnouncementRecord> AnnouncementsStartedUnannounced(Connection& c, UnixSeconds now, std::int64_t limit) {
  std::vector<AnnouncementRecord> out;
  for (const auto& r : c.Query(kStartedUnannounced, {now, limit})) out.push_back(ReadAnnouncement(r));
  for (auto& a : out) {
    for (const auto& r : c.Query(kAddressedOne, {a.id})) a.customers.emplace_back(r.Int(0));
  }
  return out;
}

void MarkAnnouncementStartAnnounced(Connection& c, std::int64_t id) { c.Execute(kMarkStartAnnounced, {id}); }

std::vector<CustomerId> CustomersOfTenant(Connection& c, TenantId tenant, const std::vector<CustomerId>& ids) {
  std::vector<CustomerId> out;
  for (auto id : ids) {
    if (c.QueryOne(kIsCustomerOfTenant, {tenant.value, id.value})) out.push_back(id);
  }
  return out;
}

// ---- technician profiles ----

std::optional<TechnicianProfile> FindTechnicianProfile(Connection& c, TenantId tenant, UserId user) {
  auto row = c.QueryOne(kFindProfile, {tenant.value, user.value});
  if (!row) return std::nullopt;
  return TechnicianProfile{row->OptText(0), row->OptText(1), row->OptText(2)};
}

std::vector<std::pair<UserId, TechnicianProfile>> ListTechnicianProfiles(Connection& c, TenantId tenant) {
  std::vector<std::pair<UserId, TechnicianProfile>> out;
  for (const auto& r : c.Query(kListProfiles, {tenant.value})) {
    out.emplace_back(UserId(r.Int(0)), TechnicianProfile{r.OptText(1), r.OptText(2), r.OptText(3)});
  }
  return out;
}

void UpsertTechnicianProfile(Connection& c, TenantId tenant, UserId user, const TechnicianProfile& p, UnixSeconds now) {
  c.Execute(kUpsertProfile, {user.value, tenant.value, Nullable(p.phone), Nullable(p.certification_level),
                             Nullable(p.hire_date), now});
}

}  // namespace portico::storage
