#include "storage/conversations_repository.h"

#include <algorithm>
#include <limits>
#include <map>

#include "storage/scope_sql.h"

namespace portico::storage {
namespace {

#define CHANNEL_COLUMNS                                                                                      \
  "ch.id, ch.tenant_id, ch.kind, ch.name, ch.customer_id, ch.is_default, ch.direct_key, ch.last_message_at, " \
  "ch.created_at, ch.updated_at "

constexpr Sql kFindDefault{"channel_find_default",
                           "SELECT id FROM channels WHERE tenant_id = $1 AND customer_id = $2 AND is_default = 1"};
constexpr Sql kFindDirect{"channel_find_direct", "SELECT id FROM channels WHERE tenant_id = $1 AND direct_key = $2"};
constexpr Sql kInsertChannel{"channel_insert",
                             "INSERT INTO channels (tenant_id, kind, name, customer_id, is_default, direct_key, "
                             "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
                             "RETURNING id"};
constexpr Sql kRename{"channel_rename", "UPDATE channels SET name = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kClearMembers{"channel_clear_members", "DELETE FROM channel_members WHERE tenant_id = $1 AND channel_id = $2"};
constexpr Sql kAddMember{"channel_add_member",
                         "INSERT INTO channel_members (channel_id, user_id, tenant_id) VALUES ($2, $3, $1) "
                         "ON CONFLICT (channel_id, user_id) DO NOTHING"};
constexpr Sql kMembersOf{"channel_members_of",
                         "SELECT cm.channel_id, u.id, u.name, COALESCE(u.handle, ''), u.role FROM channel_members cm "
                         "JOIN users u ON u.id = cm.user_id WHERE cm.tenant_id = $1 ORDER BY u.name, u.id"};
constexpr Sql kMembersOfOne{"channel_members_of_one",
                            "SELECT cm.channel_id, u.id, u.name, COALESCE(u.handle, ''), u.role FROM channel_members cm "
                            "JOIN users u ON u.id = cm.user_id WHERE cm.channel_id = $1 ORDER BY u.name, u.id"};
constexpr Sql kDeleteMentionsOfChannel{"channel_delete_mentions",
                                       "DELETE FROM message_mentions WHERE message_id IN "
                                       "(SELECT id FROM messages WHERE channel_id = $1)"};
constexpr Sql kDeleteNotifiedOfChannel{"channel_delete_notified",
                                       "DELETE FROM message_notified WHERE message_id IN "
                                       "(SELECT id FROM messages WHERE channel_id = $1)"};
constexpr Sql kDeleteMessagesOfChannel{"channel_delete_messages", "DELETE FROM messages WHERE channel_id = $1"};
constexpr Sql kDeleteReadsOfChannel{"channel_delete_reads", "DELETE FROM channel_reads WHERE channel_id = $1"};
constexpr Sql kDeleteMembersOfChannel{"channel_delete_members", "DELETE FROM channel_members WHERE channel_id = $1"};
constexpr Sql kDeleteChannel{"channel_delete", "DELETE FROM channels WHERE tenant_id = $1 AND id = $2"};
constexpr Sql kTouch{"channel_touch", "UPDATE channels SET last_message_at = $2 WHERE id = $1"};

#define MESSAGE_COLUMNS                                                                                          \
  "m.id, m.tenant_id, m.channel_id, m.author_id, COALESCE(au.name, ''), COALESCE(au.handle, ''), "             \
  "COALESCE(au.role, ''), m.body, m.created_at, m.edited_at, m.deleted_at, m.deleted_by, COALESCE(db.name, ''), " \
  "COALESCE(db.handle, ''), COALESCE(db.role, '') FROM messages m LEFT JOIN users au ON au.id = m.author_id "     \
  "LEFT JOIN users db ON db.id = m.deleted_by "

constexpr Sql kInsertMessage{"message_insert",
                             "INSERT INTO messages (tenant_id, channel_id, author_id, body, created_at) "
                             "VALUES ($1, $2, $3, $4, $5) RETURNING id"};
constexpr Sql kNewest{"messages_newest",
                      "SELECT " MESSAGE_COLUMNS "WHERE m.channel_id = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT $3"};
constexpr Sql kOldestAfter{"messages_oldest_after",
                           "SELECT " MESSAGE_COLUMNS "WHERE m.channel_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"};
constexpr Sql kUpdateBody{"message_update_body", "UPDATE messages SET body = $2, edited_at = $3 WHERE id = $1"};
constexpr Sql kMarkDeleted{"message_mark_deleted",
                           "UPDATE messages SET body = NULL, deleted_at = $3, deleted_by = $2 WHERE id = $1"};
constexpr Sql kClearMentions{"message_clear_mentions", "DELETE FROM message_mentions WHERE message_id = $1"};
constexpr Sql kAddMention{"message_add_mention",
                          "INSERT INTO message_mentions (message_id, kind, target_id, position, label) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id, kind, target_id) DO NOTHING"};
constexpr Sql kMarkNotified{"message_mark_notified",
                            "INSERT INTO message_notified (message_id, user_id) VALUES ($1, $2) "
                            "ON CONFLICT (message_id, user_id) DO NOTHING"};
constexpr Sql kInChannel{"message_in_channel", "SELECT 1 FROM messages WHERE id = $2 AND channel_id = $1"};
constexpr Sql kMarkRead{"channel_mark_read",
                        "INSERT INTO channel_reads (channel_id, user_id, message_id) VALUES ($1, $2, $3) "
                        "ON CONFLICT (channel_id, user_id) DO UPDATE SET message_id = CASE WHEN excluded.message_id > "
                        "channel_reads.message_id THEN excluded.message_id ELSE channel_reads.message_id END"};

constexpr std::int64_t kMaxChannels = 1000;

ChannelRecord ReadChannel(const Row& r) {
  ChannelRecord ch;
  ch.id = r.Int(0);
  ch.tenant = TenantId(r.Int(1));
  ch.kind = r.Text(2);
  ch.name = r.Text(3);
  if (auto v = r.OptInt(4)) ch.customer = CustomerId(*v);
  ch.is_default = r.Bool(5);
  ch.direct_key = r.OptText(6);
  ch.last_message_at = r.OptInt(7);
  ch.created_at = r.Int(8);
  ch.updated_at = r.Int(9);
  ch.unread_count = r.Int(10);
  return ch;
}

std::optional<UserBrief> BriefAt(const Row& r, std::size_t id_at, std::size_t at) {
  auto id = r.OptInt(id_at);
  if (!id) return std::nullopt;
  return UserBrief{UserId(*id), r.Text(at), r.Text(at + 1), r.Text(at + 2)};
}

MessageRecord ReadMessage(const Row& r) {
  MessageRecord m;
  m.id = r.Int(0);
  m.tenant = TenantId(r.Int(1));
  m.channel_id = r.Int(2);
  m.author = BriefAt(r, 3, 4);
  m.body = r.OptText(7);
  m.created_at = r.Int(8);
  m.edited_at = r.OptInt(9);
  m.deleted_at = r.OptInt(10);
  m.deleted_by = BriefAt(r, 11, 12);
  return m;
}

/// " AND (<channel alias> readable by scope)" binding into `p` (the tenant must already be $1).
std::string ChannelScopeSql(std::vector<Value>& p, const policy::ChannelScope& scope, const char* ch) {
  const std::string a(ch);
  if (scope.staff) {
    p.emplace_back(scope.user.value);
    const std::string me = Param(p);
    return " AND (" + a + ".kind = 'customer' OR (" + a + ".kind = 'internal' AND NOT EXISTS (SELECT 1 FROM " +
           "channel_members cm0 WHERE cm0.channel_id = " + a + ".id)) OR EXISTS (SELECT 1 FROM channel_members cm1 " +
           "WHERE cm1.channel_id = " + a + ".id AND cm1.user_id = " + me + "))";
  }
  if (scope.customers.empty()) return " AND 0 = 1";
  std::string w = " AND " + a + ".kind = 'customer' AND " + a + ".customer_id IN (";
  for (std::size_t i = 0; i < scope.customers.size(); ++i) {
    p.emplace_back(scope.customers[i].value);
    w += (i ? ", " : "") + Param(p);
  }
  return w + ")";
}

/// The unread count column for `user` (bound into `p`).
std::string UnreadSql(std::vector<Value>& p, UserId user) {
  p.emplace_back(user.value);
  const std::string me = Param(p);
  return "(SELECT COUNT(*) FROM messages um WHERE um.channel_id = ch.id AND um.deleted_at IS NULL AND "
         "(um.author_id IS NULL OR um.author_id <> " + me + ") AND um.id > COALESCE((SELECT cr.message_id FROM "
         "channel_reads cr WHERE cr.channel_id = ch.id AND cr.user_id = " + me + "), 0)) ";
}

void AttachMembers(Connection& c, TenantId tenant, std::vector<ChannelRecord>& list) {
  bool any = false;
  for (const auto& ch : list) any = any || ch.kind != "customer";
  if (!any) return;
  std::map<std::int64_t, std::vector<UserBrief>> by_channel;
  const auto rows = list.size() == 1 ? c.Query(kMembersOfOne, {list.front().id}) : c.Query(kMembersOf, {tenant.value});
  for (const auto& r : rows) {
    by_channel[r.Int(0)].push_back({UserId(r.Int(1)), r.Text(2), r.Text(3), r.Text(4)});
  }
  for (auto& ch : list) {
    if (auto it = by_channel.find(ch.id); it != by_channel.end()) ch.members = it->second;
  }
}

void AttachMentions(Connection& c, std::vector<MessageRecord>& list) {
  std::vector<Value> p;
  std::string in;
  for (const auto& m : list) {
    if (m.deleted_at) continue;
    p.emplace_back(m.id);
    in += (in.empty() ? "" : ", ") + Param(p);
  }
  if (in.empty()) return;
  const Sql& sql = ComposedSql("message_mentions_of",
                               "SELECT mm.message_id, mm.kind, mm.target_id, mm.position, mm.label, COALESCE(u.name, ''), "
                               "COALESCE(u.handle, '') FROM message_mentions mm LEFT JOIN users u ON mm.kind = 'user' "
                               "AND u.id = mm.target_id WHERE mm.message_id IN (" + in + ") ORDER BY mm.message_id, mm.position");
  std::map<std::int64_t, std::vector<MentionRecord>> by_message;
  for (const auto& r : c.QueryV(sql, p)) {
    by_message[r.Int(0)].push_back({r.Text(1), r.Int(2), r.Int(3), r.Text(4), r.Text(5), r.Text(6)});
  }
  for (auto& m : list) {
    if (auto it = by_message.find(m.id); it != by_message.end()) m.mentions = it->second;
  }
}

}  // namespace

policy::ChannelFacts ChannelRecord::Facts() const {
  policy::ChannelFacts f;
  f.kind = policy::ParseChannelKind(kind).value_or(policy::ChannelKind::kInternal);
  f.customer = customer;
  for (const auto& m : members) f.members.push_back(m.id);
  f.is_default = is_default;
  return f;
}

std::vector<ChannelRecord> ListChannels(Connection& c, const policy::ChannelScope& scope,
                                        std::optional<CustomerId> customer, const std::optional<std::string>& kind) {
  std::vector<Value> p{scope.tenant.value};
  std::string where = "WHERE ch.tenant_id = $1" + ChannelScopeSql(p, scope, "ch");
  if (customer) {
    p.emplace_back(customer->value);
    where += " AND ch.customer_id = " + Param(p);
  }
  if (kind) {
    p.emplace_back(*kind);
    where += " AND ch.kind = " + Param(p);
  }
  const std::string unread = UnreadSql(p, scope.user);
  p.emplace_back(kMaxChannels);
  const Sql& sql = ComposedSql("channels_list", "SELECT " CHANNEL_COLUMNS ", " + unread + "FROM channels ch " + where +
                                                    " ORDER BY COALESCE(ch.last_message_at, ch.created_at) DESC, ch.id DESC "
                                                    "LIMIT " + Param(p));
  std::vector<ChannelRecord> out;
  for (const auto& r : c.QueryV(sql, p)) out.push_back(ReadChannel(r));
  AttachMembers(c, scope.tenant, out);
  return out;
}

std::optional<ChannelRecord> FindChannel(Connection& c, const policy::ChannelScope& scope, std::int64_t id) {
  std::vector<Value> p{scope.tenant.value};
  std::string where = "WHERE ch.tenant_id = $1" + ChannelScopeSql(p, scope, "ch");
  p.emplace_back(id);
  where += " AND ch.id = " + Param(p);
  const std::string unread = UnreadSql(p, scope.user);
  const Sql& sql = ComposedSql("channel_find", "SELECT " CHANNEL_COLUMNS ", " + unread + "FROM channels ch " + where);
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  std::vector<ChannelRecord> one{ReadChannel(rows.front())};
  AttachMembers(c, scope.tenant, one);
  return one.front();
}

std::optional<std::int64_t> FindDefaultChannel(Connection& c, TenantId tenant, CustomerId customer) {
  auto row = c.QueryOne(kFindDefault, {tenant.value, customer.value});
  if (!row) return std::nullopt;
  return row->Int(0);
}

std::optional<std::int64_t> FindDirectChannel(Connection& c, TenantId tenant, const std::string& direct_key) {
  auto row = c.QueryOne(kFindDirect, {tenant.value, direct_key});
  if (!row) return std::nullopt;
  return row->Int(0);
}

std::int64_t InsertChannel(Connection& c, const ChannelRecord& ch, std::optional<UserId> created_by) {
  auto row = c.QueryOne(kInsertChannel, {ch.tenant.value, ch.kind, ch.name,
                                         ch.customer ? Value(ch.customer->value) : Value(nullptr),
                                         std::int64_t{ch.is_default}, Nullable(ch.direct_key),
                                         created_by ? Value(created_by->value) : Value(nullptr), ch.created_at});
  return row->Int(0);
}

void RenameChannel(Connection& c, TenantId tenant, std::int64_t id, const std::string& name, UnixSeconds now) {
  c.Execute(kRename, {tenant.value, id, name, now});
}

void SetChannelMembers(Connection& c, TenantId tenant, std::int64_t id, const std::vector<UserId>& members) {
  c.Execute(kClearMembers, {tenant.value, id});
  for (auto u : members) c.Execute(kAddMember, {tenant.value, id, u.value});
}

void DeleteChannel(Connection& c, TenantId tenant, std::int64_t id) {
  for (const Sql* sql : {&kDeleteMentionsOfChannel, &kDeleteNotifiedOfChannel, &kDeleteReadsOfChannel,
                         &kDeleteMembersOfChannel, &kDeleteMessagesOfChannel}) {
    c.Execute(*sql, {id});
  }
  c.Execute(kDeleteChannel, {tenant.value, id});
}

std::vector<UserId> StaffUsers(Connection& c, TenantId tenant, const std::vector<UserId>& ids) {
  std::vector<UserId> out;
  for (const auto& u : UsersByIds(c, tenant, ids)) {
    if (u.role != "customer") out.push_back(u.id);
  }
  return out;
}

std::int64_t InsertMessage(Connection& c, const MessageRecord& m) {
  auto row = c.QueryOne(kInsertMessage, {m.tenant.value, m.channel_id,
                                         m.author ? Value(m.author->id.value) : Value(nullptr), Nullable(m.body),
                                         m.created_at});
  return row->Int(0);
}

std::optional<MessageRecord> FindMessage(Connection& c, const policy::ChannelScope& scope, std::int64_t id) {
  std::vector<Value> p{scope.tenant.value};
  std::string scope_sql = ChannelScopeSql(p, scope, "ch");
  p.emplace_back(id);
  const Sql& sql = ComposedSql("message_find", "SELECT " MESSAGE_COLUMNS "JOIN channels ch ON ch.id = m.channel_id "
                                               "WHERE ch.tenant_id = $1" + scope_sql + " AND m.id = " + Param(p));
  auto rows = c.QueryV(sql, p);
  if (rows.empty()) return std::nullopt;
  std::vector<MessageRecord> one{ReadMessage(rows.front())};
  AttachMentions(c, one);
  return one.front();
}

std::vector<MessageRecord> ListMessages(Connection& c, std::int64_t channel, std::optional<std::int64_t> before,
                                        std::optional<std::int64_t> after, std::int64_t limit) {
  std::vector<MessageRecord> out;
  if (after) {
    for (const auto& r : c.Query(kOldestAfter, {channel, *after, limit + 1})) out.push_back(ReadMessage(r));
    // Newest first in the answer; the extra row (if any) is the newest and says more exist.
    std::reverse(out.begin(), out.end());
  } else {
    const std::int64_t below = before.value_or(std::numeric_limits<std::int64_t>::max());
    for (const auto& r : c.Query(kNewest, {channel, below, limit + 1})) out.push_back(ReadMessage(r));
  }
  AttachMentions(c, out);
  return out;
}

void UpdateMessageBody(Connection& c, std::int64_t id, const std::string& body, UnixSeconds now) {
  c.Execute(kUpdateBody, {id, body, now});
}

void MarkMessageDeleted(Connection& c, std::int64_t id, UserId by, UnixSeconds now) {
  c.Execute(kMarkDeleted, {id, by.value, now});
  c.Execute(kClearMentions, {id});
}

void ReplaceMentions(Connection& c, std::int64_t message, const std::vector<MentionRecord>& mentions) {
  c.Execute(kClearMentions, {message});
  for (const auto& m : mentions) c.Execute(kAddMention, {message, m.kind, m.target_id, m.position, m.label});
}

bool MarkNotified(Connection& c, std::int64_t message, UserId user) {
  return c.Execute(kMarkNotified, {message, user.value}) > 0;
}

void TouchChannel(Connection& c, std::int64_t channel, UnixSeconds at) { c.Execute(kTouch, {channel, at}); }

PageOf<MessageRecord> MessagesMentioning(Connection& c, const policy::ChannelScope& scope, const PageRequest& page) {
  std::vector<Value> p{scope.tenant.value};
  std::string where = "WHERE ch.tenant_id = $1" + ChannelScopeSql(p, scope, "ch");
  p.emplace_back(scope.user.value);
  where += " AND m.deleted_at IS NULL AND EXISTS (SELECT 1 FROM message_mentions mm WHERE mm.message_id = m.id AND "
           "mm.kind = 'user' AND mm.target_id = " + Param(p) + ")";
  PageOf<MessageRecord> out;
  const Sql& count = ComposedSql("messages_mentioning_count",
                                 "SELECT COUNT(*) FROM messages m JOIN channels ch ON ch.id = m.channel_id " + where);
  out.count = c.QueryV(count, p).front().Int(0);
  p.emplace_back(page.page_size);
  const std::string lim = Param(p);
  p.emplace_back(page.Offset());
  const Sql& sql = ComposedSql("messages_mentioning", "SELECT " MESSAGE_COLUMNS "JOIN channels ch ON ch.id = m.channel_id " +
                                                          where + " ORDER BY m.id DESC LIMIT " + lim + " OFFSET " + Param(p));
  for (const auto& r : c.QueryV(sql, p)) out.results.push_back(ReadMessage(r));
  AttachMentions(c, out.results);
  return out;
}

bool MessageReadable(Connection& c, const policy::ChannelScope& scope, std::int64_t id) {
  std::vector<Value> p{scope.tenant.value};
  std::string scope_sql = ChannelScopeSql(p, scope, "ch");
  p.emplace_back(id);
  const Sql& sql = ComposedSql("message_readable", "SELECT 1 FROM messages m JOIN channels ch ON ch.id = m.channel_id "
                                                   "WHERE ch.tenant_id = $1" + scope_sql + " AND m.deleted_at IS NULL AND m.id = " +
                                                       Param(p));
  return !c.QueryV(sql, p).empty();
}

void MarkRead(Connection& c, TenantId /*tenant*/, std::int64_t channel, UserId user, std::int64_t message) {
  c.Execute(kMarkRead, {channel, user.value, message});
}

bool MessageInChannel(Connection& c, std::int64_t channel, std::int64_t message) {
  return c.QueryOne(kInChannel, {channel, message}).has_value();
}

}  // namespace portico::storage
