#include "services/account_services.h"

#include "core/crypto.h"
#include "core/error.h"
#include "domain/client_requests.h"
#include "domain/money.h"
#include "domain/mentions.h"
#include "domain/password_rules.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/attachments_repository.h"
#include "storage/customers_repository.h"
#include "storage/handles_repository.h"
#include "services/field_checks.h"
#include "services/support_service.h"
#include "storage/support_repository.h"

namespace portico::services {
namespace {

using policy::Action;

void Require(const policy::Actor& actor, Action action) {
  if (!policy::Can(actor, action)) throw Error::Forbidden();
}

/// The password rules of API.md, the same as sign-up, invitation and reset apply (domain/password_rules.h).
void CheckPassword(FieldErrors& errors, const std::string& password, const std::string& email) {
  if (auto problem = domain::PasswordProblem(password, email)) errors["password"].push_back(*problem);
}

void CheckEmail(FieldErrors& errors, const std::string& email) {
  if (!LooksLikeEmail(email)) errors["email"].push_back("Must be an e-mail address.");
}

void Throw(FieldErrors errors) { ThrowIfInvalid(std::move(errors)); }

TenantId TenantBySlug(storage::Connection& c, const std::string& slug) {
  auto t = storage::FindTenantBySlug(c, slug);
  if (!t) throw Error(ErrorCode::kNotFound, "No tenant '" + slug + "'.");
  return t->id;
}

}  // namespace

// ---- users ----

PageOf<storage::UserRecord> UserService::List(const policy::Actor& actor, const std::optional<std::string>& role,
                                              const PageRequest& page) {
  Require(actor, Action::kManageUsers);
  auto tx = deps_.db.Read();
  auto out = storage::ListUsers(tx->conn(), actor.tenant, role, page);
  std::vector<storage::UserRecord*> users;
  for (auto& u : out.results) users.push_back(&u);
  AttachProfiles(tx->conn(), actor, users);
  return out;
}

void UserService::AttachProfiles(storage::Connection& c, const policy::Actor& actor,
                                 std::vector<storage::UserRecord*> users) {
  if (!policy::Can(actor, Action::kReadTechnicianProfiles)) return;
  bool any = false;
  for (auto* u : users) any = any || u->role == domain::Role::kTechnician;
  if (!any) return;
  auto profiles = storage::ListTechnicianProfiles(c, actor.tenant);
  for (auto* u : users) {
    if (u->role != domain::Role::kTechnician) continue;
    u->technician_profile = storage::TechnicianProfile{};
    for (const auto& [id, p] : profiles) {
      if (id == u->id) u->technician_profile = p;
    }
  }
}

storage::UserRecord UserService::Get(const policy::Actor& actor, UserId id) {
  if (!policy::SeesUserId(actor, id)) throw Error::NotFound("No such user.");
  auto tx = deps_.db.Read();
  auto u = storage::FindUser(tx->conn(), actor.tenant, id);
  if (!u) throw Error::NotFound("No such user.");
  Require(actor, Action::kManageUsers);
  AttachProfiles(tx->conn(), actor, {&*u});
  return *u;
}

storage::UserRecord UserService::Insert(TenantId tenant, const NewUser& in) {
  FieldErrors errors;
  std::string email = NormaliseEmail(in.email);
  CheckEmail(errors, email);
  CheckName(errors, "name", in.name);
  auto role = domain::ParseRole(in.role);
  if (!role) errors["role"].push_back("Must be one of admin, manager, technician, customer.");
  CheckPassword(errors, in.password, email);
  std::optional<std::string> handle;
  if (in.handle) handle = CheckHandle(errors, *in.handle);
  Throw(std::move(errors));
  storage::UserRecord u;
  u.tenant = tenant;
  u.email = email;
  u.name = in.name;
  u.role = *role;
  u.password_hash = HashingGate::Hash(in.password, auth_.HashCost());  // before the write lock
  u.created_at = u.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (storage::FindUserByEmail(tx->conn(), tenant, email)) {
    throw Error::Conflict("A user with this e-mail already exists in this tenant.");
  }
  if (handle && storage::HandleTaken(tx->conn(), tenant, *handle, std::nullopt)) {
    throw Error::Conflict("Another user of this shop has this handle.");
  }
  u.handle = handle ? *handle : storage::UniqueHandle(tx->conn(), tenant, domain::HandleBaseFromEmail(email));
  u.id = storage::InsertUser(tx->conn(), u);
  tx->Commit();
  if (u.role == domain::Role::kTechnician) u.technician_profile = storage::TechnicianProfile{};
  return u;
}

storage::UserRecord UserService::Create(const policy::Actor& actor, const NewUser& in) {
  Require(actor, Action::kManageUsers);
  return Insert(actor.tenant, in);
}

storage::UserRecord UserService::CreateInTenant(const std::string& tenant_slug, const NewUser& in) {
  TenantId tenant;
  {
    auto tx = deps_.db.Read();
    tenant = TenantBySlug(tx->conn(), tenant_slug);
  }
  return Insert(tenant, in);
}

storage::UserRecord UserService::Update(const policy::Actor& actor, UserId id, const UserPatch& patch) {
  if (!policy::SeesUserId(actor, id)) throw Error::NotFound("No such user.");
  std::string current_email;
  {
    auto tx = deps_.db.Read();
    auto found = storage::FindUser(tx->conn(), actor.tenant, id);
    if (!found) throw Error::NotFound("No such user.");
    current_email = found->email;
  }
  Require(actor, Action::kManageUsers);
  FieldErrors errors;
  std::optional<std::string> email;
  if (patch.email) {
    email = NormaliseEmail(*patch.email);
    CheckEmail(errors, *email);
  }
  if (patch.name) CheckName(errors, "name", *patch.name);
  std::optional<domain::Role> role;
  if (patch.role) {
    role = domain::ParseRole(*patch.role);
    if (!role) errors["role"].push_back("Must be one of admin, manager, technician, customer.");
  }
  if (patch.password) CheckPassword(errors, *patch.password, email.value_or(current_email));
  std::optional<std::string> handle;
  if (patch.handle) handle = CheckHandle(errors, *patch.handle);
  const bool profile_change = patch.phone || patch.certification_level || patch.hire_date;
  if (profile_change && !policy::Can(actor, Action::kEditTechnicianProfile)) throw Error::Forbidden();
  auto check_short = [&](const char* field, const std::optional<std::optional<std::string>>& v) {
    if (v && *v && CountCharacters(**v) > 50) errors[field].push_back("At most 50 characters.");
  };
  check_short("phone", patch.phone);
  check_short("certification_level", patch.certification_level);
  if (patch.hire_date && *patch.hire_date && !ParseDate(**patch.hire_date)) {
    errors["hire_date"].push_back("A date, YYYY-MM-DD.");
  }
  if (id == actor.user && ((role && *role != domain::Role::kAdmin) || (patch.is_active && !*patch.is_active))) {
    errors[role ? "role" : "is_active"].push_back("You cannot remove your own administrator access.");
  }
  Throw(std::move(errors));
  std::optional<std::string> hash;
  if (patch.password) hash = HashingGate::Hash(*patch.password, auth_.HashCost());

  auto tx = deps_.db.Write();
  auto u = storage::FindUser(tx->conn(), actor.tenant, id);
  if (!u) throw Error::NotFound("No such user.");
  if (email && *email != u->email) {
    if (storage::FindUserByEmail(tx->conn(), actor.tenant, *email)) {
      throw Error::Conflict("A user with this e-mail already exists in this tenant.");
    }
    u->email = *email;
  }
  if (handle && *handle != u->handle) {
    if (storage::HandleTaken(tx->conn(), actor.tenant, *handle, id)) {
      throw Error::Conflict("Another user of this shop has this handle.");
    }
    u->handle = *handle;
  }
  if (patch.name) u->name = *patch.name;
  const bool role_changed = role && *role != u->role;
  if (role) u->role = *role;
  if (hash) u->password_hash = *hash;
  const bool deactivated = patch.is_active && !*patch.is_active && u->is_active;
  if (patch.is_active) u->is_active = *patch.is_active;
  const UnixSeconds now = deps_.clock.Now();
  u->updated_at = now;
  if (profile_change) {
    if (u->role != domain::Role::kTechnician) {
      throw Error::Field(patch.phone ? "phone" : patch.certification_level ? "certification_level" : "hire_date",
                         "Only technicians have a profile.");
    }
    auto profile = storage::FindTechnicianProfile(tx->conn(), actor.tenant, id).value_or(storage::TechnicianProfile{});
    if (patch.phone) profile.phone = *patch.phone;
    if (patch.certification_level) profile.certification_level = *patch.certification_level;
    if (patch.hire_date) profile.hire_date = *patch.hire_date;
    storage::UpsertTechnicianProfile(tx->conn(), actor.tenant, id, profile, u->updated_at);
  }
  storage::UpdateUser(tx->conn(), *u);
  AttachProfiles(tx->conn(), actor, {&*u});
  // A new password or a deactivation ends the user's sessions and API tokens everywhere; a new role
  // changes what the user's open streams may see. Either way the user's live streams re-check at once.
  std::optional<storage::EventRecord> event;
  if (hash || deactivated) {
    storage::DeleteUserSessions(tx->conn(), id);
    storage::RevokeUserTokens(tx->conn(), id, now);
    event = RecordAuthChanged(tx->conn(), actor.tenant, id, hash ? "password_changed" : "deactivated", now);
  } else if (role_changed) {
    event = RecordAuthChanged(tx->conn(), actor.tenant, id, "role_changed", now);
  }
  tx->Commit();
  if (event) Publish(*event);
  return *u;
}

// ---- customers ----

PageOf<storage::CustomerRecord> CustomerService::List(const policy::Actor& actor,
                                                      const std::optional<std::string>& q, const PageRequest& page) {
  auto tx = deps_.db.Read();
  return storage::ListCustomers(tx->conn(), policy::ScopeOf(actor), q, page);
}

storage::CustomerRecord CustomerService::Get(const policy::Actor& actor, CustomerId id) {
  auto tx = deps_.db.Read();
  auto c = storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), id);
  if (!c) throw Error::NotFound("No such customer.");
  return *c;
}

storage::CustomerRecord CustomerService::Insert(TenantId tenant, const NewCustomer& in) {
  FieldErrors errors;
  CheckName(errors, "name", in.name);
  if (in.address.size() > 500) errors["address"].push_back("At most 500 characters.");
  if (in.phone.size() > 50) errors["phone"].push_back("At most 50 characters.");
  storage::CustomerRecord c;
  if (in.email && !in.email->empty()) {
    c.email = NormaliseEmail(*in.email);
    CheckEmail(errors, *c.email);
  }
  Throw(std::move(errors));
  c.tenant = tenant;
  c.name = in.name;
  c.address = in.address;
  c.phone = in.phone;
  c.created_at = c.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  try {
    c.id = storage::InsertCustomer(tx->conn(), c);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) throw Error::Conflict("A customer with this e-mail already exists.");
    throw;
  }
  tx->Commit();
  return c;
}

storage::CustomerRecord CustomerService::Create(const policy::Actor& actor, const NewCustomer& in) {
  Require(actor, Action::kCreateCustomer);
  return Insert(actor.tenant, in);
}

storage::CustomerRecord CustomerService::CreateInTenant(const std::string& tenant_slug, const NewCustomer& in) {
  TenantId tenant;
  {
    auto tx = deps_.db.Read();
    tenant = TenantBySlug(tx->conn(), tenant_slug);
  }
  return Insert(tenant, in);
}

storage::CustomerRecord CustomerService::Update(const policy::Actor& actor, CustomerId id, const CustomerPatch& patch) {
  auto scope = policy::ScopeOf(actor);
  auto tx = deps_.db.Write();
  auto c = storage::FindCustomer(tx->conn(), scope, id);
  if (!c) throw Error::NotFound("No such customer.");
  if (!policy::CanOnCustomer(actor, Action::kUpdateCustomer, id)) throw Error::Forbidden();
  auto editable = policy::EditableCustomerFields(actor, id);
  auto may = [&](const char* f) { return std::find(editable.begin(), editable.end(), f) != editable.end(); };
  FieldErrors errors;
  auto check = [&](const char* field, bool present) {
    if (present && !may(field)) errors[field].push_back("You may not change this field.");
  };
  check("name", patch.name.has_value());
  check("address", patch.address.has_value());
  check("phone", patch.phone.has_value());
  check("email", patch.email.has_value());
  check("is_active", patch.is_active.has_value());
  if (!errors.empty()) throw Error(ErrorCode::kForbidden, "You may only change: " + [&] {
    std::string s;
    for (const auto& f : editable) s += (s.empty() ? "" : ", ") + f;
    return s;
  }() + ".");
  if (patch.name) CheckName(errors, "name", *patch.name);
  if (patch.address && patch.address->size() > 500) errors["address"].push_back("At most 500 characters.");
  if (patch.phone && patch.phone->size() > 50) errors["phone"].push_back("At most 50 characters.");
  std::optional<std::string> email;
  if (patch.email && !patch.email->empty()) {
    email = NormaliseEmail(*patch.email);
    CheckEmail(errors, *email);
  }
  Throw(std::move(errors));
  if (patch.name) c->name = *patch.name;
  if (patch.address) c->address = *patch.address;
  if (patch.phone) c->phone = *patch.phone;
  if (patch.email) c->email = email;
  if (patch.is_active) c->is_active = *patch.is_active;
  c->updated_at = deps_.clock.Now();
  try {
    storage::UpdateCustomer(tx->conn(), *c);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) throw Error::Conflict("A customer with this e-mail already exists.");
    throw;
  }
  tx->Commit();
  return *c;
}

std::vector<storage::AccessRecord> CustomerService::ListAccess(const policy::Actor& actor, CustomerId id) {
  auto tx = deps_.db.Read();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), id)) throw Error::NotFound("No such customer.");
  Require(actor, Action::kReadCustomerAccess);
  return storage::ListAccessOfCustomer(tx->conn(), actor.tenant, id);
}

void CustomerService::GrantIn(storage::Connection& c, TenantId tenant, CustomerId id, const AccessGrant& grant) {
  FieldErrors errors;
  auto access = domain::ParseCustomerAccess(grant.access);
  if (!access) errors["access"].push_back("Must be one of approver, requester, viewer.");
  auto user = storage::FindUser(c, tenant, grant.user);
  if (!user) {
    errors["user_id"].push_back("No such user.");
  } else if (user->role != domain::Role::kCustomer) {
    errors["user_id"].push_back("Only customer users get customer access.");
  }
  std::optional<std::int64_t> limit;
  if (grant.approval_limit && *grant.approval_limit) {
    limit = domain::ParseMoney(**grant.approval_limit);
    if (!limit || *limit < 0 || *limit > domain::kMaxChangeOrderCents) {
      errors["approval_limit"].push_back("An amount like \"500.00\" (not negative), or null for no limit.");
    }
  }
  Throw(std::move(errors));
  storage::UpsertAccess(c, tenant, id, grant.user, *access, grant.is_primary_contact, deps_.clock.Now());
  if (grant.approval_limit) storage::SetApprovalLimit(c, id, grant.user, limit);
}

storage::AccessRecord CustomerService::Grant(const policy::Actor& actor, CustomerId id, const AccessGrant& grant) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), id)) throw Error::NotFound("No such customer.");
  Require(actor, Action::kManageAccess);
  GrantIn(tx->conn(), actor.tenant, id, grant);
  storage::AccessRecord out;
  for (auto& a : storage::ListAccessOfCustomer(tx->conn(), actor.tenant, id)) {
    if (a.user == grant.user) out = a;
  }
  auto event = RecordAuthChanged(tx->conn(), actor.tenant, grant.user, "access_changed", deps_.clock.Now());
  tx->Commit();
  Publish(event);
  return out;
}

void CustomerService::GrantInTenant(const std::string& tenant_slug, CustomerId id, const AccessGrant& grant) {
  auto tx = deps_.db.Write();
  policy::CustomerScope scope;
  scope.tenant = TenantBySlug(tx->conn(), tenant_slug);
  scope.all_of_tenant = true;
  if (!storage::FindCustomer(tx->conn(), scope, id)) throw Error::NotFound("No such customer in this tenant.");
  GrantIn(tx->conn(), scope.tenant, id, grant);
  tx->Commit();
}

void CustomerService::Revoke(const policy::Actor& actor, CustomerId id, UserId user) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), id)) throw Error::NotFound("No such customer.");
  Require(actor, Action::kManageAccess);
  if (!storage::DeleteAccess(tx->conn(), actor.tenant, id, user)) throw Error::NotFound("This user has no access.");
  auto event = RecordAuthChanged(tx->conn(), actor.tenant, user, "access_changed", deps_.clock.Now());
  tx->Commit();
  Publish(event);
}

storage::Preferences CustomerService::GetPreferences(const policy::Actor& actor, CustomerId id) {
  auto c = Get(actor, id);
  if (!policy::CanOnCustomer(actor, Action::kReadPreferences, id)) throw Error::Forbidden();
  return c.preferences;
}

storage::Preferences CustomerService::PutPreferences(const policy::Actor& actor, CustomerId id,
                                                     const storage::Preferences& p) {
  auto tx = deps_.db.Write();
  if (!storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), id)) throw Error::NotFound("No such customer.");
  if (!policy::CanOnCustomer(actor, Action::kWritePreferences, id)) throw Error::Forbidden();
  if (p.default_view != "REPAIRS" && p.default_view != "UNITS" && p.default_view != "DASHBOARD") {
    throw Error::Field("default_view", "Must be one of REPAIRS, UNITS, DASHBOARD.");
  }
  storage::UpdatePreferences(tx->conn(), actor.tenant, id, p, deps_.clock.Now());
  tx->Commit();
  return p;
}

}  // namespace portico::services
