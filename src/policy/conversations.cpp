#include "policy/conversations.h"

#include <algorithm>

namespace portico::policy {

using domain::CustomerAccess;
using domain::Role;

const char* ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kCustomer: return "customer";
    case ChannelKind::kInternal: return "internal";
    case ChannelKind::kDirect: return "direct";
  }
  return "internal";
}

std::optional<ChannelKind> ParseChannelKind(const std::string& s) {
  if (s == "customer") return ChannelKind::kCustomer;
  if (s == "internal") return ChannelKind::kInternal;
  if (s == "direct") return ChannelKind::kDirect;
  return std::nullopt;
}

Reader ReaderOf(const Actor& actor) {
  Reader r;
  r.user = actor.user;
  r.staff = actor.IsStaff();
  for (const auto& g : actor.customers) r.customers.push_back(g.customer);
  return r;
}

namespace {
bool IsMember(const ChannelFacts& c, UserId user) {
  return std::find(c.members.begin(), c.members.end(), user) != c.members.end();
}
}  // namespace

bool CanReadChannel(const Reader& reader, const ChannelFacts& channel) {
  switch (channel.kind) {
    case ChannelKind::kCustomer:
      if (reader.staff) return true;
      return channel.customer &&
             std::find(reader.customers.begin(), reader.customers.end(), *channel.customer) != reader.customers.end();
    case ChannelKind::kInternal:
      return reader.staff && (channel.members.empty() || IsMember(channel, reader.user));
    case ChannelKind::kDirect:
      return reader.staff && IsMember(channel, reader.user);
  }
  return false;
}

bool CanPostIn(const Actor& actor, const ChannelFacts& channel) {
  if (!CanReadChannel(ReaderOf(actor), channel)) return false;
  if (actor.IsStaff()) return true;
  auto access = channel.customer ? actor.AccessTo(*channel.customer) : std::nullopt;
  return access == CustomerAccess::kApprover || access == CustomerAccess::kRequester;
}

bool CanCreateChannel(const Actor& actor, ChannelKind /*kind*/) { return actor.IsStaff(); }

bool CanManageChannel(const Actor& actor, const ChannelFacts& channel) {
  if (channel.kind == ChannelKind::kDirect) return false;
  return actor.role == Role::kAdmin || actor.role == Role::kManager;
}

bool CanDeleteChannel(const Actor& actor) { return actor.role == Role::kAdmin; }

bool CanEditMessage(const Actor& actor, std::optional<UserId> author) { return author && *author == actor.user; }

bool CanDeleteMessage(const Actor& actor, std::optional<UserId> author) {
  if (author && *author == actor.user) return true;
  return actor.role == Role::kAdmin || actor.role == Role::kManager;
}

ChannelScope ChannelScopeOf(const Actor& actor) {
  ChannelScope s;
  s.tenant = actor.tenant;
  s.user = actor.user;
  s.staff = actor.IsStaff();
  for (const auto& g : actor.customers) s.customers.push_back(g.customer);
  return s;
}

CustomerScope LinkScopeOf(TenantId tenant, const ChannelFacts& channel) {
  CustomerScope s;
  s.tenant = tenant;
  if (channel.kind == ChannelKind::kCustomer) {
    if (channel.customer) s.customers.push_back(*channel.customer);
  } else {
    s.all_of_tenant = true;
  }
  return s;
}

}  // namespace portico::policy
