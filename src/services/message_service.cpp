// Messages (issue 11): post, edit, delete, anchored pages, "my mentions", read positions. Mentions are
// resolved against the channel: a user counts only when it reads the channel, a record link only when
// it lies in the channel's link scope (policy::LinkScopeOf); everything else stays plain text and no
// label of it is ever written.
#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "domain/mentions.h"
#include "domain/roles.h"
#include "policy/conversations.h"
#include "services/conversation_service.h"
#include "storage/requests_repository.h"
#include "services/support_service.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/notifications_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxNotificationBody = 200;

/// Plain text: not blank, at most 4,000 characters, no control characters but line breaks and tabs.
std::string CheckBody(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) throw Error::Field("body", "Required.");
  if (CountCharacters(body) > MessageService::kMaxBody) throw Error::Field("body", "At most 4000 characters.");
  for (unsigned char ch : body) {
    if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7f) {
      throw Error::Field("body", "Plain text only: no control characters.");
    }
  }
  return body;
}

/// A user other than the caller, as policy sees a reader.
policy::Reader ReaderOfUser(storage::Connection& c, const storage::UserBrief& u) {
  policy::Reader r;
  r.user = u.id;
  r.staff = u.role != "customer";
  if (!r.staff) {
    for (const auto& a : storage::ListAccessOfUser(c, u.id)) r.customers.push_back(a.customer);
  }
  return r;
}

/// The first characters of a body for a notification (UTF-8 kept whole).
std::string Excerpt(const std::string& body) {
  if (body.size() <= kMaxNotificationBody) return body;
  std::size_t cut = kMaxNotificationBody;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return body.substr(0, cut) + "…";
}

struct Resolved {
  std::vector<storage::MentionRecord> mentions;
  std::vector<UserId> users;  // mentioned readers of the channel
};

Resolved ResolveMentions(storage::Connection& c, TenantId tenant, const storage::ChannelRecord& channel,
                         const std::string& body) {
  Resolved out;
  const auto tokens = domain::ParseMentions(body);
  const auto facts = channel.Facts();
  const auto link_scope = policy::LinkScopeOf(tenant, facts);
  std::vector<std::string> handles;
  for (const auto& t : tokens) {
    if (t.kind == domain::MentionKind::kUser) handles.push_back(t.handle);
  }
  std::map<std::string, storage::UserBrief> users;
  for (auto& u : storage::UsersByHandles(c, tenant, handles)) users.emplace(u.handle, u);
  std::int64_t position = 0;
  for (const auto& t : tokens) {
    storage::MentionRecord m;
    m.kind = domain::MentionKindName(t.kind);
    m.position = position;
    switch (t.kind) {
      case domain::MentionKind::kUser: {
        auto it = users.find(t.handle);
        if (it == users.end() || !policy::CanReadChannel(ReaderOfUser(c, it->second), facts)) continue;
        m.target_id = it->second.id.value;
        m.name = it->second.name;
        m.handle = it->second.handle;
        out.users.push_back(it->second.id);
        break;
      }
      case domain::MentionKind::kRepair: {
        auto r = storage::FindRepair(c, link_scope, RepairId(t.id));
        if (!r) continue;
        m.target_id = t.id;
        m.label = "Repair #" + std::to_string(t.id) + (r->unit_number.empty() ? "" : " · unit " + r->unit_number);
        break;
      }
      case domain::MentionKind::kUnit: {
        auto u = storage::FindUnit(c, link_scope, UnitId(t.id));
        if (!u) continue;
        m.target_id = t.id;
        m.label = "Unit " + u->unit_number;
        break;
      }
      case domain::MentionKind::kRequest:
      case domain::MentionKind::kChangeOrder: {
        auto label = ResolveRequestOrChangeOrderLabel(c, link_scope, m.kind, t.id);
        if (!label) continue;
        m.target_id = t.id;
        m.label = *label;
        break;
      }
    }
    ++position;
    out.mentions.push_back(std::move(m));
  }
  return out;
}

/// message.* events to exactly the channel's readers: a customer channel's customer (and all staff), an
/// open internal channel's staff, or each member of a restricted one.
std::vector<storage::EventRecord> Emit(storage::Connection& c, const storage::ChannelRecord& ch, const char* type,
                                       std::int64_t message, UserId by, UnixSeconds now) {
  storage::EventRecord e;
  e.tenant = ch.tenant;
  e.type = type;
  e.data = json::serialize(json::object{{"channel_id", ch.id}, {"message_id", message}, {"by_id", by.value}});
  e.occurred_at = now;
  std::vector<storage::EventRecord> out;
  if (ch.kind == "customer") {
    e.customer = ch.customer;
    out.push_back(e);
  } else if (ch.members.empty()) {
    e.internal = true;
    out.push_back(e);
  } else {
    for (const auto& m : ch.members) {
      e.user = m.id;
      e.internal = true;
      out.push_back(e);
    }
  }
  for (auto& ev : out) ev.id = storage::InsertEvent(c, ev);
  return out;
}

/// One notification (and its notification.created event) per mentioned reader not told before; also
/// e-mailed when the server sends e-mail (`email_enabled`) and the user's preferences say so (PRODUCT.md,
/// "Notification"): staff always, a customer user when the channel's customer wants e-mail.
void Notify(storage::Connection& c, const policy::Actor& actor, const storage::ChannelRecord& ch, std::int64_t message,
            const std::string& body, const std::vector<UserId>& users, std::int64_t event_id, UnixSeconds now,
            bool email_enabled, std::vector<storage::EventRecord>& events) {
  std::optional<bool> customer_wants_email;
  for (auto user : users) {
    if (user == actor.user || !storage::MarkNotified(c, message, user)) continue;
    bool email = false;
    if (email_enabled) {
      auto u = storage::FindUser(c, actor.tenant, user);
      if (u && domain::IsStaff(u->role)) {
        email = true;
      } else if (u && ch.customer) {
        if (!customer_wants_email) customer_wants_email = storage::CustomerWantsEmail(c, *ch.customer);
        email = *customer_wants_email;
      }
    }
    storage::NotificationRecord n;
    n.tenant = actor.tenant;
    n.user = user;
    n.event_id = event_id;
    n.type = "mention";
    n.channel = ch.id;
    n.title = actor.name + " mentioned you in " + ch.name;
    n.body = Excerpt(body);
    n.created_at = now;
    auto nid = storage::InsertNotification(c, n, email);
    if (!nid) continue;
    storage::EventRecord ev;
    ev.tenant = actor.tenant;
    ev.type = "notification.created";
    ev.user = user;
    ev.data = json::serialize(json::object{{"notification_id", *nid}, {"type", n.type}, {"title", n.title},
                                           {"channel_id", ch.id}, {"message_id", message}});
    ev.occurred_at = now;
    ev.id = storage::InsertEvent(c, ev);
    events.push_back(ev);
  }
}

}  // namespace

std::optional<std::string> ResolveRequestOrChangeOrderLabel(storage::Connection& c, const policy::CustomerScope& scope,
                                                            const std::string& kind, std::int64_t id) {
  if (kind == "request") {
    auto r = storage::FindClientRequest(c, scope, id, false);
    if (!r) return std::nullopt;
    return "Request #" + std::to_string(id) + ": " + r->title;
  }
  if (kind == "change_order") {
    auto o = storage::FindChangeOrder(c, scope, id);
    if (!o) return std::nullopt;
    return "Change order #" + std::to_string(id) + " · repair #" + std::to_string(o->repair.value);
  }
  return std::nullopt;
}

std::vector<MessageView> MessageService::Views(storage::Connection& c, const policy::Actor& actor,
                                              std::vector<storage::MessageRecord> list) {
  std::vector<MessageView> out;
  out.reserve(list.size());
  for (auto& m : list) {
    MessageView v;
    if (!m.deleted_at) {
      v.attachments = storage::ListAttachments(c, m.tenant, "message", m.id, true);
      auto author = m.author ? std::optional(m.author->id) : std::nullopt;
      if (policy::CanEditMessage(actor, author)) v.allowed_actions.emplace_back("edit");
      if (policy::CanDeleteMessage(actor, author)) v.allowed_actions.emplace_back("delete");
    }
    v.message = std::move(m);
    out.push_back(std::move(v));
  }
  return out;
}

MessagePage MessageService::List(const policy::Actor& actor, std::int64_t channel, std::optional<std::int64_t> before,
                                 std::optional<std::int64_t> after, std::int64_t limit) {
  if (limit < 1) throw Error::Field("limit", "At least 1.");
  limit = std::min(limit, kMaxLimit);
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  if (!storage::FindChannel(c, policy::ChannelScopeOf(actor), channel)) throw Error::NotFound("No such channel.");
  auto rows = storage::ListMessages(c, channel, before, after, limit);
  MessagePage page;
  if (static_cast<std::int64_t>(rows.size()) > limit) {
    page.has_more = true;
    if (after) rows.erase(rows.begin());  // newest first: the extra one is the newest
    else rows.pop_back();                 // the extra one is the oldest
  }
  page.results = Views(c, actor, std::move(rows));
  return page;
}

MessageView MessageService::Post(const policy::Actor& actor, std::int64_t channel, const std::string& body_in,
                                 const std::vector<IncomingFile>& files) {
  constexpr std::size_t kMaxFiles = 10;
  // Scope, permission and the text first (404, 403, 400), then the work on the files, outside the writer.
  std::vector<PreparedFile> prepared;
  {
    auto rtx = deps_.db.Read();
    auto ch = storage::FindChannel(rtx->conn(), policy::ChannelScopeOf(actor), channel);
    if (!ch) throw Error::NotFound("No such channel.");
    if (!policy::CanPostIn(actor, ch->Facts())) throw Error::Forbidden("Viewers read the conversation but do not post.");
    if (files.empty() || body_in.find_first_not_of(" \t\r\n") != std::string::npos) CheckBody(body_in);
    if (files.size() > kMaxFiles) throw Error::Field("file", "At most 10 files.");
    if (!files.empty() && !attachments_) throw Error::Internal("message attachments are not wired");
    const std::string visibility = ch->kind == "customer" ? "customer" : "internal";
    for (const auto& f : files) prepared.push_back(attachments_->Prepare(actor, f, visibility));
  }
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto ch = storage::FindChannel(c, policy::ChannelScopeOf(actor), channel);
  if (!ch) throw Error::NotFound("No such channel.");
  if (!policy::CanPostIn(actor, ch->Facts())) throw Error::Forbidden("Viewers read the conversation but do not post.");
  const std::string body = body_in;
  const UnixSeconds now = deps_.clock.Now();
  storage::MessageRecord m;
  m.tenant = actor.tenant;
  m.channel_id = ch->id;
  m.author = storage::UserBrief{actor.user, actor.name, "", ""};
  m.body = body;
  m.created_at = now;
  m.id = storage::InsertMessage(c, m);
  for (auto& f : prepared) {
    f.record.owner_type = "message";
    f.record.owner_id = m.id;
    f.record.customer = ch->customer.value_or(CustomerId(0));  // internal and direct channels: no customer
  }
  if (!prepared.empty()) attachments_->Store(c, actor.tenant, prepared);
  auto resolved = ResolveMentions(c, actor.tenant, *ch, body);
  storage::ReplaceMentions(c, m.id, resolved.mentions);
  storage::TouchChannel(c, ch->id, now);
  auto events = Emit(c, *ch, "message.created", m.id, actor.user, now);
  Notify(c, actor, *ch, m.id, body, resolved.users, events.front().id, now,
         !deps_.config.smtp_host.empty(), events);
  auto view = Views(c, actor, {*storage::FindMessage(c, policy::ChannelScopeOf(actor), m.id)});
  tx->Commit();
  if (publish_) {
    for (const auto& e : events) publish_(e);
  }
  return view.front();
}

MessageView MessageService::Edit(const policy::Actor& actor, std::int64_t id, const std::string& body_in) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  const auto scope = policy::ChannelScopeOf(actor);
  auto m = storage::FindMessage(c, scope, id);
  if (!m) throw Error::NotFound("No such message.");
  if (!policy::CanEditMessage(actor, m->author ? std::optional(m->author->id) : std::nullopt)) {
    throw Error::Forbidden("Only its author edits a message.");
  }
  const std::string body = CheckBody(body_in);
  if (m->deleted_at) throw Error::Conflict("This message was deleted.");
  auto ch = storage::FindChannel(c, scope, m->channel_id);
  if (!ch) throw Error::NotFound("No such message.");
  const UnixSeconds now = deps_.clock.Now();
  storage::UpdateMessageBody(c, id, body, now);
  auto resolved = ResolveMentions(c, actor.tenant, *ch, body);
  storage::ReplaceMentions(c, id, resolved.mentions);
  auto events = Emit(c, *ch, "message.updated", id, actor.user, now);
  Notify(c, actor, *ch, id, body, resolved.users, events.front().id, now,
         !deps_.config.smtp_host.empty(), events);
  auto view = Views(c, actor, {*storage::FindMessage(c, scope, id)});
  tx->Commit();
  if (publish_) {
    for (const auto& e : events) publish_(e);
  }
  return view.front();
}

void MessageService::Delete(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  const auto scope = policy::ChannelScopeOf(actor);
  auto m = storage::FindMessage(c, scope, id);
  if (!m) throw Error::NotFound("No such message.");
  if (!policy::CanDeleteMessage(actor, m->author ? std::optional(m->author->id) : std::nullopt)) {
    throw Error::Forbidden("Authors, managers and admins delete messages.");
  }
  if (m->deleted_at) return;  // already gone
  auto ch = storage::FindChannel(c, scope, m->channel_id);
  if (!ch) throw Error::NotFound("No such message.");
  const UnixSeconds now = deps_.clock.Now();
  storage::MarkMessageDeleted(c, id, actor.user, now);
  auto events = Emit(c, *ch, "message.deleted", id, actor.user, now);
  tx->Commit();
  if (publish_) {
    for (const auto& e : events) publish_(e);
  }
}

PageOf<MessageView> MessageService::Mentioning(const policy::Actor& actor, const PageRequest& page) {
  auto tx = deps_.db.Read();
  auto found = storage::MessagesMentioning(tx->conn(), policy::ChannelScopeOf(actor), page);
  PageOf<MessageView> out;
  out.count = found.count;
  out.results = Views(tx->conn(), actor, std::move(found.results));
  return out;
}

std::vector<storage::UserBrief> MessageService::Mentionable(const policy::Actor& actor, std::int64_t channel,
                                                            const std::string& prefix) {
  constexpr std::size_t kMaxSuggestions = 10;
  if (prefix.size() > 60) throw Error::Field("q", "At most 60 characters.");
  auto tx = deps_.db.Read();
  auto& c = tx->conn();
  auto ch = storage::FindChannel(c, policy::ChannelScopeOf(actor), channel);
  if (!ch) throw Error::NotFound("No such channel.");
  const auto facts = ch->Facts();
  std::vector<storage::UserBrief> out;
  for (auto& u : storage::UsersByPrefix(c, actor.tenant, prefix, 200)) {
    if (!policy::CanReadChannel(ReaderOfUser(c, u), facts)) continue;
    out.push_back(std::move(u));
    if (out.size() == kMaxSuggestions) break;
  }
  return out;
}

void MessageService::MarkRead(const policy::Actor& actor, std::int64_t channel, std::int64_t message) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  if (!storage::FindChannel(c, policy::ChannelScopeOf(actor), channel)) throw Error::NotFound("No such channel.");
  if (!storage::MessageInChannel(c, channel, message)) throw Error::Field("message_id", "No such message in this channel.");
  storage::MarkRead(c, actor.tenant, channel, actor.user, message);
  tx->Commit();
}

}  // namespace portico::services
