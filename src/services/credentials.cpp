#include "services/credentials.h"

#include <boost/json.hpp>

#include "storage/accounts_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {

bool CredentialAlive(storage::Connection& c, const Credential& credential, UnixSeconds now, const Config& config) {
  if (credential.kind == AuthKind::kToken) return storage::TokenAlive(c, TokenId(credential.id));
  return storage::SessionAlive(c, credential.id, now, now - config.session_idle_minutes * 60);
}

storage::EventRecord RecordAuthChanged(storage::Connection& c, TenantId tenant, UserId user, std::string_view reason,
                                       UnixSeconds now) {
  storage::EventRecord e;
  e.tenant = tenant;
  e.type = "auth.changed";
  e.user = user;
  e.data = boost::json::serialize(boost::json::object{{"reason", reason}});
  e.occurred_at = now;
  e.id = storage::InsertEvent(c, e);
  return e;
}

}  // namespace portico::services
