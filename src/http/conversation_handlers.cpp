// Conversation routes (issue 11; API.md "Conversations"): channels, messages, mentions, read positions.
#include <boost/json.hpp>

#include "core/error.h"
#include "http/dto.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "http/upload.h"

namespace portico::http {
namespace json = boost::json;

namespace {

json::value UserBriefJson(const storage::UserBrief& u) {
  return json::object{{"id", u.id.value}, {"name", u.name}, {"handle", u.handle}};
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::string(s));
  return a;
}

json::value OptTime(const std::optional<UnixSeconds>& t) {
  return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
}

json::value ChannelJson(const storage::ChannelRecord& ch) {
  json::array members;
  for (const auto& m : ch.members) members.push_back(UserBriefJson(m));
  return json::object{{"id", ch.id},
                      {"kind", ch.kind},
                      {"name", ch.name},
                      {"customer_id", ch.customer ? json::value(ch.customer->value) : json::value(nullptr)},
                      {"is_default", ch.is_default},
                      {"members", std::move(members)},
                      {"last_message_at", OptTime(ch.last_message_at)},
                      {"unread_count", ch.unread_count},
                      {"allowed_actions", Strings(ch.allowed_actions)},
                      {"created_at", FormatTimestamp(ch.created_at)}};
}

json::value MentionJson(const storage::MentionRecord& m) {
  if (m.kind == "user") {
    return json::object{{"type", "user"}, {"user", json::object{{"id", m.target_id}, {"name", m.name}, {"handle", m.handle}}}};
  }
  return json::object{{"type", m.kind}, {"id", m.target_id}, {"label", m.label}};
}

json::value MessageJson(const services::MessageView& v) {
  const auto& m = v.message;
  const bool deleted = m.deleted_at.has_value();
  json::array mentions, attachments;
  if (!deleted) {
    for (const auto& x : m.mentions) mentions.push_back(MentionJson(x));
    for (const auto& a : v.attachments) attachments.push_back(AttachmentJson(a));
  }
  return json::object{{"id", m.id},
                      {"channel_id", m.channel_id},
                      {"author", m.author ? UserBriefJson(*m.author) : json::value(nullptr)},
                      {"body", deleted || !m.body ? json::value(nullptr) : json::value(*m.body)},
                      {"mentions", std::move(mentions)},
                      {"attachments", std::move(attachments)},
                      {"created_at", FormatTimestamp(m.created_at)},
                      {"edited_at", OptTime(m.edited_at)},
                      {"deleted", deleted},
                      {"deleted_by", m.deleted_by ? UserBriefJson(*m.deleted_by) : json::value(nullptr)},
                      {"deleted_at", OptTime(m.deleted_at)},
                      {"allowed_actions", Strings(v.allowed_actions)}};
}

Response NoContent() {
  Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterConversationRoutes(App& app, ConversationServices s) {
  Router& r = app.router();

  r.Add("GET", "/api/v1/channels",
        {.operation_id = "listChannels", .summary = "The channels the caller reads, with unread counts", .tag = "conversations",
         .response_schema = "Channel", .paginated = true, .query = {"customer", "kind", "page", "page_size"}},
        [&ch = s.channels](RequestContext& ctx) {
          auto page = ctx.Page();
          std::optional<CustomerId> customer;
          if (auto c = ctx.IntQuery("customer")) customer = CustomerId(*c);
          auto kind = ctx.req.QueryParam("kind");
          std::optional<std::string> k;
          if (kind && !kind->empty()) k = *kind;
          return JsonResponse(200, PageJson(ctx.req, page, Paginate(ch.List(ctx.actor(), customer, k), page), ChannelJson));
        });
  r.Add("POST", "/api/v1/channels",
        {.operation_id = "createChannel", .summary = "Create a channel (staff); an existing direct channel answers 200",
         .tag = "conversations", .body = true, .status = 201, .request_schema = "NewChannel", .response_schema = "Channel"},
        [&ch = s.channels](RequestContext& ctx) {
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::NewChannel in;
          auto kind = rd.String("kind", true, 20);
          in.name = rd.String("name", false, 1000);
          in.customer_id = rd.Int("customer_id");
          in.member_ids = rd.IntArray("member_ids", false, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          in.kind = *kind;
          bool created = false;
          auto out = ch.Create(ctx.actor(), in, created);
          return JsonResponse(created ? 201 : 200, ChannelJson(out));
        });
  r.Add("GET", "/api/v1/channels/{id}",
        {.operation_id = "getChannel", .summary = "One channel the caller reads", .tag = "conversations", .response_schema = "Channel"},
        [&ch = s.channels](RequestContext& ctx) { return JsonResponse(200, ChannelJson(ch.Get(ctx.actor(), ctx.IdParam("id")))); });
  r.Add("PATCH", "/api/v1/channels/{id}",
        {.operation_id = "updateChannel", .summary = "Rename a channel or set an internal channel's members (manager, admin)",
         .tag = "conversations", .body = true, .request_schema = "ChannelPatch", .response_schema = "Channel"},
        [&ch = s.channels](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          services::ChannelPatch p;
          p.name = rd.String("name", false, 1000);
          p.member_ids = rd.IntArray("member_ids", false, 1000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, ChannelJson(ch.Update(ctx.actor(), id, p)));
        });
  r.Add("DELETE", "/api/v1/channels/{id}",
        {.operation_id = "deleteChannel", .summary = "Delete a channel (admin; not a customer's default channel: 409)",
         .tag = "conversations", .status = 204},
        [&ch = s.channels](RequestContext& ctx) {
          ch.Delete(ctx.actor(), ctx.IdParam("id"));
          return NoContent();
        });
  r.Add("GET", "/api/v1/customers/{id}/channel",
        {.operation_id = "getCustomerChannel", .summary = "The customer's default channel (created on first call)",
         .tag = "conversations", .response_schema = "Channel"},
        [&ch = s.channels](RequestContext& ctx) {
          return JsonResponse(200, ChannelJson(ch.CustomerChannel(ctx.actor(), CustomerId(ctx.IdParam("id")))));
        });

  r.Add("GET", "/api/v1/channels/{id}/messages",
        {.operation_id = "listMessages", .summary = "A page of a channel's messages, newest first (anchored by before/after)",
         .tag = "conversations", .response_schema = "MessagePage", .query = {"before", "after", "limit"}},
        [&msg = s.messages](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto before = ctx.IntQuery("before");
          auto after = ctx.IntQuery("after");
          auto limit = ctx.IntQuery("limit").value_or(services::MessageService::kDefaultLimit);
          auto page = msg.List(ctx.actor(), id, before, after, limit);
          json::array results;
          for (const auto& m : page.results) results.push_back(MessageJson(m));
          return JsonResponse(200, json::object{{"results", std::move(results)}, {"has_more", page.has_more}});
        });
  r.Add("POST", "/api/v1/channels/{id}/messages",
        {.operation_id = "postMessage", .summary = "Post a message: JSON, or multipart with body and up to 10 file parts (customer viewers: 403)",
         .tag = "conversations", .body = true, .upload = true, .status = 201, .request_schema = "NewMessage",
         .response_schema = "Message", .max_files = 10},
        [&msg = s.messages](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          if (const auto& form = ctx.req.upload) {
            for (const auto& [name, value] : form->fields) {
              if (name != "body") throw Error::Field(name.c_str(), "Unknown field.");
            }
            auto it = form->fields.find("body");
            std::vector<services::IncomingFile> files;
            for (const auto& f : form->files) files.push_back({f.path, f.name, f.size});
            return JsonResponse(201, MessageJson(msg.Post(ctx.actor(), id, it == form->fields.end() ? "" : it->second, files)));
          }
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto text = rd.String("body", true, 40000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(201, MessageJson(msg.Post(ctx.actor(), id, *text)));
        });
  r.Add("POST", "/api/v1/channels/{id}/read",
        {.operation_id = "markChannelRead", .summary = "Move the caller's read position forward", .tag = "conversations",
         .body = true, .status = 204, .request_schema = "ReadPosition"},
        [&msg = s.messages](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto message = rd.Int("message_id", true);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          if (*message < 1) throw Error::Field("message_id", "A message id.");
          msg.MarkRead(ctx.actor(), id, *message);
          return NoContent();
        });
  r.Add("GET", "/api/v1/channels/{id}/mentionable",
        {.operation_id = "listMentionableUsers", .summary = "Up to 10 readers of the channel whose handle or name starts with q",
         .tag = "conversations", .response_schema = "UserBrief", .array = true, .query = {"q"}},
        [&msg = s.messages](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          json::array out;
          for (const auto& u : msg.Mentionable(ctx.actor(), id, ctx.req.QueryParam("q").value_or(""))) out.push_back(UserBriefJson(u));
          return JsonResponse(200, out);
        });
  r.Add("PATCH", "/api/v1/messages/{id}",
        {.operation_id = "updateMessage", .summary = "Edit one's own message", .tag = "conversations", .body = true,
         .request_schema = "MessagePatch", .response_schema = "Message"},
        [&msg = s.messages](RequestContext& ctx) {
          auto id = ctx.IdParam("id");
          auto body = ctx.Body();
          FieldErrors errors;
          ObjectReader rd(body, errors);
          auto text = rd.String("body", true, 40000);
          rd.CheckUnknown();
          ThrowIfErrors(errors);
          return JsonResponse(200, MessageJson(msg.Edit(ctx.actor(), id, *text)));
        });
  r.Add("DELETE", "/api/v1/messages/{id}",
        {.operation_id = "deleteMessage", .summary = "Delete a message (its author, or a manager or admin who reads the channel)",
         .tag = "conversations", .status = 204},
        [&msg = s.messages](RequestContext& ctx) {
          msg.Delete(ctx.actor(), ctx.IdParam("id"));
          return NoContent();
        });
  r.Add("GET", "/api/v1/messages",
        {.operation_id = "listMentioningMessages", .summary = "Messages that mention the caller (mentions=me), newest first",
         .tag = "conversations", .response_schema = "Message", .paginated = true, .query = {"mentions", "page", "page_size"}},
        [&msg = s.messages](RequestContext& ctx) {
          auto page = ctx.Page();
          auto mentions = ctx.req.QueryParam("mentions");
          if (!mentions || *mentions != "me") throw Error::Field("mentions", "Only mentions=me is supported.");
          return JsonResponse(200, PageJson(ctx.req, page, msg.Mentioning(ctx.actor(), page), MessageJson));
        });
}

}  // namespace portico::http
