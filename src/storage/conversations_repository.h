// Conversations (issue 11): channels, their members, messages, resolved mentions, read positions.
// Every read goes through a policy::ChannelScope (the SQL form of policy/conversations.h): a channel the
// caller may not read is absent, so the services answer 404.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/page.h"
#include "policy/conversations.h"
#include "storage/db.h"
#include "storage/handles_repository.h"

namespace portico::storage {

struct ChannelRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string kind;  // customer | internal | direct
  std::string name;
  std::optional<CustomerId> customer;
  bool is_default = false;
  std::optional<std::string> direct_key;
  std::vector<UserBrief> members;  // internal and direct channels
  std::optional<UnixSeconds> last_message_at;
  std::int64_t unread_count = 0;   // for the reader the scope names
  /// What the caller may do with it (filled by the service from policy/: post, manage, delete).
  std::vector<std::string> allowed_actions;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  /// What policy/ needs to know of it.
  policy::ChannelFacts Facts() const;
};

/// A resolved mention: a user (with its current name and handle) or a record with its label.
struct MentionRecord {
  std::string kind;  // user | repair | unit | request | change_order
  std::int64_t target_id = 0;
  std::int64_t position = 0;
  std::string label;
  std::string name, handle;  // users
};

struct MessageRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::int64_t channel_id = 0;
  std::optional<UserBrief> author;
  std::optional<std::string> body;  // null once deleted
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> edited_at;
  std::optional<UnixSeconds> deleted_at;
  std::optional<UserBrief> deleted_by;
  std::vector<MentionRecord> mentions;
};

// ---- channels ----
/// The channels `scope` reads, newest activity first (at most 1000), filtered by customer and kind.
std::vector<ChannelRecord> ListChannels(Connection& c, const policy::ChannelScope& scope,
                                        std::optional<CustomerId> customer, const std::optional<std::string>& kind);
std::optional<ChannelRecord> FindChannel(Connection& c, const policy::ChannelScope& scope, std::int64_t id);
/// The customer's default channel (no scope: the caller checked the customer).
std::optional<std::int64_t> FindDefaultChannel(Connection& c, TenantId tenant, CustomerId customer);
std::optional<std::int64_t> FindDirectChannel(Connection& c, TenantId tenant, const std::string& direct_key);
std::int64_t InsertChannel(Connection& c, const ChannelRecord& ch, std::optional<UserId> created_by);
void RenameChannel(Connection& c, TenantId tenant, std::int64_t id, const std::string& name, UnixSeconds now);
void SetChannelMembers(Connection& c, TenantId tenant, std::int64_t id, const std::vector<UserId>& members);
void DeleteChannel(Connection& c, TenantId tenant, std::int64_t id);
/// Of `ids`, the active staff users of `tenant`.
std::vector<UserId> StaffUsers(Connection& c, TenantId tenant, const std::vector<UserId>& ids);

// ---- messages ----
std::int64_t InsertMessage(Connection& c, const MessageRecord& m);
/// One message of a channel `scope` reads (deleted ones too), with its mentions.
std::optional<MessageRecord> FindMessage(Connection& c, const policy::ChannelScope& scope, std::int64_t id);
/// A page of a channel's messages, newest first: without `after` the `limit` newest (older than `before`),
/// with `after` the `limit` oldest newer than it. Returns limit + 1 rows at most (the extra one says more).
std::vector<MessageRecord> ListMessages(Connection& c, std::int64_t channel, std::optional<std::int64_t> before,
                                        std::optional<std::int64_t> after, std::int64_t limit);
void UpdateMessageBody(Connection& c, std::int64_t id, const std::string& body, UnixSeconds now);
/// Clears body and mentions and marks the message deleted.
void MarkMessageDeleted(Connection& c, std::int64_t id, UserId by, UnixSeconds now);
void ReplaceMentions(Connection& c, std::int64_t message, const std::vector<MentionRecord>& mentions);
/// Records that `user` was told about `message`; false when it had been already.
bool MarkNotified(Connection& c, std::int64_t message, UserId user);
void TouchChannel(Connection& c, std::int64_t channel, UnixSeconds at);
/// Messages that mention `user` in channels `scope` reads, not deleted, newest first.
PageOf<MessageRecord> MessagesMentioning(Connection& c, const policy::ChannelScope& scope, const PageRequest& page);
/// True when message `id` is not deleted and lies in a channel `scope` reads (its attachments' scope).
bool MessageReadable(Connection& c, const policy::ChannelScope& scope, std::int64_t id);

// ---- read positions ----
/// Moves the user's read position in the channel forward to `message` (never back).
void MarkRead(Connection& c, TenantId tenant, std::int64_t channel, UserId user, std::int64_t message);
/// True when `message` belongs to `channel`.
bool MessageInChannel(Connection& c, std::int64_t channel, std::int64_t message);

}  // namespace portico::storage
