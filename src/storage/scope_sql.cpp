#include "storage/scope_sql.h"

namespace portico::storage {

// ---- scope fragments: the tenant always; customer users also their customer ids ----
// Customer scopes bind one placeholder per customer ("customer_id IN ($2, $3)"), so that the planner
// uses the (customer_id, tenant_id, created_at) index: for one customer it is both covering and in
// order. For several, the tenant column is written "+col" (a no-op in PostgreSQL), which keeps SQLite
// from walking the tenant-wide index instead. An empty scope sees nothing.
// `dense`: the customers hold many repairs, so walking the tenant's date index until a page is full is
// cheaper than sorting all of theirs; ListRepairs decides from repair_counts.
std::string ScopeWhere(const policy::CustomerScope& scope, const char* tenant_col, const char* customer_col,
                       bool dense) {
  if (scope.all_of_tenant) return std::string(tenant_col) + " = $1";
  if (scope.customers.empty()) return std::string(tenant_col) + " = $1 AND 0 = 1";
  std::string w = std::string(scope.customers.size() > 1 && !dense ? "+" : "") + tenant_col + " = $1 AND " +
                  customer_col + " IN (";
  for (std::size_t i = 0; i < scope.customers.size(); ++i) w += (i ? ", $" : "$") + std::to_string(i + 2);
  return w + ")";
}

void BindScope(std::vector<Value>& params, const policy::CustomerScope& scope) {
  params.emplace_back(scope.tenant.value);
  if (!scope.all_of_tenant) {
    for (auto id : scope.customers) params.emplace_back(id.value);
  }
}

std::string Param(const std::vector<Value>& params) { return "$" + std::to_string(params.size()); }

/// " AND col IN ($n, $n+1, ...)" binding `values`.
std::string InList(std::vector<Value>& params, const char* col, const std::vector<std::string>& values) {
  std::string w = std::string(" AND ") + col + " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    w += (i ? ", " : "") + Param(params);
  }
  return w + ")";
}

}  // namespace portico::storage
