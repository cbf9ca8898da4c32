// Conversations (issue 11; PRODUCT.md and API.md "Conversations"). Each use case: validate -> load
// (scoped: a channel or message the caller may not read is 404) -> authorize (policy/conversations.h)
// -> one transaction (change + message.* event to exactly the channel's readers + mention notifications)
// -> publish after commit. Bodies are plain text (at most 4,000 characters); mentions are parsed with
// domain/mentions.h and resolved only inside what the channel's readers may see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "policy/actor.h"
#include "services/attachment_service.h"
#include "services/deps.h"
#include "services/repair_service.h"
#include "storage/attachments_repository.h"
#include "storage/conversations_repository.h"

namespace portico::services {

struct NewChannel {
  std::string kind;
  std::optional<std::string> name;
  std::optional<std::int64_t> customer_id;
  std::optional<std::vector<std::int64_t>> member_ids;
};

struct ChannelPatch {
  std::optional<std::string> name;
  std::optional<std::vector<std::int64_t>> member_ids;
};

class ChannelService {
 public:
  ChannelService(Deps deps, AttachmentService& attachments) : deps_(deps), attachments_(attachments) {}
  /// The channels the caller reads (customer and kind filter never widen it; bad kind 400).
  std::vector<storage::ChannelRecord> List(const policy::Actor& actor, std::optional<CustomerId> customer,
                                           const std::optional<std::string>& kind);
  storage::ChannelRecord Get(const policy::Actor& actor, std::int64_t id);
  /// Staff (403). `created` false when an existing direct channel is returned (200).
  storage::ChannelRecord Create(const policy::Actor& actor, const NewChannel& in, bool& created);
  /// Manager, admin (403; direct channels: nobody). name 1..100, member_ids staff users (400).
  storage::ChannelRecord Update(const policy::Actor& actor, std::int64_t id, const ChannelPatch& patch);
  /// Admin (403); a customer's default channel 409. Its messages' attachments and their unused blobs go
  /// with it.
  void Delete(const policy::Actor& actor, std::int64_t id);
  /// The customer's default channel, created on first call (customer outside the caller's scope 404).
  storage::ChannelRecord CustomerChannel(const policy::Actor& actor, CustomerId customer);

 private:
  Deps deps_;
  AttachmentService& attachments_;
};

/// A message with its attachments, as the API shows it.
struct MessageView {
  storage::MessageRecord message;
  std::vector<storage::AttachmentRecord> attachments;
  std::vector<std::string> allowed_actions;  // the caller's: edit, delete (policy/conversations.h)
};

struct MessagePage {
  std::vector<MessageView> results;  // newest first
  bool has_more = false;
};

class MessageService {
 public:
  static constexpr std::int64_t kDefaultLimit = 50;
  static constexpr std::int64_t kMaxLimit = 200;
  static constexpr std::size_t kMaxBody = 4000;

  MessageService(Deps deps, EventPublisher publish = {}) : deps_(deps), publish_(std::move(publish)) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  /// API.md anchors: without `after` the `limit` newest (older than `before`), with `after` the `limit`
  /// oldest newer than it; results newest first either way.
  MessagePage List(const policy::Actor& actor, std::int64_t channel, std::optional<std::int64_t> before,
                   std::optional<std::int64_t> after, std::int64_t limit);
  /// Posts `body` (blank without files: 400; at most 4,000 characters) with up to 10 `files` as its
  /// attachments (checked as attachments are: 415, 413, 400). Customer viewers 403. Message, files,
  /// message.created and, per mentioned reader other than the author, notification.created, in one
  /// transaction.
  MessageView Post(const policy::Actor& actor, std::int64_t channel, const std::string& body,
                   const std::vector<IncomingFile>& files = {});
  /// The attachment service that stores message files (wired in cli/runtime).
  void SetAttachments(AttachmentService* attachments) { attachments_ = attachments; }
  /// Its author only (403), not deleted (409). Mentions parsed again; nobody is told twice.
  MessageView Edit(const policy::Actor& actor, std::int64_t id, const std::string& body);
  /// The author, or a manager or admin who reads the channel (403). Idempotent on a deleted message.
  void Delete(const policy::Actor& actor, std::int64_t id);
  /// Messages mentioning the caller, newest first.
  PageOf<MessageView> Mentioning(const policy::Actor& actor, const PageRequest& page);
  /// Autocomplete for the composer: up to 10 users who read `channel` whose handle or name starts with
  /// `prefix` (channel outside the caller's scope 404).
  std::vector<storage::UserBrief> Mentionable(const policy::Actor& actor, std::int64_t channel, const std::string& prefix);
  /// Moves the read position forward (a message of another channel: 400 on message_id).
  void MarkRead(const policy::Actor& actor, std::int64_t channel, std::int64_t message);

 private:
  std::vector<MessageView> Views(storage::Connection& c, const policy::Actor& actor,
                                 std::vector<storage::MessageRecord> list);
  Deps deps_;
  EventPublisher publish_;
  AttachmentService* attachments_ = nullptr;
};

/// Resolution of `@request#N` and `@change_order#N` links (`kind` "request" or "change_order"): the label of
/// the record when it belongs to a customer inside `scope` ("Request #7: title", "Change order #3 · repair
/// #12"), else nullopt ("not found": the link stays plain text and reveals nothing).
std::optional<std::string> ResolveRequestOrChangeOrderLabel(storage::Connection& c, const policy::CustomerScope& scope,
                                                            const std::string& kind, std::int64_t id);

}  // namespace portico::services
