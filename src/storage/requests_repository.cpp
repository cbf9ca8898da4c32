#include "storage/requests_repository.h"

#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

// The attachment count is of the request's attachments the reader may see ($N: 1 = internal ones too).
#define REQUEST_COLUMNS                                                                                         \
  "SELECT q.id, q.tenant_id, q.customer_id, q.type, q.title, q.description, q.repair_id, q.unit_id, q.status, " \
  "q.created_by, cu.name, q.decided_by, du.name, q.decided_at, q.decision_notes, q.converted_type, "           \
  "q.converted_id, q.created_at, q.updated_at, "

constexpr const char* kRequestFrom =
    " FROM client_requests q LEFT JOIN users cu ON cu.id = q.created_by LEFT JOIN users du ON du.id = q.decided_by ";

constexpr Sql kInsertRequest{
    "insert_client_request",
    "INSERT INTO client_requests (tenant_id, customer_id, type, title, description, repair_id, unit_id, status, "
    "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id"};
constexpr Sql kUpdateRequest{
    "update_client_request",
    "UPDATE client_requests SET title = $2, description = $3, status = $4, decided_by = $5, decided_at = $6, "
    "decision_notes = $7, converted_type = $8, converted_id = $9, updated_at = $10 WHERE id = $1 AND status = $11"};

#define CHANGE_ORDER_SELECT                                                                                    \
  "SELECT o.id, o.tenant_id, o.customer_id, o.repair_id, o.request_id, o.description, o.amount_cents, o.status, " \
  "o.created_by, cu.name, o.decided_by, du.name, o.decided_at, o.notes, o.created_at, o.updated_at "          \
  "FROM change_orders o LEFT JOIN users cu ON cu.id = o.created_by LEFT JOIN users du ON du.id = o.decided_by "

constexpr Sql kInsertChangeOrder{
    "insert_change_order",
    "INSERT INTO change_orders (tenant_id, customer_id, repair_id, request_id, description, amount_cents, status, "
    "created_by, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, '', $8, $8) RETURNING id"};
constexpr Sql kListChangeOrders{"list_change_orders",
                                CHANGE_ORDER_SELECT "WHERE o.tenant_id = $1 AND o.repair_id = $2 ORDER BY o.id"};
constexpr Sql kDecideChangeOrder{
    "decide_change_order",
    "UPDATE change_orders SET status = $2, decided_by = $3, decided_at = $4, notes = $5, updated_at = $4 "
    "WHERE id = $1 AND status = 'proposed'"};
constexpr Sql kRefreshTotal{
    "refresh_change_orders_total",
    "UPDATE repairs SET change_orders_cents = COALESCE((SELECT SUM(amount_cents) FROM change_orders "
    "WHERE repair_id = $1 AND status = 'approved'), 0), version = version + 1, updated_at = $2 WHERE id = $1 "
    "RETURNING change_orders_cents"};
constexpr Sql kSetRepairRequest{"set_repair_request", "UPDATE repairs SET request_id = $2 WHERE id = $1"};

ClientRequestRecord ReadRequest(const Row& r) {
  ClientRequestRecord q;
  q.id = r.Int(0);
  q.tenant = TenantId(r.Int(1));
  q.customer = CustomerId(r.Int(2));
  q.type = r.Text(3);
  q.title = r.Text(4);
  q.description = r.Text(5);
  q.repair_id = r.OptInt(6);
  q.unit_id = r.OptInt(7);
  q.status = r.Text(8);
  if (auto v = r.OptInt(9)) q.created_by = UserId(*v);
  q.created_by_name = r.Text(10);
  if (auto v = r.OptInt(11)) q.decided_by = UserId(*v);
  q.decided_by_name = r.Text(12);
  q.decided_at = r.OptInt(13);
  q.decision_notes = r.OptText(14);
  q.converted_type = r.OptText(15);
  q.converted_id = r.OptInt(16);
  q.created_at = r.Int(17);
  q.updated_at = r.Int(18);
  q.attachment_count = r.Int(19);
  return q;
}

ChangeOrderRecord ReadChangeOrder(const Row& r) {
  ChangeOrderRecord o;
  o.id = r.Int(0);
  o.tenant = TenantId(r.Int(1));
  o.customer = CustomerId(r.Int(2));
  o.repair = RepairId(r.Int(3));
  o.request_id = r.OptInt(4);
  o.description = r.Text(5);
  o.amount_cents = r.Int(6);
  o.status = r.Text(7);
  if (auto v = r.OptInt(8)) o.created_by = UserId(*v);
  o.created_by_name = r.Text(9);
  if (auto v = r.OptInt(10)) o.decided_by = UserId(*v);
  o.decided_by_name = r.Text(11);
  o.decided_at = r.OptInt(12);
  o.notes = r.Text(13);
  o.created_at = r.Int(14);
  o.updated_at = r.Int(15);
  return o;
}

/// The attachment-count column, binding whether internal attachments count.
std::string AttachmentCount(std::vector<Value>& p, bool internal_too) {
  p.emplace_back(std::int64_t{internal_too ? 1 : 0});
  return "(SELECT COUNT(*) FROM attachments a WHERE a.owner_type = 'request' AND a.owner_id = q.id AND (" +
         Param(p) + " = 1 OR a.visibility = 'customer'))";
}

}  // namespace

std::int64_t InsertClientRequest(Connection& c, const ClientRequestRecord& r) {
  std::vector<Value> p = {r.tenant.value, r.customer.value, r.type, r.title, r.description,
                          Nullable(r.repair_id), Nullable(r.unit_id), r.status,
                          r.created_by ? Value(r.created_by->value) : Value(nullptr), r.created_at};
  return c.QueryV(kInsertRequest, p).front().Int(0);
}

std::optional<ClientRequestRecord> FindClientRequest(Connection& c, const policy::CustomerScope& scope,
                                                     std::int64_t id, bool internal_too) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = ScopeWhere(scope, "q.tenant_id", "q.customer_id");
  std::string count = AttachmentCount(p, internal_too);
  p.emplace_back(id);
  const Sql& sql = ComposedSql("find_client_request", std::string(REQUEST_COLUMNS) + count + kRequestFrom + "WHERE " +
                                                          where + " AND q.id = " + Param(p));
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  return ReadRequest(rows.front());
}

PageOf<ClientRequestRecord> ListClientRequests(Connection& c, const policy::CustomerScope& scope,
                                               const RequestFilter& f, const PageRequest& page, bool internal_too) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = "WHERE " + ScopeWhere(scope, "q.tenant_id", "q.customer_id");
  if (f.status) {
    p.emplace_back(*f.status);
    where += " AND q.status = " + Param(p);
  }
  if (f.type) {
    p.emplace_back(*f.type);
    where += " AND q.type = " + Param(p);
  }
  if (f.customer) {
    p.emplace_back(f.customer->value);
    where += " AND q.customer_id = " + Param(p);
  }
  if (f.repair) {
    p.emplace_back(*f.repair);
    where += " AND q.repair_id = " + Param(p);
  }
  PageOf<ClientRequestRecord> out;
  const Sql& count_sql = ComposedSql("count_client_requests", "SELECT COUNT(*) FROM client_requests q " + where);
  out.count = c.QueryV(count_sql, p).front().Int(0);
  std::string count = AttachmentCount(p, internal_too);
  p.emplace_back(page.page_size);
  std::string limit = " LIMIT " + Param(p);
  p.emplace_back(page.Offset());
  limit += " OFFSET " + Param(p);
  const Sql& sql = ComposedSql("list_client_requests",
                               std::string(REQUEST_COLUMNS) + count + kRequestFrom + where +
                                   " ORDER BY CASE WHEN q.status = 'pending' THEN 0 ELSE 1 END, q.id DESC" + limit);
  for (const auto& r : c.QueryV(sql, p)) out.results.push_back(ReadRequest(r));
  return out;
}

bool UpdateClientRequest(Connection& c, const ClientRequestRecord& r, const std::string& expected_status) {
  std::vector<Value> p = {r.id,
                          r.title,
                          r.description,
                          r.status,
                          r.decided_by ? Value(r.decided_by->value) : Value(nullptr),
                          Nullable(r.decided_at),
                          Nullable(r.decision_notes),
                          Nullable(r.converted_type),
                          Nullable(r.converted_id),
                          r.updated_at,
                          expected_status};
  return c.ExecuteV(kUpdateRequest, p) == 1;
}

std::int64_t InsertChangeOrder(Connection& c, const ChangeOrderRecord& o) {
  std::vector<Value> p = {o.tenant.value, o.customer.value, o.repair.value, Nullable(o.request_id), o.description,
                          o.amount_cents, o.created_by ? Value(o.created_by->value) : Value(nullptr), o.created_at};
  return c.QueryV(kInsertChangeOrder, p).front().Int(0);
}

std::optional<ChangeOrderRecord> FindChangeOrder(Connection& c, const policy::CustomerScope& scope, std::int64_t id) {
  std::vector<Value> p;
  BindScope(p, scope);
  std::string where = ScopeWhere(scope, "o.tenant_id", "o.customer_id");
  p.emplace_back(id);
  const Sql& sql = ComposedSql("find_change_order", std::string(CHANGE_ORDER_SELECT) + "WHERE " + where +
                                                        " AND o.id = " + Param(p));
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  return ReadChangeOrder(rows.front());
}

std::vector<ChangeOrderRecord> ListChangeOrders(Connection& c, TenantId tenant, RepairId repair) {
  std::vector<ChangeOrderRecord> out;
  for (const auto& r : c.Query(kListChangeOrders, {tenant.value, repair.value})) out.push_back(ReadChangeOrder(r));
  return out;
}

bool DecideChangeOrderRow(Connection& c, const ChangeOrderRecord& o) {
  return c.Execute(kDecideChangeOrder, {o.id, o.status, o.decided_by ? Value(o.decided_by->value) : Value(nullptr),
                                        Nullable(o.decided_at), o.notes}) == 1;
}

std::int64_t RefreshChangeOrdersTotal(Connection& c, RepairId repair, UnixSeconds now) {
  return c.Query(kRefreshTotal, {repair.value, now}).front().Int(0);
}

void SetRepairRequest(Connection& c, RepairId repair, std::int64_t request_id) {
  c.Execute(kSetRepairRequest, {repair.value, request_id});
}

}  // namespace portico::storage
