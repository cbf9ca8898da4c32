// Use cases on users, customers, customer access, preferences and tenants (issue 2). Each one:
// validate -> load (scoped) -> authorize (policy/) -> one transaction -> result.
// Errors: 404 outside the caller's scope, 403 not allowed, 400 field validation, 409 duplicates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "policy/actor.h"
#include "services/auth_service.h"
#include "services/deps.h"
#include "storage/blob_store.h"
#include "storage/records.h"

namespace portico::services {

struct NewUser {
  std::string email, name, role, password;
  std::optional<std::string> handle;  // issue 11: derived from the e-mail when absent
};
struct UserPatch {
  std::optional<std::string> email, name, role, password;
  std::optional<std::string> handle;  // issue 11
  std::optional<bool> is_active;
  /// Technician profile (API.md "Support content"): absent = unchanged, nullopt inside = cleared.
  std::optional<std::optional<std::string>> phone, certification_level, hire_date;
};

class UserService : public PublishesEvents {
 public:
  UserService(Deps deps, AuthService& auth) : deps_(deps), auth_(auth) {}
  PageOf<storage::UserRecord> List(const policy::Actor& actor, const std::optional<std::string>& role,
                                   const PageRequest& page);
  storage::UserRecord Get(const policy::Actor& actor, UserId id);
  storage::UserRecord Create(const policy::Actor& actor, const NewUser& in);
  /// Creates a user without an actor (the CLI); tenant by slug.
  storage::UserRecord CreateInTenant(const std::string& tenant_slug, const NewUser& in);
  storage::UserRecord Update(const policy::Actor& actor, UserId id, const UserPatch& patch);

 private:
  storage::UserRecord Insert(TenantId tenant, const NewUser& in);
  /// Fills technician_profile of technicians when `actor` may read profiles (staff).
  void AttachProfiles(storage::Connection& c, const policy::Actor& actor, std::vector<storage::UserRecord*> users);
  Deps deps_;
  AuthService& auth_;
};

struct NewCustomer {
  std::string name;
  std::string address, phone;
  std::optional<std::string> email;
};
struct CustomerPatch {
  std::optional<std::string> name, address, phone, email;
  std::optional<bool> is_active;
};
struct AccessGrant {
  UserId user;
  std::string access;
  bool is_primary_contact = false;
  /// Issue 10: absent (keep the current limit; none on a new grant) / null (no limit) / a money string.
  std::optional<std::optional<std::string>> approval_limit;
};

class CustomerService : public PublishesEvents {
 public:
  explicit CustomerService(Deps deps) : deps_(deps) {}
  PageOf<storage::CustomerRecord> List(const policy::Actor& actor, const std::optional<std::string>& q,
                                       const PageRequest& page);
  storage::CustomerRecord Get(const policy::Actor& actor, CustomerId id);
  storage::CustomerRecord Create(const policy::Actor& actor, const NewCustomer& in);
  /// The CLI's create, in a tenant by slug.
  storage::CustomerRecord CreateInTenant(const std::string& tenant_slug, const NewCustomer& in);
  storage::CustomerRecord Update(const policy::Actor& actor, CustomerId id, const CustomerPatch& patch);

  std::vector<storage::AccessRecord> ListAccess(const policy::Actor& actor, CustomerId id);
  storage::AccessRecord Grant(const policy::Actor& actor, CustomerId id, const AccessGrant& grant);
  /// The CLI's grant, in a tenant by slug.
  void GrantInTenant(const std::string& tenant_slug, CustomerId id, const AccessGrant& grant);
  void Revoke(const policy::Actor& actor, CustomerId id, UserId user);

  storage::Preferences GetPreferences(const policy::Actor& actor, CustomerId id);
  storage::Preferences PutPreferences(const policy::Actor& actor, CustomerId id, const storage::Preferences& p);

 private:
  storage::CustomerRecord Insert(TenantId tenant, const NewCustomer& in);
  void GrantIn(storage::Connection& c, TenantId tenant, CustomerId id, const AccessGrant& grant);
  Deps deps_;
};

class TenantService {
 public:
  explicit TenantService(Deps deps) : deps_(deps) {}
  /// Where an uploaded logo's bytes live, so that a branding PUT that drops the logo can remove its blob.
  void SetBlobStore(storage::BlobStore& blobs) { blobs_ = &blobs; }
  /// Creates a tenant with default branding and pricing. Slug: 2..40 of [a-z0-9-], starting with a
  /// letter or digit (400 otherwise); `currency` ISO 4217, three capital letters (400 otherwise); duplicate
  /// slug 409.
  storage::TenantRecord Create(const std::string& slug, const std::string& name, const std::string& currency = "USD");
  /// Public: the branding of a tenant by slug (404 if unknown).
  domain::Branding GetBranding(const std::string& slug);
  /// Admin of that tenant only (403 for anyone else; 404 for an unknown slug). A `logo_url` other than the
  /// uploaded logo's (null included) removes the uploaded logo and its blob when nothing else uses it.
  /// An empty `default_language` keeps the stored one ("en" or "es", else 400).
  domain::Branding PutBranding(const policy::Actor& actor, const std::string& slug, const domain::Branding& b);
  /// The caller's tenant (pricing settings etc.).
  storage::TenantRecord Current(const policy::Actor& actor);
  storage::TenantRecord PutPricing(const policy::Actor& actor, const domain::PricingSettings& p);

 private:
  Deps deps_;
  storage::BlobStore* blobs_ = nullptr;
};

/// True for a valid tenant slug.
bool IsValidSlug(const std::string& slug);

}  // namespace portico::services
