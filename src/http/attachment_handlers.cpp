// Attachments and the tenant logo (API.md "Attachments"). Files are only served here, through the
// owner's scope, with the headers API.md lists: nosniff, a sandboxing CSP, inline only for images,
// videos and PDF, ETag with 304, and single byte ranges (206/416) so a browser can seek in a video.
#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "http/upload.h"

namespace portico::http {
namespace json = boost::json;

namespace {

constexpr std::int64_t kInlineBodyBytes = 1 << 20;  // larger bodies are sent in pieces (BodySource)

json::value OptInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

/// RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name percent-encoded.
std::string Disposition(const std::string& type, const std::string& filename) {
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

struct ByteRange {
  std::int64_t first = 0, last = 0;
};

/// Parses one "bytes=a-b" / "bytes=a-" / "bytes=-n" range against `size`. nullopt: no (usable) range,
/// serve everything; first > last marks an unsatisfiable one (416).
std::optional<ByteRange> ParseRange(const std::string& h, std::int64_t size) {
  if (!h.starts_with("bytes=") || h.find(',') != std::string::npos) return std::nullopt;
  std::string spec = h.substr(6);
  auto dash = spec.find('-');
  if (dash == std::string::npos) return std::nullopt;
  auto num = [](const std::string& s) -> std::optional<std::int64_t> {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(s);
  };
  auto a = num(spec.substr(0, dash));
  auto b = num(spec.substr(dash + 1));
  if (!a && !b) return std::nullopt;
  if (!a) {  // suffix: the last n bytes
    if (*b == 0) return ByteRange{1, 0};
    return ByteRange{std::max<std::int64_t>(size - *b, 0), size - 1};
  }
  if (b && *b < *a) return std::nullopt;  // syntactically invalid: ignored
  if (*a >= size) return ByteRange{1, 0};
  return ByteRange{*a, b ? std::min(*b, size - 1) : size - 1};
}

Response ServeBlob(const RequestContext& ctx, services::AttachmentService& svc, const services::BlobView& blob,
                   const std::string& cache_control, bool ranges) {
  Response res;
  const std::string etag = "\"" + blob.sha256 + "\"";
  res.SetHeader("ETag", etag);
  res.SetHeader("Cache-Control", cache_control);
  res.SetHeader("Content-Security-Policy", "sandbox; default-src 'none'");
  const bool inline_ok = blob.kind == "image" || blob.kind == "video" || blob.content_type == "application/pdf";
  res.SetHeader("Content-Disposition", Disposition(inline_ok ? "inline" : "attachment", blob.filename));
  if (ranges) res.SetHeader("Accept-Ranges", "bytes");
  if (auto inm = ctx.req.Header("if-none-match"); inm && (inm->find(etag) != std::string::npos || *inm == "*")) {
    res.status = 304;
    return res;
  }
  res.content_type = blob.content_type;
  std::int64_t offset = 0, length = blob.size;
  if (auto h = ctx.req.Header("range"); h && ranges) {
    auto ifr = ctx.req.Header("if-range");
    if (!ifr || *ifr == etag) {
      if (auto r = ParseRange(*h, blob.size)) {
        if (r->first > r->last) {
          res.status = 416;
          res.content_type.clear();
          res.SetHeader("Content-Range", "bytes */" + std::to_string(blob.size));
          return res;
        }
        res.status = 206;
        offset = r->first;
        length = r->last - r->first + 1;
        res.SetHeader("Content-Range", "bytes " + std::to_string(r->first) + "-" + std::to_string(r->last) + "/" +
                                           std::to_string(blob.size));
      }
    }
  }
  if (length <= kInlineBodyBytes) {
    res.body = length > 0 ? svc.Read(blob.sha256, offset, length) : std::string();
  } else {
    auto source = std::make_shared<BodySource>();
    source->size = length;
    source->read = [&svc, sha = blob.sha256, offset](std::int64_t off, std::int64_t len) {
      return svc.Read(sha, offset + off, len);
    };
    res.stream_body = std::move(source);
  }
  return res;
}

services::IncomingFile FileOf(const RequestContext& ctx) {
  const auto& u = *ctx.req.upload;
  return {u.file_path, u.file_name, u.file_size};
}

/// The upload's parts: `file` and the optional caption, label and visibility (400 for any other part).
services::NewAttachment NewAttachmentOf(const RequestContext& ctx) {
  const auto& fields = ctx.req.upload->fields;
  FieldErrors errors;
  for (const auto& [name, value] : fields) {
    if (name != "caption" && name != "label" && name != "visibility") errors[name].push_back("Unknown part.");
  }
  ThrowIfErrors(errors);
  services::NewAttachment in;
  in.file = FileOf(ctx);
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = fields.find(k);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  };
  in.caption = get("caption");
  in.label = get("label");
  in.visibility = get("visibility");
  return in;
}

}  // namespace

json::value AttachmentJson(const storage::AttachmentRecord& a) {
  const std::string base = "/api/v1/attachments/" + std::to_string(a.id);
  return json::object{
      {"id", a.id},
      {"owner", json::object{{"type", a.owner_type}, {"id", a.owner_id}}},
      {"filename", a.filename},
      {"content_type", a.content_type},
      {"kind", a.kind},
      {"size_bytes", a.size_bytes},
      {"sha256", a.sha256},
      {"width", OptInt(a.width)},
      {"height", OptInt(a.height)},
      {"duration_seconds", a.duration_seconds ? json::value(*a.duration_seconds) : json::value(nullptr)},
      {"taken_at", a.taken_at ? json::value(FormatTimestamp(*a.taken_at)) : json::value(nullptr)},
      {"caption", a.caption},
      {"label", a.label},
      {"visibility", a.visibility},
      {"uploaded_by", a.uploaded_by ? json::value(json::object{{"id", a.uploaded_by->value}, {"name", a.uploaded_by_name}})
                                    : json::value(nullptr)},
      {"created_at", FormatTimestamp(a.created_at)},
      {"updated_at", FormatTimestamp(a.updated_at)},
      {"url", base + "/content"},
      {"thumbnail_url", a.thumbnail_sha256 ? json::value(base + "/thumbnail") : json::value(nullptr)},
  };
}

void RegisterAttachmentRoutes(App& app, services::AttachmentService& attachments) {
  Router& r = app.router();
  r.Add("POST", "/api/v1/repairs/{id}/attachments",
        {.operation_id = "uploadRepairAttachment", .summary = "Attach a photo, video or document to a repair (multipart/form-data)", .tag = "attachments",
         .upload = true, .status = 201, .request_schema = "AttachmentUpload", .response_schema = "Attachment"},
        [&attachments](RequestContext& ctx) {
          auto id = RepairId(ctx.IdParam("id"));
          return JsonResponse(201, AttachmentJson(attachments.AddToRepair(ctx.actor(), id, NewAttachmentOf(ctx))));
        });
  // A client request's files (issue 10; closes issue 9's leftover: request owners, scoped like the request).
  r.Add("POST", "/api/v1/requests/{id}/attachments",
        {.operation_id = "addClientRequestAttachment",
         .summary = "Attach a photo, video or document to a client request (multipart/form-data)", .tag = "attachments",
         .upload = true, .status = 201, .request_schema = "AttachmentUpload", .response_schema = "Attachment"},
        [&attachments](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          return JsonResponse(201, AttachmentJson(attachments.AddToRequest(ctx.actor(), id, NewAttachmentOf(ctx))));
        });
  r.Add("GET", "/api/v1/requests/{id}/attachments",
        {.operation_id = "listClientRequestAttachments",
         .summary = "A client request's attachments (customer users never see internal ones)", .tag = "attachments",
         .response_schema = "Attachment", .paginated = true, .query = {"page", "page_size"}},
        [&attachments](RequestContext& ctx) {
          auto page = ctx.Page();
          auto p = Paginate(attachments.ListForRequest(ctx.actor(), ctx.IdParam("id")), page);
          return JsonResponse(200, PageJson(ctx.req, page, p, AttachmentJson));
        });
  r.Add("GET", "/api/v1/repairs/{id}/attachments",
        {.operation_id = "listRepairAttachments", .summary = "A repair's attachments (customer users never see internal ones)", .tag = "attachments",
         .response_schema = "Attachment", .paginated = true, .query = {"page", "page_size"}},
        [&attachments](RequestContext& ctx) {
          auto page = ctx.Page();
          auto p = Paginate(attachments.ListForRepair(ctx.actor(), RepairId(ctx.IdParam("id"))), page);
          return JsonResponse(200, PageJson(ctx.req, page, p, AttachmentJson));
        });
  r.Add("GET", "/api/v1/attachments/{id}", {.operation_id = "getAttachment", .summary = "One attachment", .tag = "attachments", .response_schema = "Attachment"},
        [&attachments](RequestContext& ctx) {
          return JsonResponse(200, AttachmentJson(attachments.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/attachments/{id}",
        {.operation_id = "updateAttachment", .summary = "Change an attachment's caption and label (visibility: staff)", .tag = "attachments", .body = true,
         .request_schema = "AttachmentPatch", .response_schema = "Attachment"},
        [&attachments](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::AttachmentPatch p;
          p.caption = rd.String("caption", false, 2000);
          p.label = rd.String("label", false, 20);
          p.visibility = rd.String("visibility", false, 20);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, AttachmentJson(attachments.Update(ctx.actor(), ctx.IdParam("id"), p)));
        });
  r.Add("DELETE", "/api/v1/attachments/{id}",
        {.operation_id = "deleteAttachment", .summary = "Delete an attachment (staff, or the uploader)", .tag = "attachments", .status = 204},
        [&attachments](RequestContext& ctx) {
          attachments.Remove(ctx.actor(), ctx.IdParam("id"));
          Response res;
          res.status = 204;
          return res;
        });
  r.Add("GET", "/api/v1/attachments/{id}/content",
        {.operation_id = "getAttachmentContent", .summary = "The file (ETag, Range)", .tag = "attachments", .response_schema = "Binary"},
        [&attachments](RequestContext& ctx) {
          auto blob = attachments.Content(ctx.actor(), ctx.IdParam("id"), false);
          return ServeBlob(ctx, attachments, blob, "private, max-age=3600", true);
        });
  r.Add("GET", "/api/v1/attachments/{id}/thumbnail",
        {.operation_id = "getAttachmentThumbnail", .summary = "A JPEG thumbnail of an image or video (404 for documents)", .tag = "attachments",
         .response_schema = "Binary"},
        [&attachments](RequestContext& ctx) {
          auto blob = attachments.Content(ctx.actor(), ctx.IdParam("id"), true);
          return ServeBlob(ctx, attachments, blob, "private, max-age=86400", false);
        });

  // ---- logo ----
  r.Add("GET", "/api/v1/tenants/{slug}/logo",
        {.operation_id = "getTenantLogo", .summary = "A tenant's uploaded logo (public)", .tag = "tenant", .auth = false, .response_schema = "Binary"},
        [&attachments](RequestContext& ctx) {
          auto blob = attachments.Logo(ctx.params.at("slug"));
          auto res = ServeBlob(ctx, attachments, blob, "public, max-age=86400", false);
          return res;
        });
  r.Add("PUT", "/api/v1/tenants/{slug}/logo",
        {.operation_id = "putTenantLogo", .summary = "Upload my tenant's logo: PNG, JPEG or WebP, scaled to 512 px (admin)", .tag = "tenant",
         .upload = true, .request_schema = "LogoUpload", .response_schema = "Branding"},
        [&attachments](RequestContext& ctx) {
          if (!ctx.req.upload->fields.empty()) throw Error::Field(ctx.req.upload->fields.begin()->first, "Unknown part.");
          return JsonResponse(200, domain::BrandingToJson(attachments.PutLogo(ctx.actor(), ctx.params.at("slug"), FileOf(ctx))));
        });
  r.Add("DELETE", "/api/v1/tenants/{slug}/logo",
        {.operation_id = "deleteTenantLogo", .summary = "Remove my tenant's logo (admin)", .tag = "tenant", .response_schema = "Branding"},
        [&attachments](RequestContext& ctx) {
          return JsonResponse(200, domain::BrandingToJson(attachments.DeleteLogo(ctx.actor(), ctx.params.at("slug"))));
        });
}

}  // namespace portico::http
