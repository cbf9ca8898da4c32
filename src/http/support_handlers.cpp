// Support content routes (API.md "Support content"): FAQ (public and staff), announcements. Technician
// profiles travel on the user routes (account_handlers.cpp) and GET /technicians.
#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace portico::http {
namespace json = boost::json;

json::value FaqJson(const storage::FaqRecord& f) {
  return json::object{{"id", f.id},
                      {"question", f.question},
                      {"answer", f.answer},
                      {"position", f.position},
                      {"published", f.published},
                      {"created_at", FormatTimestamp(f.created_at)},
                      {"updated_at", FormatTimestamp(f.updated_at)}};
}

json::value AnnouncementJson(const storage::AnnouncementRecord& a) {
  json::array customers;
  for (auto id : a.customers) customers.push_back(id.value);
  return json::object{{"id", a.id},
                      {"title", a.title},
                      {"body", a.body},
                      {"severity", a.severity},
                      {"starts_at", FormatTimestamp(a.starts_at)},
                      {"ends_at", a.ends_at ? json::value(FormatTimestamp(*a.ends_at)) : json::value(nullptr)},
                      {"customer_ids", std::move(customers)},
                      {"created_at", FormatTimestamp(a.created_at)},
                      {"updated_at", FormatTimestamp(a.updated_at)}};
}

namespace {

Response NoContent() {
  Response res;
  res.status = 204;
  return res;
}

/// ?active=true|false (400 otherwise).
bool ActiveQuery(const RequestContext& ctx) {
  auto v = ctx.req.QueryParam("active");
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  throw Error::Field("active", "Must be true or false.");
}

}  // namespace

void RegisterSupportRoutes(App& app, SupportServices s) {
  Router& r = app.router();

  // ---- FAQ ----
  r.Add("GET", "/api/v1/tenants/{slug}/faq",
        {.operation_id = "listPublicFaqEntries", .summary = "A tenant's published FAQ entries by position (public, for the login page's help link)",
         .tag = "support", .auth = false, .response_schema = "FaqEntry", .paginated = true,
         .query = {"page", "page_size"}},
        [&faq = s.faq](RequestContext& ctx) {
          auto page = ctx.Page();
          Response res = JsonResponse(200, PageJson(ctx.req, page, Paginate(faq.ListPublic(ctx.params.at("slug")), page),
                                                    FaqJson));
          res.SetHeader("Cache-Control", "no-cache");
          return res;
        });
  r.Add("GET", "/api/v1/faq",
        {.operation_id = "listFaqEntries", .summary = "FAQ entries by position (staff: all; customer users: published)", .tag = "support",
         .response_schema = "FaqEntry", .paginated = true, .query = {"page", "page_size"}},
        [&faq = s.faq](RequestContext& ctx) {
          auto page = ctx.Page();
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(faq.List(ctx.actor()), page), FaqJson));
        });
  r.Add("POST", "/api/v1/faq",
        {.operation_id = "createFaqEntry", .summary = "Create an FAQ entry (admin, manager)", .tag = "support", .body = true, .status = 201,
         .request_schema = "NewFaqEntry", .response_schema = "FaqEntry"},
        [&faq = s.faq](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewFaq in;
          auto question = rd.String("question", true, 4000);
          auto answer = rd.String("answer", true, 40000);
          in.position = rd.Int("position");
          auto published = rd.Bool("published");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.question = *question;
          in.answer = *answer;
          in.published = published.value_or(false);
          return JsonResponse(201, FaqJson(faq.Create(ctx.actor(), in)));
        });
  r.Add("POST", "/api/v1/faq/order",
        {.operation_id = "reorderFaqEntries", .summary = "Reorder the FAQ: every entry's id in the new order (admin, manager)", .tag = "support",
         .body = true, .request_schema = "FaqOrder", .response_schema = "FaqEntry", .array = true},
        [&faq = s.faq](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto ids = rd.IntArray("ids", true, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          json::array a;
          for (const auto& f : faq.Reorder(ctx.actor(), *ids)) a.push_back(FaqJson(f));
          return JsonResponse(200, a);
        });
  r.Add("GET", "/api/v1/faq/{id}",
        {.operation_id = "getFaqEntry", .summary = "One FAQ entry (staff: any; customer users: published)", .tag = "support",
         .response_schema = "FaqEntry"},
        [&faq = s.faq](RequestContext& ctx) {
          return JsonResponse(200, FaqJson(faq.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/faq/{id}",
        {.operation_id = "updateFaqEntry", .summary = "Change an FAQ entry (admin, manager)", .tag = "support", .body = true,
         .request_schema = "FaqEntryPatch", .response_schema = "FaqEntry"},
        [&faq = s.faq](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::FaqPatch p;
          p.question = rd.String("question", false, 4000);
          p.answer = rd.String("answer", false, 40000);
          p.position = rd.Int("position");
          p.published = rd.Bool("published");
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, FaqJson(faq.Update(ctx.actor(), id, p)));
        });
  r.Add("DELETE", "/api/v1/faq/{id}",
        {.operation_id = "deleteFaqEntry", .summary = "Delete an FAQ entry (admin, manager)", .tag = "support", .status = 204},
        [&faq = s.faq](RequestContext& ctx) {
          faq.Delete(ctx.actor(), ctx.IdParam("id"));
          return NoContent();
        });

  // ---- announcements ----
  r.Add("GET", "/api/v1/announcements",
        {.operation_id = "listAnnouncements", .summary = "Announcements (staff: all, or the active ones; customer users: active ones addressed to them)",
         .tag = "support", .response_schema = "Announcement", .paginated = true,
         .query = {"active", "page", "page_size"}},
        [&ann = s.announcements](RequestContext& ctx) {
          auto page = ctx.Page();
          bool active = ActiveQuery(ctx);
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(ann.List(ctx.actor(), active), page),
                                            AnnouncementJson));
        });
  r.Add("POST", "/api/v1/announcements",
        {.operation_id = "createAnnouncement", .summary = "Create an announcement (admin, manager)", .tag = "support", .body = true, .status = 201,
         .request_schema = "NewAnnouncement", .response_schema = "Announcement"},
        [&ann = s.announcements](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewAnnouncement in;
          auto title = rd.String("title", true, 2000);
          auto text = rd.String("body", false, 20000);
          auto severity = rd.String("severity", true, 20);
          in.starts_at = rd.String("starts_at", false, 40);
          bool ends_null = false;
          in.ends_at = rd.NullableString("ends_at", &ends_null, 40);
          auto customers = rd.IntArray("customer_ids", false, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.title = *title;
          in.body = text.value_or("");
          in.severity = *severity;
          if (customers) in.customer_ids = *customers;
          return JsonResponse(201, AnnouncementJson(ann.Create(ctx.actor(), in)));
        });
  r.Add("GET", "/api/v1/announcements/{id}",
        {.operation_id = "getAnnouncement", .summary = "One announcement (staff: any; customer users: active and addressed to them)", .tag = "support",
         .response_schema = "Announcement"},
        [&ann = s.announcements](RequestContext& ctx) {
          return JsonResponse(200, AnnouncementJson(ann.Get(ctx.actor(), ctx.IdParam("id"))));
        });
  r.Add("PATCH", "/api/v1/announcements/{id}",
        {.operation_id = "updateAnnouncement", .summary = "Change an announcement (admin, manager)", .tag = "support", .body = true,
         .request_schema = "AnnouncementPatch", .response_schema = "Announcement"},
        [&ann = s.announcements](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::AnnouncementPatch p;
          p.title = rd.String("title", false, 2000);
          p.body = rd.String("body", false, 20000);
          p.severity = rd.String("severity", false, 20);
          p.starts_at = rd.String("starts_at", false, 40);
          p.ends_at = rd.NullableString("ends_at", &p.ends_at_null, 40);
          p.customer_ids = rd.IntArray("customer_ids", false, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, AnnouncementJson(ann.Update(ctx.actor(), id, p)));
        });
  r.Add("DELETE", "/api/v1/announcements/{id}",
        {.operation_id = "deleteAnnouncement", .summary = "Delete an announcement (admin, manager)", .tag = "support", .status = 204},
        [&ann = s.announcements](RequestContext& ctx) {
          ann.Delete(ctx.actor(), ctx.IdParam("id"));
          return NoContent();
        });
}

}  // namespace portico::http
