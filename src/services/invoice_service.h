// The invoice of a completed repair as a PDF (issue 14; API.md, "Exports and invoices": staff and the
// customer's users, COMPLETED only, else 409). Gathers the repair, its customer, unit, materials, the
// tenant's branding, logo and price tiers, and hands them to media::RenderInvoicePdf.
// Errors: 404 outside the caller's scope, 409 unless the repair is COMPLETED.
#pragma once

#include "media/invoice_pdf.h"
#include "policy/actor.h"
#include "services/deps.h"
#include "storage/blob_store.h"

namespace portico::services {

class InvoiceService {
 public:
  InvoiceService(Deps deps, storage::BlobStore& blobs) : deps_(deps), blobs_(blobs) {}
  /// What the PDF shows (for tests and other renderings).
  media::InvoiceDocument Document(const policy::Actor& actor, RepairId id);
  /// GET /repairs/{id}/invoice.pdf: the PDF bytes.
  std::string Pdf(const policy::Actor& actor, RepairId id) { return media::RenderInvoicePdf(Document(actor, id)); }

 private:
  Deps deps_;
  storage::BlobStore& blobs_;
};

}  // namespace portico::services
