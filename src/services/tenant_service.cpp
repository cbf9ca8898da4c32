// Tenants: creation (CLI), public branding, the branding and pricing settings (API.md "Tenant branding",
// issue 9 for the uploaded logo's blob).
#include <algorithm>

#include "core/error.h"
#include "policy/policy.h"
#include "services/account_services.h"
#include "services/field_checks.h"
#include "storage/accounts_repository.h"
#include "storage/attachments_repository.h"

namespace portico::services {

using policy::Action;

bool IsValidSlug(const std::string& slug) {
  if (slug.size() < 2 || slug.size() > 40 || slug.front() == '-') return false;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// ---- tenants ----

storage::TenantRecord TenantService::Create(const std::string& slug, const std::string& name,
                                           const std::string& currency) {
  FieldErrors errors;
  if (!IsValidSlug(slug)) errors["slug"].push_back("2 to 40 characters of a-z, 0-9 and '-', not starting with '-'.");
  const bool iso4217 = currency.size() == 3 && std::all_of(currency.begin(), currency.end(), [](char ch) {
                         return ch >= 'A' && ch <= 'Z';
                       });
  if (!iso4217) errors["currency"].push_back("An ISO 4217 code of three capital letters, e.g. USD or MXN.");
  CheckName(errors, "name", name);
  ThrowIfInvalid(std::move(errors));
  storage::TenantRecord t;
  t.slug = slug;
  t.name = name;
  t.currency = currency;
  t.branding = domain::DefaultBranding(name);
  t.created_at = t.updated_at = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (storage::FindTenantBySlug(tx->conn(), slug)) throw Error::Conflict("A tenant with slug '" + slug + "' exists.");
  t.id = storage::InsertTenant(tx->conn(), t);
  tx->Commit();
  return t;
}

domain::Branding TenantService::GetBranding(const std::string& slug) {
  auto tx = deps_.db.Read();
  auto t = storage::FindTenantBySlug(tx->conn(), slug);
  if (!t) throw Error::NotFound("No such tenant.");
  return t->branding;
}

domain::Branding TenantService::PutBranding(const policy::Actor& actor, const std::string& slug,
                                            const domain::Branding& in) {
  auto tx = deps_.db.Write();
  auto t = storage::FindTenantBySlug(tx->conn(), slug);
  if (!t) throw Error::NotFound("No such tenant.");
  if (t->id != actor.tenant || !policy::Can(actor, Action::kEditBranding)) throw Error::Forbidden();
  domain::Branding b = in;
  if (b.default_language.empty()) b.default_language = t->branding.default_language;  // not given: kept
  b.currency = t->currency;  // read-only
  auto errors = domain::ValidateBranding(b);
  ThrowIfInvalid(std::move(errors));
  // API.md: logo_url null (or any other URL than the uploaded logo's) removes an uploaded logo, and its
  // blob once no row uses it (the blob store deletes in this transaction's terms).
  if (!b.logo_url.starts_with("/api/v1/tenants/" + t->slug + "/logo")) {
    auto old = storage::FindTenantLogo(tx->conn(), t->id);
    storage::SetTenantLogo(tx->conn(), t->id, std::nullopt, 0);
    if (old && blobs_ != nullptr && storage::BlobReferences(tx->conn(), old->first) == 0) {
      blobs_->Delete(tx->conn(), old->first);
    }
  }
  storage::UpdateTenantBranding(tx->conn(), t->id, b, deps_.clock.Now());
  tx->Commit();
  return b;
}

storage::TenantRecord TenantService::Current(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  auto t = storage::FindTenant(tx->conn(), actor.tenant);
  if (!t) throw Error::NotFound("No such tenant.");
  return *t;
}

storage::TenantRecord TenantService::PutPricing(const policy::Actor& actor, const domain::PricingSettings& p) {
  if (!policy::Can(actor, Action::kEditPricing)) throw Error::Forbidden();
  ThrowIfInvalid(domain::ValidatePricing(p));
  auto tx = deps_.db.Write();
  storage::UpdateTenantPricing(tx->conn(), actor.tenant, p, deps_.clock.Now());
  auto t = storage::FindTenant(tx->conn(), actor.tenant);
  tx->Commit();
  return *t;
}

}  // namespace portico::services
