#include "services/invoice_service.h"

#include <cmath>
#include <cstdio>

#include "core/clock.h"
#include "core/error.h"
#include "domain/money.h"
#include "domain/pricing.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/attachments_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"
#include "storage/requests_repository.h"

namespace portico::services {
namespace {

std::string Ordinal(std::size_t n) {
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

std::string Quantity(double q) {
  if (std::floor(q) == q && std::fabs(q) < 1e12) return std::to_string(static_cast<long long>(q));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", q);
  return buf;
}

}  // namespace

media::InvoiceDocument InvoiceService::Document(const policy::Actor& actor, RepairId id) {
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  const auto scope = policy::ScopeOf(actor);
  auto r = storage::FindRepair(c, scope, id);
  if (!r) throw Error::NotFound("No such repair.");
  if (r->status != "COMPLETED") throw Error::Conflict("An invoice exists only for a COMPLETED repair; this one is " + r->status + ".");
  auto tenant = storage::FindTenant(c, actor.tenant);
  auto customer = storage::FindCustomer(c, scope, r->customer);
  auto unit = storage::FindUnit(c, scope, r->unit);
  auto materials = storage::ListMaterials(c, r->id);

  media::InvoiceDocument doc;
  if (tenant) {
    const auto& company = tenant->branding.company;
    doc.tenant_name = company.display_name.empty() ? tenant->name : company.display_name;
    for (const auto* s : {&company.support_email, &company.support_phone, &company.support_hours, &company.website}) {
      if (!s->empty()) doc.support_lines.push_back(*s);
    }
    doc.currency = tenant->currency;
    doc.footer = tenant->branding.portal.footer_text;
    if (auto logo = storage::FindTenantLogo(c, actor.tenant); logo && logo->second > 0 && logo->second <= (2 << 20)) {
      try {
        doc.logo_png = blobs_.Read(c, logo->first, 0, logo->second);
      } catch (const std::exception&) {
        doc.logo_png.clear();  // an invoice without the logo beats none
      }
    }
  }
  doc.invoice_number = "R-" + std::to_string(r->id.value);
  doc.issued_on = FormatDate(deps_.clock.Now());
  doc.customer_name = r->customer_name;
  if (customer) {
    for (const auto* s : {&customer->address, &customer->phone}) {
      if (!s->empty()) doc.customer_lines.push_back(*s);
    }
    if (customer->email && !customer->email->empty()) doc.customer_lines.push_back(*customer->email);
  }
  doc.unit_number = r->unit_number;
  if (unit) doc.unit_description = unit->description;
  doc.repair_created = FormatDate(r->created_at);
  doc.repair_date = r->repair_date;
  doc.description = r->description;
  doc.technician = r->technician_name;

  // Labour: the override when set, else the tier the completion fixed (PRODUCT.md, "Pricing").
  const domain::Cents labour = r->labour_cents.value_or(r->cost_cents - r->materials_cents);
  std::string label = "Labour";
  if (r->price_override_cents) {
    label += " (price agreed for this repair)";
  } else if (tenant) {
    const auto& tiers = tenant->pricing.tiers;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      if (tiers[i] == labour) {
        label += " (tier " + std::to_string(i + 1) + ": " + Ordinal(i + 1) + (i + 1 == tiers.size() ? " and later" : "") +
                 " repair of the unit)";
        break;
      }
    }
  }
  doc.lines.push_back({label, "", "", domain::FormatMoney(labour)});
  for (const auto& m : materials) {
    doc.lines.push_back({m.material_type, Quantity(m.quantity), domain::FormatMoney(m.unit_cost_cents),
                         domain::FormatMoney(domain::MaterialLineTotal(m.quantity, m.unit_cost_cents))});
  }
  domain::Cents total = r->cost_cents;
  // Approved change orders (API.md "Change orders"): one line each. The completed repair's cost_cents
  // already includes them (labour + materials + approved change orders), so the total stays as it is.
  for (const auto& o : storage::ListChangeOrders(c, actor.tenant, r->id)) {
    if (o.status != "approved") continue;
    doc.lines.push_back({"Change order #" + std::to_string(o.id) + ": " + o.description, "", "",
                         domain::FormatMoney(o.amount_cents)});
  }
  doc.total = domain::FormatMoney(total);
  return doc;
}

}  // namespace portico::services
