#include "storage/shop_repository.h"

#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

constexpr Sql kFindSettings{"find_shop_settings",
                            "SELECT tenant_id, time_zone, bays, opening_hours, slot_minutes, updated_at "
                            "FROM shop_settings WHERE tenant_id = $1"};
constexpr Sql kUpsertSettings{"upsert_shop_settings",
                              "INSERT INTO shop_settings (tenant_id, time_zone, bays, opening_hours, slot_minutes, "
                              "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id) DO UPDATE SET "
                              "time_zone = excluded.time_zone, bays = excluded.bays, opening_hours = "
                              "excluded.opening_hours, slot_minutes = excluded.slot_minutes, updated_at = "
                              "excluded.updated_at"};
constexpr Sql kLockTenant{"lock_tenant_for_booking", "SELECT id FROM tenants WHERE id = $1 FOR UPDATE"};

#define SERVICE_TYPE_SELECT \
  "SELECT id, tenant_id, name, duration_minutes, active, created_at, updated_at FROM service_types "
constexpr Sql kListServiceTypes{"list_service_types",
                                SERVICE_TYPE_SELECT "WHERE tenant_id = $1 AND ($2 = 0 OR active = 1) "
                                                    "ORDER BY name, id LIMIT 1000"};
constexpr Sql kFindServiceType{"find_service_type", SERVICE_TYPE_SELECT "WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kInsertServiceType{"insert_service_type",
                                 "INSERT INTO service_types (tenant_id, name, duration_minutes, active, created_at, "
                                 "updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id"};
constexpr Sql kUpdateServiceType{"update_service_type",
                                 "UPDATE service_types SET name = $3, duration_minutes = $4, active = $5, "
                                 "updated_at = $6 WHERE tenant_id = $1 AND id = $2"};

#define APPOINTMENT_COLUMNS                                                                                 \
  "a.id, a.tenant_id, a.customer_id, a.unit_id, a.service_type_id, a.repair_id, a.technician_id, "           \
  "a.starts_at, a.ends_at, a.status, a.notes, a.cancel_reason, a.reminder_sent_at, a.created_at, a.updated_at "
constexpr Sql kInsertAppointment{"insert_appointment",
                                 "INSERT INTO appointments (tenant_id, customer_id, unit_id, service_type_id, "
                                 "repair_id, technician_id, starts_at, ends_at, status, notes, created_by, "
                                 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                                 "$12, $12) RETURNING id"};
constexpr Sql kUpdateAppointment{"update_appointment",
                                 "UPDATE appointments SET repair_id = $3, technician_id = $4, starts_at = $5, "
                                 "ends_at = $6, status = $7, notes = $8, cancel_reason = $9, updated_at = $10, "
                                 "reminder_sent_at = $11 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kHolding{"holding_appointments",
                       "SELECT starts_at, ends_at, technician_id FROM appointments WHERE tenant_id = $1 "
                       "AND status IN ('requested', 'confirmed') AND starts_at < $3 AND ends_at > $2 AND id <> $4 "
                       "ORDER BY starts_at LIMIT 10000"};
constexpr Sql kSchedules{"schedules_between",
                         "SELECT s.technician_id, s.date, s.start_minute, s.end_minute, s.is_available FROM schedules s "
                         "JOIN users u ON u.id = s.technician_id AND u.is_active = 1 AND u.role = 'technician' "
                         "WHERE s.tenant_id = $1 AND s.date >= $2 AND s.date <= $3 "
                         "ORDER BY s.technician_id, s.date, s.start_minute LIMIT 20000"};
constexpr Sql kDueReminders{"due_reminders",
                            "SELECT " APPOINTMENT_COLUMNS "FROM appointments a WHERE a.status = 'confirmed' "
                            "AND a.reminder_sent_at IS NULL AND a.starts_at > $1 AND a.starts_at <= $2 "
                            "ORDER BY a.starts_at LIMIT $3"};
constexpr Sql kClaimReminder{"claim_reminder",
                             "UPDATE appointments SET reminder_sent_at = $2 WHERE id = $1 AND reminder_sent_at IS NULL "
                             "AND status = 'confirmed'"};

constexpr Sql kSetCalendarToken{"set_calendar_token",
                                "INSERT INTO calendar_tokens (user_id, tenant_id, token_hash, created_at) "
                                "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
                                "token_hash = excluded.token_hash, created_at = excluded.created_at"};
constexpr Sql kDeleteCalendarToken{"delete_calendar_token", "DELETE FROM calendar_tokens WHERE user_id = $1"};
constexpr Sql kFindCalendarToken{"find_calendar_token",
                                 "SELECT t.tenant_id, t.user_id FROM calendar_tokens t JOIN users u ON u.id = t.user_id "
                                 "AND u.is_active = 1 WHERE t.token_hash = $1"};

ServiceTypeRecord ReadServiceType(const Row& r) {
  ServiceTypeRecord s;
  s.id = r.Int(0);
  s.tenant = TenantId(r.Int(1));
  s.name = r.Text(2);
  s.duration_minutes = r.Int(3);
  s.active = r.Bool(4);
  s.created_at = r.Int(5);
  s.updated_at = r.Int(6);
  return s;
}

AppointmentRecord ReadAppointment(const Row& r) {
  AppointmentRecord a;
  a.id = r.Int(0);
  a.tenant = TenantId(r.Int(1));
  a.customer = CustomerId(r.Int(2));
  a.unit = UnitId(r.Int(3));
  a.service_type = r.Int(4);
  if (auto v = r.OptInt(5)) a.repair = RepairId(*v);
  if (auto v = r.OptInt(6)) a.technician = UserId(*v);
  a.starts_at = r.Int(7);
  a.ends_at = r.Int(8);
  a.status = r.Text(9);
  a.notes = r.Text(10);
  a.cancel_reason = r.Text(11);
  a.reminder_sent_at = r.OptInt(12);
  a.created_at = r.Int(13);
  a.updated_at = r.Int(14);
  return a;
}

Value OptId(std::optional<std::int64_t> v) { return v ? Value(*v) : Value(nullptr); }

}  // namespace

std::optional<ShopSettingsRecord> FindShopSettings(Connection& c, TenantId tenant) {
  auto r = c.QueryOne(kFindSettings, {tenant.value});
  if (!r) return std::nullopt;
  ShopSettingsRecord s;
  s.tenant = TenantId(r->Int(0));
  s.time_zone = r->Text(1);
  s.bays = r->Int(2);
  s.opening_hours = r->Text(3);
  s.slot_minutes = r->Int(4);
  s.updated_at = r->Int(5);
  return s;
}

void UpsertShopSettings(Connection& c, const ShopSettingsRecord& s) {
  c.Execute(kUpsertSettings, {s.tenant.value, s.time_zone, s.bays, s.opening_hours, s.slot_minutes, s.updated_at});
}

void LockTenantForBooking(Connection& c, TenantId tenant) {
  if (c.dialect() == Dialect::kPostgres) c.Query(kLockTenant, {tenant.value});
}

std::vector<ServiceTypeRecord> ListServiceTypes(Connection& c, TenantId tenant, bool active_only) {
  std::vector<ServiceTypeRecord> out;
  for (const auto& r : c.Query(kListServiceTypes, {tenant.value, std::int64_t{active_only}})) {
    out.push_back(ReadServiceType(r));
  }
  return out;
}

std::optional<ServiceTypeRecord> FindServiceType(Connection& c, TenantId tenant, std::int64_t id) {
  auto r = c.QueryOne(kFindServiceType, {tenant.value, id});
  if (!r) return std::nullopt;
  return ReadServiceType(*r);
}

std::int64_t InsertServiceType(Connection& c, const ServiceTypeRecord& s) {
  return c.QueryOne(kInsertServiceType, {s.tenant.value, s.name, s.duration_minutes, std::int64_t{s.active},
                                         s.created_at})
      ->Int(0);
}

void UpdateServiceType(Connection& c, const ServiceTypeRecord& s) {
  c.Execute(kUpdateServiceType,
            {s.tenant.value, s.id, s.name, s.duration_minutes, std::int64_t{s.active}, s.updated_at});
}

std::vector<AppointmentRecord> ListAppointments(Connection& c, const policy::CustomerScope& scope,
                                                const AppointmentFilter& f) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string sql = "SELECT " APPOINTMENT_COLUMNS "FROM appointments a WHERE " +
                    ScopeWhere(scope, "a.tenant_id", "a.customer_id");
  if (f.from) {
    p.emplace_back(*f.from);
    sql += " AND a.starts_at >= " + Param(p);
  }
  if (f.to) {
    p.emplace_back(*f.to);
    sql += " AND a.starts_at < " + Param(p);
  }
  if (f.customer) {
    p.emplace_back(f.customer->value);
    sql += " AND a.customer_id = " + Param(p);
  }
  if (f.technician) {
    p.emplace_back(f.technician->value);
    sql += " AND a.technician_id = " + Param(p);
  }
  if (!f.statuses.empty()) sql += InList(p, "a.status", f.statuses);
  sql += " ORDER BY a.starts_at, a.id LIMIT 1000";
  std::vector<AppointmentRecord> out;
  for (const auto& r : c.QueryV(ComposedSql("list_appointments", sql), p)) out.push_back(ReadAppointment(r));
  return out;
}

std::optional<AppointmentRecord> FindAppointment(Connection& c, const policy::CustomerScope& scope, std::int64_t id) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string sql = "SELECT " APPOINTMENT_COLUMNS "FROM appointments a WHERE " +
                    ScopeWhere(scope, "a.tenant_id", "a.customer_id");
  p.emplace_back(id);
  sql += " AND a.id = " + Param(p);
  auto rows = c.QueryV(ComposedSql("find_appointment", sql), p);
  if (rows.empty()) return std::nullopt;
  return ReadAppointment(rows.front());
}

std::int64_t InsertAppointment(Connection& c, const AppointmentRecord& a) {
  return c.QueryOne(kInsertAppointment,
                    {a.tenant.value, a.customer.value, a.unit.value, a.service_type,
                     OptId(a.repair ? std::optional(a.repair->value) : std::nullopt),
                     OptId(a.technician ? std::optional(a.technician->value) : std::nullopt), a.starts_at, a.ends_at,
                     a.status, a.notes, Value(nullptr), a.created_at})
      ->Int(0);
}

void UpdateAppointment(Connection& c, const AppointmentRecord& a) {
  c.Execute(kUpdateAppointment,
            {a.tenant.value, a.id, OptId(a.repair ? std::optional(a.repair->value) : std::nullopt),
             OptId(a.technician ? std::optional(a.technician->value) : std::nullopt), a.starts_at, a.ends_at, a.status,
             a.notes, a.cancel_reason, a.updated_at, OptId(a.reminder_sent_at)});
}

std::vector<domain::Booking> HoldingAppointments(Connection& c, TenantId tenant, UnixSeconds from, UnixSeconds to,
                                                 std::int64_t except_id) {
  std::vector<domain::Booking> out;
  for (const auto& r : c.Query(kHolding, {tenant.value, from, to, except_id})) {
    out.push_back({r.Int(0), r.Int(1), r.OptInt(2)});
  }
  return out;
}

std::vector<domain::ScheduleEntry> SchedulesBetween(Connection& c, TenantId tenant, const std::string& from_date,
                                                    const std::string& to_date) {
  std::vector<domain::ScheduleEntry> out;
  for (const auto& r : c.Query(kSchedules, {tenant.value, from_date, to_date})) {
    out.push_back({r.Int(0), r.Text(1), static_cast<int>(r.Int(2)), static_cast<int>(r.Int(3)), r.Bool(4)});
  }
  return out;
}

std::vector<AppointmentRecord> DueReminders(Connection& c, UnixSeconds now, UnixSeconds until, std::int64_t limit) {
  std::vector<AppointmentRecord> out;
  for (const auto& r : c.Query(kDueReminders, {now, until, limit})) out.push_back(ReadAppointment(r));
  return out;
}

bool ClaimReminder(Connection& c, std::int64_t id, UnixSeconds now) { return c.Execute(kClaimReminder, {id, now}) == 1; }

void SetCalendarToken(Connection& c, TenantId tenant, UserId user, const std::string& token_hash, UnixSeconds now) {
  c.Execute(kSetCalendarToken, {user.value, tenant.value, token_hash, now});
}

bool DeleteCalendarToken(Connection& c, UserId user) { return c.Execute(kDeleteCalendarToken, {user.value}) > 0; }

std::optional<std::pair<TenantId, UserId>> FindCalendarToken(Connection& c, const std::string& token_hash) {
  auto r = c.QueryOne(kFindCalendarToken, {token_hash});
  if (!r) return std::nullopt;
  return std::make_pair(TenantId(r->Int(0)), UserId(r->Int(1)));
}

std::string BoardOrderBy(Dialect dialect) {
  return dialect == Dialect::kPostgres
             ? " ORDER BY (r.board_rank IS NOT NULL), r.board_rank COLLATE \"C\", r.priority, r.created_at, r.id"
             : " ORDER BY (r.board_rank IS NOT NULL), r.board_rank COLLATE BINARY, r.priority, r.created_at, r.id";
}

std::vector<BoardCard> BoardColumn(Connection& c, TenantId tenant, const std::string& status) {
  const Sql& sql = ComposedSql("board_column", "SELECT r.id, r.board_rank FROM repairs r WHERE r.tenant_id = $1 "
                                               "AND r.status = $2" + BoardOrderBy(c.dialect()) + " LIMIT 100000");
  std::vector<BoardCard> out;
  for (const auto& r : c.Query(sql, {tenant.value, status})) out.push_back({RepairId(r.Int(0)), r.OptText(1)});
  return out;
}

void SetBoardRank(Connection& c, TenantId tenant, RepairId id, const std::string& rank, UnixSeconds now) {
  static constexpr Sql kSetRank{"set_board_rank",
                                "UPDATE repairs SET board_rank = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"};
  c.Execute(kSetRank, {tenant.value, id.value, rank, now});
}

}  // namespace portico::storage
