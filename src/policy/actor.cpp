#include "policy/actor.h"

namespace portico::policy {

std::optional<domain::CustomerAccess> Actor::AccessTo(CustomerId customer) const {
  if (IsStaff()) return std::nullopt;
  for (const auto& g : customers) {
    if (g.customer == customer) return g.access;
  }
  return std::nullopt;
}

}  // namespace portico::policy
