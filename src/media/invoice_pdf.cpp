#include "media/invoice_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.h"

namespace portico::media {
namespace {

constexpr double kWidth = 595.0, kHeight = 842.0, kMargin = 48.0;  // A4 in points
constexpr int kMaxLines = 28;  // invoice lines on the page; more are summed into one line

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct PngReader {
  const std::string* bytes;
  std::size_t offset = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->offset + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/// Draws `text` at (x, y) within `width` points (0: no limit), at most `max_lines` lines; returns its height.
double Text(cairo_t* cr, const std::string& text, double x, double y, double width, const char* font,
            PangoAlignment align = PANGO_ALIGN_LEFT, int max_lines = 1) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* desc = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  if (width > 0) {
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(layout, -max_lines);
    pango_layout_set_alignment(layout, align);
  }
  pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  int w = 0, h = 0;
  pango_layout_get_pixel_size(layout, &w, &h);
  g_object_unref(layout);
  return h;
}

void Rule(cairo_t* cr, double y) {
  cairo_set_source_rgb(cr, 0.8, 0.82, 0.85);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, kMargin, y);
  cairo_line_to(cr, kWidth - kMargin, y);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0.1, 0.12, 0.16);
}

}  // namespace

std::string RenderInvoicePdf(const InvoiceDocument& doc) {
  std::string out;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &out, kWidth, kHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) throw Error::Internal("cairo: cannot create a PDF surface");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, ("Invoice " + doc.invoice_number).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Portico");
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.1, 0.12, 0.16);
  const double inner = kWidth - 2 * kMargin;
  double y = kMargin;

  // Header: logo (or name) on the left, "Invoice" and its number on the right.
  double logo_height = 0;
  if (!doc.logo_png.empty()) {
    PngReader reader{&doc.logo_png};
    cairo_surface_t* logo = cairo_image_surface_create_from_png_stream(ReadPng, &reader);
    if (cairo_surface_status(logo) == CAIRO_STATUS_SUCCESS) {
      const double w = cairo_image_surface_get_width(logo), h = cairo_image_surface_get_height(logo);
      const double scale = std::min(160.0 / std::max(w, 1.0), 56.0 / std::max(h, 1.0));
      cairo_save(cr);
      cairo_translate(cr, kMargin, y);
      cairo_scale(cr, scale, scale);
      cairo_set_source_surface(cr, logo, 0, 0);
      cairo_paint(cr);
      cairo_restore(cr);
      logo_height = h * scale + 6;
    }
    cairo_surface_destroy(logo);
  }
  double left = y + logo_height;
  left += Text(cr, doc.tenant_name, kMargin, left, inner * 0.55, "Sans Bold 15", PANGO_ALIGN_LEFT, 2);
  for (const auto& line : doc.support_lines) left += Text(cr, line, kMargin, left, inner * 0.55, "Sans 9");
  double right = y;
  right += Text(cr, "INVOICE", kMargin + inner * 0.55, right, inner * 0.45, "Sans Bold 20", PANGO_ALIGN_RIGHT);
  right += Text(cr, "No. " + doc.invoice_number, kMargin + inner * 0.55, right, inner * 0.45, "Sans 10", PANGO_ALIGN_RIGHT);
  right += Text(cr, "Issued " + doc.issued_on, kMargin + inner * 0.55, right, inner * 0.45, "Sans 10", PANGO_ALIGN_RIGHT);
  y = std::max(left, right) + 14;
  Rule(cr, y);
  y += 12;

  // Bill to / repair facts, side by side.
  double col = y;
  col += Text(cr, "Bill to", kMargin, col, inner / 2 - 10, "Sans Bold 9");
  col += Text(cr, doc.customer_name, kMargin, col, inner / 2 - 10, "Sans Bold 11", PANGO_ALIGN_LEFT, 2);
  for (const auto& line : doc.customer_lines) col += Text(cr, line, kMargin, col, inner / 2 - 10, "Sans 9", PANGO_ALIGN_LEFT, 2);
  double facts = y;
  const double fx = kMargin + inner / 2 + 10, fw = inner / 2 - 10;
  facts += Text(cr, "Repair", fx, facts, fw, "Sans Bold 9");
  facts += Text(cr, "Unit " + doc.unit_number + (doc.unit_description.empty() ? "" : " — " + doc.unit_description), fx,
                facts, fw, "Sans 10", PANGO_ALIGN_LEFT, 2);
  facts += Text(cr, "Requested " + doc.repair_created + " · completed " + doc.repair_date, fx, facts, fw, "Sans 9",
                PANGO_ALIGN_LEFT, 2);
  if (!doc.technician.empty()) facts += Text(cr, "Technician: " + doc.technician, fx, facts, fw, "Sans 9");
  y = std::max(col, facts) + 10;
  y += Text(cr, doc.description, kMargin, y, inner, "Sans Italic 9", PANGO_ALIGN_LEFT, 3) + 12;

  // The lines.
  const double qx = kMargin + inner * 0.58, px = kMargin + inner * 0.70, ax = kMargin + inner * 0.84;
  Text(cr, "Description", kMargin, y, inner * 0.56, "Sans Bold 9");
  Text(cr, "Qty", qx, y, inner * 0.1, "Sans Bold 9", PANGO_ALIGN_RIGHT);
  Text(cr, "Price", px, y, inner * 0.13, "Sans Bold 9", PANGO_ALIGN_RIGHT);
  y += Text(cr, "Amount", ax, y, inner * 0.16, "Sans Bold 9", PANGO_ALIGN_RIGHT) + 4;
  Rule(cr, y);
  y += 6;
  int shown = 0;
  for (const auto& l : doc.lines) {
    if (++shown > kMaxLines) break;
    Text(cr, l.quantity, qx, y, inner * 0.1, "Sans 9", PANGO_ALIGN_RIGHT);
    Text(cr, l.unit_price, px, y, inner * 0.13, "Sans 9", PANGO_ALIGN_RIGHT);
    Text(cr, l.amount, ax, y, inner * 0.16, "Sans 9", PANGO_ALIGN_RIGHT);
    y += Text(cr, l.label, kMargin, y, inner * 0.56, "Sans 9") + 5;
  }
  if (static_cast<int>(doc.lines.size()) > kMaxLines) {
    y += Text(cr, "… and " + std::to_string(doc.lines.size() - kMaxLines) + " more lines (see the repair in the portal)",
              kMargin, y, inner, "Sans Italic 9") + 5;
  }
  Rule(cr, y);
  y += 8;
  Text(cr, "Total (" + doc.currency + ")", kMargin, y, inner * 0.66, "Sans Bold 12", PANGO_ALIGN_RIGHT);
  y += Text(cr, doc.total, ax - inner * 0.1, y, inner * 0.26, "Sans Bold 12", PANGO_ALIGN_RIGHT);

  // Footer.
  if (!doc.footer.empty()) Text(cr, doc.footer, kMargin, kHeight - kMargin - 24, inner, "Sans 8", PANGO_ALIGN_CENTER, 2);

  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const auto status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) throw Error::Internal(std::string("cairo: ") + cairo_status_to_string(status));
  return out;
}

}  // namespace portico::media
