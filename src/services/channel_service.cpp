// Channels (issue 11): list, create (direct channels unique per pair), rename and members, delete, and
// a customer's default channel created on first need.
#include <algorithm>
#include <set>

#include "core/error.h"
#include "policy/conversations.h"
#include "services/conversation_service.h"
#include "services/support_service.h"
#include "storage/customers_repository.h"

namespace portico::services {
namespace {

using policy::ChannelKind;

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxMembers = 500;

void CheckName(FieldErrors& errors, const std::string& name) {
  if (name.find_first_not_of(" \t") == std::string::npos) {
    errors["name"].push_back("Required.");
  } else if (CountCharacters(name) > kMaxName) {
    errors["name"].push_back("At most 100 characters.");
  } else if (std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
    errors["name"].push_back("Plain text on one line.");
  }
}

/// The staff users named by `ids` (each once); a non-staff, foreign or unknown id is 400 on member_ids.
std::vector<UserId> ReadMembers(storage::Connection& c, TenantId tenant, const std::vector<std::int64_t>& ids) {
  if (ids.size() > kMaxMembers) throw Error::Field("member_ids", "At most 500 members.");
  std::set<std::int64_t> unique(ids.begin(), ids.end());
  std::vector<UserId> wanted;
  for (auto id : unique) wanted.emplace_back(id);
  auto staff = storage::StaffUsers(c, tenant, wanted);
  if (staff.size() != wanted.size()) throw Error::Field("member_ids", "Members are staff users of this shop.");
  return staff;
}

std::string DirectKey(UserId a, UserId b) {
  auto lo = std::min(a.value, b.value), hi = std::max(a.value, b.value);
  return std::to_string(lo) + "-" + std::to_string(hi);
}

/// The caller's allowed actions on a channel it reads (policy/conversations.h).
storage::ChannelRecord WithActions(const policy::Actor& actor, storage::ChannelRecord ch) {
  const auto facts = ch.Facts();
  if (policy::CanPostIn(actor, facts)) ch.allowed_actions.emplace_back("post");
  if (policy::CanManageChannel(actor, facts)) ch.allowed_actions.emplace_back("manage");
  if (policy::CanDeleteChannel(actor) && !ch.is_default) ch.allowed_actions.emplace_back("delete");
  return ch;
}

}  // namespace

std::vector<storage::ChannelRecord> ChannelService::List(const policy::Actor& actor, std::optional<CustomerId> customer,
                                                         const std::optional<std::string>& kind) {
  if (kind && !policy::ParseChannelKind(*kind)) throw Error::Field("kind", "One of customer, internal, direct.");
  auto tx = deps_.db.Read();
  auto list = storage::ListChannels(tx->conn(), policy::ChannelScopeOf(actor), customer, kind);
  for (auto& ch : list) ch = WithActions(actor, std::move(ch));
  return list;
}

storage::ChannelRecord ChannelService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto ch = storage::FindChannel(tx->conn(), policy::ChannelScopeOf(actor), id);
  if (!ch) throw Error::NotFound("No such channel.");
  return WithActions(actor, std::move(*ch));
}

storage::ChannelRecord ChannelService::Create(const policy::Actor& actor, const NewChannel& in, bool& created) {
  auto kind = policy::ParseChannelKind(in.kind);
  if (!kind) throw Error::Field("kind", "One of customer, internal, direct.");
  if (!policy::CanCreateChannel(actor, *kind)) throw Error::Forbidden("Only the shop's staff create channels.");
  FieldErrors errors;
  if (in.name) CheckName(errors, *in.name);
  if (*kind != ChannelKind::kDirect && !in.name) errors["name"].push_back("Required.");
  if (*kind == ChannelKind::kCustomer && !in.customer_id) errors["customer_id"].push_back("Required for a customer channel.");
  if (*kind != ChannelKind::kCustomer && in.customer_id) errors["customer_id"].push_back("Only customer channels have one.");
  if (*kind == ChannelKind::kCustomer && in.member_ids) errors["member_ids"].push_back("A customer channel has no members.");
  if (*kind == ChannelKind::kDirect && !in.member_ids) errors["member_ids"].push_back("Exactly one other staff member.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));

  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  storage::ChannelRecord ch;
  ch.tenant = actor.tenant;
  ch.kind = policy::ChannelKindName(*kind);
  ch.name = in.name.value_or("");
  ch.created_at = ch.updated_at = deps_.clock.Now();
  std::vector<UserId> members;
  if (*kind == ChannelKind::kCustomer) {
    auto customer = storage::FindCustomer(c, policy::ScopeOf(actor), CustomerId(*in.customer_id));
    if (!customer) throw Error::Field("customer_id", "No such customer.");
    ch.customer = customer->id;
  } else if (in.member_ids) {
    members = ReadMembers(c, actor.tenant, *in.member_ids);
    if (*kind == ChannelKind::kDirect) {
      std::erase(members, actor.user);
      if (members.size() != 1) throw Error::Field("member_ids", "Exactly one other staff member.");
      ch.direct_key = DirectKey(actor.user, members.front());
      if (auto existing = storage::FindDirectChannel(c, actor.tenant, *ch.direct_key)) {
        created = false;
        auto found = storage::FindChannel(c, policy::ChannelScopeOf(actor), *existing);
        if (!found) throw Error::Internal("direct channel not readable by its member");
        return WithActions(actor, std::move(*found));
      }
      if (ch.name.empty()) ch.name = "direct";
    }
    // The creator reads what it creates: a restricted channel includes it.
    if (!members.empty() && std::find(members.begin(), members.end(), actor.user) == members.end()) {
      members.push_back(actor.user);
    }
  }
  ch.id = storage::InsertChannel(c, ch, actor.user);
  if (!members.empty()) storage::SetChannelMembers(c, actor.tenant, ch.id, members);
  auto out = storage::FindChannel(c, policy::ChannelScopeOf(actor), ch.id);
  tx->Commit();
  created = true;
  if (!out) throw Error::Internal("created channel not readable by its creator");
  return WithActions(actor, std::move(*out));
}

storage::ChannelRecord ChannelService::Update(const policy::Actor& actor, std::int64_t id, const ChannelPatch& patch) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto ch = storage::FindChannel(c, policy::ChannelScopeOf(actor), id);
  if (!ch) throw Error::NotFound("No such channel.");
  if (!policy::CanManageChannel(actor, ch->Facts())) throw Error::Forbidden("Managers and admins change channels.");
  FieldErrors errors;
  if (patch.name) CheckName(errors, *patch.name);
  if (patch.member_ids && ch->kind != "internal") errors["member_ids"].push_back("Only internal channels have members.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  const UnixSeconds now = deps_.clock.Now();
  if (patch.name) storage::RenameChannel(c, actor.tenant, id, *patch.name, now);
  if (patch.member_ids) {
    auto members = ReadMembers(c, actor.tenant, *patch.member_ids);
    storage::SetChannelMembers(c, actor.tenant, id, members);
  }
  // The caller may have removed itself: answer with what the channel now is.
  auto out = storage::FindChannel(c, policy::ChannelScope{actor.tenant, actor.user, true, {}}, id);
  tx->Commit();
  if (!out) throw Error::Internal("channel vanished");
  return WithActions(actor, std::move(*out));
}

void ChannelService::Delete(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto ch = storage::FindChannel(c, policy::ChannelScopeOf(actor), id);
  if (!ch) throw Error::NotFound("No such channel.");
  if (!policy::CanDeleteChannel(actor)) throw Error::Forbidden("Only admins delete channels.");
  if (ch->is_default) throw Error::Conflict("A customer's default channel cannot be deleted.");
  const auto blobs = storage::DeleteChannelAttachments(c, actor.tenant, id);
  storage::DeleteChannel(c, actor.tenant, id);
  attachments_.Collect(c, blobs);
  tx->Commit();
}

storage::ChannelRecord ChannelService::CustomerChannel(const policy::Actor& actor, CustomerId customer) {
  const auto scope = policy::ChannelScopeOf(actor);
  {
    auto tx = deps_.db.Read();
    auto found = storage::FindCustomer(tx->conn(), policy::ScopeOf(actor), customer);
    if (!found) throw Error::NotFound("No such customer.");
    if (auto id = storage::FindDefaultChannel(tx->conn(), actor.tenant, customer)) {
      if (auto ch = storage::FindChannel(tx->conn(), scope, *id)) return WithActions(actor, std::move(*ch));
    }
  }
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto found = storage::FindCustomer(c, policy::ScopeOf(actor), customer);
  if (!found) throw Error::NotFound("No such customer.");
  auto id = storage::FindDefaultChannel(c, actor.tenant, customer);
  if (!id) {
    storage::ChannelRecord ch;
    ch.tenant = actor.tenant;
    ch.kind = "customer";
    ch.name = found->name;
    ch.customer = customer;
    ch.is_default = true;
    ch.created_at = ch.updated_at = deps_.clock.Now();
    id = storage::InsertChannel(c, ch, actor.user);
  }
  auto out = storage::FindChannel(c, scope, *id);
  tx->Commit();
  if (!out) throw Error::NotFound("No such customer.");
  return WithActions(actor, std::move(*out));
}

}  // namespace portico::services
