// Who may do what in conversations (PRODUCT.md and API.md "Conversations"; issue 11). Deny by default.
//   customer channel: every staff user of the tenant and every user with access to its customer reads it;
//                     viewers may not post.
//   internal channel: staff only; with members, its members alone (admins included only as members).
//   direct channel:   exactly its two staff members; no one else, admins included.
// Messages: the author edits (not deleted); the author, or a manager or admin who reads the channel,
// deletes. Channels: staff create; managers and admins rename and change members; admins delete (not a
// customer's default channel). Record links resolve only inside LinkScopeOf; user mentions count only
// for users who read the channel. Repositories turn ChannelScope into SQL (storage/conversations_repository).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "policy/actor.h"
#include "policy/policy.h"

namespace portico::policy {

enum class ChannelKind { kCustomer, kInternal, kDirect };

const char* ChannelKindName(ChannelKind kind);
std::optional<ChannelKind> ParseChannelKind(const std::string& s);

/// What policy needs to know of a channel.
struct ChannelFacts {
  ChannelKind kind = ChannelKind::kInternal;
  std::optional<CustomerId> customer;  // customer channels
  std::vector<UserId> members;         // internal (empty = all staff) and direct channels
  bool is_default = false;             // a customer's default channel
};

/// A reader as policy sees it (also for users other than the caller, e.g. a mentioned user).
struct Reader {
  UserId user;
  bool staff = false;
  std::vector<CustomerId> customers;  // customer users: the customers it has any access to
};

Reader ReaderOf(const Actor& actor);

/// May `reader` read `channel` (its messages, members, unread count)?
bool CanReadChannel(const Reader& reader, const ChannelFacts& channel);
/// May `actor` (who reads it) post in `channel`? Staff and customer requesters and approvers.
bool CanPostIn(const Actor& actor, const ChannelFacts& channel);
/// May `actor` create a channel of `kind`? Staff.
bool CanCreateChannel(const Actor& actor, ChannelKind kind);
/// May `actor` rename a channel or change its members? Manager, admin (direct channels: nobody).
bool CanManageChannel(const Actor& actor, const ChannelFacts& channel);
/// May `actor` delete `channel`? Admin (a customer's default channel: a 409 the service decides).
bool CanDeleteChannel(const Actor& actor);
/// May `actor` edit a message written by `author`? Its author only.
bool CanEditMessage(const Actor& actor, std::optional<UserId> author);
/// May `actor` (who reads the channel) delete a message written by `author`? The author, manager, admin.
bool CanDeleteMessage(const Actor& actor, std::optional<UserId> author);

/// The row scope of channels for SQL: the tenant, the reader, staff or the reader's customers.
struct ChannelScope {
  TenantId tenant;
  UserId user;
  bool staff = false;
  std::vector<CustomerId> customers;
};
ChannelScope ChannelScopeOf(const Actor& actor);

/// Where record links of a message in `channel` may resolve: the channel's customer only (customer
/// channels), or every customer of the tenant (internal and direct channels).
CustomerScope LinkScopeOf(TenantId tenant, const ChannelFacts& channel);

}  // namespace portico::policy
