// The invoice of a completed repair as a one-page A4 PDF (issue 14; API.md, "Exports and invoices";
// PRODUCT.md, "Integrations"), drawn with cairo's PDF surface and laid out with pango (Unicode text, fonts
// from fontconfig, so names like "Peña" and "José" render). Pure: the caller gathers the figures.
#pragma once

#include <string>
#include <vector>

namespace portico::media {

struct InvoiceLine {
  std::string label;       // "Labour (2nd repair of the unit)", "Resin × 2", "Change order #3: ..."
  std::string quantity;    // "" or "2"
  std::string unit_price;  // "" or "12.50"
  std::string amount;      // "40.00"
};

struct InvoiceDocument {
  std::string tenant_name;
  std::string logo_png;  // PNG bytes, or "" for none
  std::vector<std::string> support_lines;  // e-mail, phone, hours, website (non-empty ones)
  std::string invoice_number;  // "R-42"
  std::string issued_on;       // YYYY-MM-DD
  std::string customer_name;
  std::vector<std::string> customer_lines;  // address, phone, e-mail
  std::string unit_number;
  std::string unit_description;
  std::string repair_created;  // YYYY-MM-DD
  std::string repair_date;     // YYYY-MM-DD (when the work was done)
  std::string description;
  std::string technician;
  std::vector<InvoiceLine> lines;  // labour first, then materials, then change orders
  std::string currency;            // "USD"
  std::string total;               // "52.50"
  std::string footer;              // the tenant's portal footer text
};

/// The PDF bytes (one A4 page; long texts are cut with an ellipsis so the page count stays 1). Throws
/// Error(kInternal) when cairo fails.
std::string RenderInvoicePdf(const InvoiceDocument& doc);

}  // namespace portico::media
