// SQL fragments for row scopes, shared by the repositories that compose statements at run time (repairs,
// events, figures): the tenant always; customer users also their customer ids. Fragments are built from
// constants and placeholders only; values go in as bound parameters.
#pragma once

#include <string>
#include <vector>

#include "policy/policy.h"
#include "storage/db.h"

namespace portico::storage {

/// "tenant_col = $1 AND customer_col IN ($2, ...)" for `scope` (staff: the tenant only; an empty customer
/// scope sees nothing). `dense`: see ListRepairs (walk the tenant's date index).
std::string ScopeWhere(const policy::CustomerScope& scope, const char* tenant_col, const char* customer_col,
                       bool dense = false);
/// Binds the parameters ScopeWhere refers to ($1 the tenant, then the customers).
void BindScope(std::vector<Value>& params, const policy::CustomerScope& scope);
/// The placeholder of the last bound parameter ("$N").
std::string Param(const std::vector<Value>& params);
/// " AND col IN ($n, $n+1, ...)" binding `values`.
std::string InList(std::vector<Value>& params, const char* col, const std::vector<std::string>& values);

}  // namespace portico::storage
