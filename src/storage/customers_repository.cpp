#include "storage/customers_repository.h"

#include "core/error.h"

namespace portico::storage {
namespace {

#define CUSTOMER_SELECT                                                                                      \
  "SELECT id, tenant_id, name, address, phone, email, is_active, receive_email_notifications, "              \
  "receive_sms_notifications, default_view, created_at, updated_at FROM customers "

// A scope is bound as: $1 tenant, $2 = 1 when the whole tenant is visible, $3 = a JSON array of the
// visible customer ids otherwise (SQLite's json_each; PostgreSQL will use = ANY of an array).
#define IN_SCOPE "tenant_id = $1 AND ($2 = 1 OR id IN (SELECT value FROM json_each($3))) "
#define IN_SCOPE_PG "tenant_id = $1 AND ($2 = 1 OR id IN (SELECT value::bigint FROM json_array_elements_text(CAST($3 AS json)))) "

constexpr Sql kFindCustomer{"find_customer", CUSTOMER_SELECT "WHERE " IN_SCOPE "AND id = $4"};
constexpr Sql kListCustomers{"list_customers", CUSTOMER_SELECT "WHERE " IN_SCOPE
                             "AND ($4 IS NULL OR name LIKE $4 OR email LIKE $4) ORDER BY name, id LIMIT $5 OFFSET $6"};
constexpr Sql kCountCustomers{"count_customers", "SELECT COUNT(*) FROM customers WHERE " IN_SCOPE
                              "AND ($4 IS NULL OR name LIKE $4 OR email LIKE $4)"};
// PostgreSQL: the id list through json_array_elements_text; ILIKE (SQLite's LIKE ignores ASCII case).
constexpr Sql kFindCustomerPg{"find_customer", CUSTOMER_SELECT "WHERE " IN_SCOPE_PG "AND id = $4"};
constexpr Sql kListCustomersPg{"list_customers", CUSTOMER_SELECT "WHERE " IN_SCOPE_PG
                               "AND ($4::text IS NULL OR name ILIKE $4 OR email ILIKE $4) ORDER BY name, id "
                               "LIMIT $5 OFFSET $6"};
constexpr Sql kCountCustomersPg{"count_customers", "SELECT COUNT(*) FROM customers WHERE " IN_SCOPE_PG
                                "AND ($4::text IS NULL OR name ILIKE $4 OR email ILIKE $4)"};
constexpr Sql kInsertCustomer{"insert_customer",
                              "INSERT INTO customers (tenant_id, name, address, phone, email, is_active, "
                              "external_ref, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
                              "RETURNING id"};
constexpr Sql kUpdateCustomer{"update_customer",
                              "UPDATE customers SET name = $3, address = $4, phone = $5, email = $6, is_active = $7, "
                              "updated_at = $8 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kUpdatePreferences{"update_preferences",
                                 "UPDATE customers SET receive_email_notifications = $3, "
                                 "receive_sms_notifications = $4, default_view = $5, updated_at = $6 "
                                 "WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kFindByRef{"find_customer_by_ref", "SELECT id FROM customers WHERE tenant_id = $1 AND external_ref = $2"};

#define ACCESS_SELECT                                                                                 \
  "SELECT a.customer_id, c.name, a.user_id, u.name, u.email, a.access, a.is_primary_contact, "        \
  "a.approval_limit_cents "                                                                            \
  "FROM customer_access a JOIN customers c ON c.id = a.customer_id JOIN users u ON u.id = a.user_id "

constexpr Sql kAccessOfUser{"access_of_user", ACCESS_SELECT "WHERE a.user_id = $1 ORDER BY c.name, c.id"};
constexpr Sql kAccessOfCustomer{"access_of_customer",
                                ACCESS_SELECT "WHERE a.tenant_id = $1 AND a.customer_id = $2 ORDER BY u.name, u.id"};
constexpr Sql kUpsertAccess{"upsert_access",
                            "INSERT INTO customer_access (customer_id, user_id, tenant_id, access, is_primary_contact, "
                            "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (customer_id, user_id) DO UPDATE "
                            "SET access = excluded.access, is_primary_contact = excluded.is_primary_contact"};
constexpr Sql kClearPrimary{"clear_primary_contact",
                            "UPDATE customer_access SET is_primary_contact = 0 WHERE customer_id = $1 AND user_id <> $2"};
constexpr Sql kSetApprovalLimit{"set_approval_limit",
                                "UPDATE customer_access SET approval_limit_cents = $3 WHERE customer_id = $1 AND user_id = $2"};
constexpr Sql kDeleteAccess{"delete_access",
                            "DELETE FROM customer_access WHERE tenant_id = $1 AND customer_id = $2 AND user_id = $3"};

CustomerRecord ReadCustomer(const Row& r) {
  CustomerRecord c;
  c.id = CustomerId(r.Int(0));
  c.tenant = TenantId(r.Int(1));
  c.name = r.Text(2);
  c.address = r.Text(3);
  c.phone = r.Text(4);
  c.email = r.OptText(5);
  c.is_active = r.Bool(6);
  c.preferences.receive_email_notifications = r.Bool(7);
  c.preferences.receive_sms_notifications = r.Bool(8);
  c.preferences.default_view = r.Text(9);
  c.created_at = r.Int(10);
  c.updated_at = r.Int(11);
  return c;
}

AccessRecord ReadAccess(const Row& r) {
  AccessRecord a;
  a.customer = CustomerId(r.Int(0));
  a.customer_name = r.Text(1);
  a.user = UserId(r.Int(2));
  a.user_name = r.Text(3);
  a.user_email = r.Text(4);
  a.access = domain::ParseCustomerAccess(r.Text(5)).value_or(domain::CustomerAccess::kViewer);
  a.is_primary_contact = r.Bool(6);
  a.approval_limit_cents = r.OptInt(7);
  return a;
}

std::optional<std::string> LikePattern(const std::optional<std::string>& q) {
  if (!q || q->empty()) return std::nullopt;
  return "%" + *q + "%";
}

}  // namespace

std::string ScopeList(const policy::CustomerScope& scope) {
  std::string list = "[";
  for (auto id : scope.customers) {
    if (list.size() > 1) list += ",";
    list += std::to_string(id.value);
  }
  return list + "]";
}

std::optional<CustomerRecord> FindCustomer(Connection& c, const policy::CustomerScope& scope, CustomerId id) {
  const bool pg = c.dialect() == Dialect::kPostgres;
  auto row = c.QueryOne(pg ? kFindCustomerPg : kFindCustomer,
                        {scope.tenant.value, std::int64_t{scope.all_of_tenant}, ScopeList(scope), id.value});
  if (!row) return std::nullopt;
  return ReadCustomer(*row);
}

PageOf<CustomerRecord> ListCustomers(Connection& c, const policy::CustomerScope& scope,
                                     const std::optional<std::string>& q, const PageRequest& page) {
  PageOf<CustomerRecord> out;
  auto like = Nullable(LikePattern(q));
  auto list = ScopeList(scope);
  const bool pg = c.dialect() == Dialect::kPostgres;
  out.count = c.Query(pg ? kCountCustomersPg : kCountCustomers, {scope.tenant.value, std::int64_t{scope.all_of_tenant}, list, like}).front().Int(0);
  for (const auto& r : c.Query(pg ? kListCustomersPg : kListCustomers, {scope.tenant.value, std::int64_t{scope.all_of_tenant}, list, like,
                                                page.page_size, page.Offset()})) {
    out.results.push_back(ReadCustomer(r));
  }
  return out;
}

CustomerId InsertCustomer(Connection& c, const CustomerRecord& cu, const std::optional<std::string>& external_ref) {
  auto row = c.QueryOne(kInsertCustomer, {cu.tenant.value, cu.name, cu.address, cu.phone, Nullable(cu.email),
                                          std::int64_t{cu.is_active}, Nullable(external_ref), cu.created_at});
  return CustomerId(row->Int(0));
}

void UpdateCustomer(Connection& c, const CustomerRecord& cu) {
  c.Execute(kUpdateCustomer, {cu.tenant.value, cu.id.value, cu.name, cu.address, cu.phone, Nullable(cu.email),
                              std::int64_t{cu.is_active}, cu.updated_at});
}

void UpdatePreferences(Connection& c, TenantId tenant, CustomerId id, const Preferences& p, UnixSeconds now) {
  c.Execute(kUpdatePreferences, {tenant.value, id.value, std::int64_t{p.receive_email_notifications},
                                 std::int64_t{p.receive_sms_notifications}, p.default_view, now});
}

std::optional<CustomerId> FindCustomerByExternalRef(Connection& c, TenantId tenant, const std::string& ref) {
  auto row = c.QueryOne(kFindByRef, {tenant.value, ref});
  if (!row) return std::nullopt;
  return CustomerId(row->Int(0));
}

std::vector<AccessRecord> ListAccessOfUser(Connection& c, UserId user) {
  std::vector<AccessRecord> out;
  for (const auto& r : c.Query(kAccessOfUser, {user.value})) out.push_back(ReadAccess(r));
  return out;
}

std::vector<AccessRecord> ListAccessOfCustomer(Connection& c, TenantId tenant, CustomerId customer) {
  std::vector<AccessRecord> out;
  for (const auto& r : c.Query(kAccessOfCustomer, {tenant.value, customer.value})) out.push_back(ReadAccess(r));
  return out;
}

void UpsertAccess(Connection& c, TenantId tenant, CustomerId customer, UserId user, domain::CustomerAccess access,
                  bool is_primary_contact, UnixSeconds now) {
  c.Execute(kUpsertAccess, {customer.value, user.value, tenant.value, std::string(domain::ToString(access)),
                            std::int64_t{is_primary_contact}, now});
  if (is_primary_contact) c.Execute(kClearPrimary, {customer.value, user.value});
}

bool DeleteAccess(Connection& c, TenantId tenant, CustomerId customer, UserId user) {
  return c.Execute(kDeleteAccess, {tenant.value, customer.value, user.value}) > 0;
}

void SetApprovalLimit(Connection& c, CustomerId customer, UserId user, std::optional<std::int64_t> limit_cents) {
  c.Execute(kSetApprovalLimit, {customer.value, user.value, Nullable(limit_cents)});
}

}  // namespace portico::storage
