// Permit/forbid matrices of conversations (issue 11; API.md "Conversations"): one row per role and
// customer access, one column per channel kind and action.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "policy/conversations.h"

namespace portico::policy {
namespace {

using domain::CustomerAccess;
using domain::Role;

Actor Make(std::int64_t id, Role role, std::optional<CustomerAccess> access = std::nullopt, std::int64_t customer = 10) {
  Actor a;
  a.user = UserId(id);
  a.tenant = TenantId(7);
  a.role = role;
  if (access) a.customers.push_back({CustomerId(customer), "C", *access, false});
  return a;
}

const std::map<std::string, Actor>& Everyone() {
  static const std::map<std::string, Actor> kAll = {
      {"admin", Make(1, Role::kAdmin)},
      {"manager", Make(2, Role::kManager)},
      {"tech", Make(3, Role::kTechnician)},
      {"tech2", Make(4, Role::kTechnician)},
      {"approver", Make(5, Role::kCustomer, CustomerAccess::kApprover)},
      {"requester", Make(6, Role::kCustomer, CustomerAccess::kRequester)},
      {"viewer", Make(7, Role::kCustomer, CustomerAccess::kViewer)},
      {"other-customer", Make(8, Role::kCustomer, CustomerAccess::kApprover, 11)},
      {"no-access", Make(9, Role::kCustomer)}};
  return kAll;
}

const std::map<std::string, ChannelFacts>& Channels() {
  static const std::map<std::string, ChannelFacts> kAll = {
      {"customer", {ChannelKind::kCustomer, CustomerId(10), {}, true}},
      {"internal-all", {ChannelKind::kInternal, std::nullopt, {}, false}},
      {"internal-members", {ChannelKind::kInternal, std::nullopt, {UserId(2), UserId(3)}, false}},
      {"direct", {ChannelKind::kDirect, std::nullopt, {UserId(3), UserId(4)}, false}}};
  return kAll;
}

TEST(ConversationPolicy, ReadAndPostMatrix) {
  const std::map<std::string, std::set<std::string>> read = {
      {"customer", {"admin", "manager", "tech", "tech2", "approver", "requester", "viewer"}},
      {"internal-all", {"admin", "manager", "tech", "tech2"}},
      {"internal-members", {"manager", "tech"}},  // admins only as members
      {"direct", {"tech", "tech2"}}};             // nobody else, admins included
  const std::map<std::string, std::set<std::string>> post = {
      {"customer", {"admin", "manager", "tech", "tech2", "approver", "requester"}},
      {"internal-all", {"admin", "manager", "tech", "tech2"}},
      {"internal-members", {"manager", "tech"}},
      {"direct", {"tech", "tech2"}}};
  for (const auto& [cname, channel] : Channels()) {
    for (const auto& [name, actor] : Everyone()) {
      EXPECT_EQ(CanReadChannel(ReaderOf(actor), channel), read.at(cname).contains(name)) << cname << " read by " << name;
      EXPECT_EQ(CanPostIn(actor, channel), post.at(cname).contains(name)) << cname << " post by " << name;
    }
  }
}

TEST(ConversationPolicy, ManageMatrix) {
  for (const auto& [name, actor] : Everyone()) {
    const bool mgr = name == "admin" || name == "manager";
    EXPECT_EQ(CanManageChannel(actor, Channels().at("internal-all")), mgr) << name;
    EXPECT_FALSE(CanManageChannel(actor, Channels().at("direct"))) << name;
    EXPECT_EQ(CanDeleteChannel(actor), name == "admin") << name;
    EXPECT_EQ(CanCreateChannel(actor, ChannelKind::kInternal), mgr || name == "tech" || name == "tech2") << name;
    // Someone else's message: managers and admins delete, nobody edits.
    EXPECT_FALSE(CanEditMessage(actor, UserId(99))) << name;
    EXPECT_EQ(CanDeleteMessage(actor, UserId(99)), mgr) << name;
    // One's own: edit and delete.
    EXPECT_TRUE(CanEditMessage(actor, actor.user)) << name;
    EXPECT_TRUE(CanDeleteMessage(actor, actor.user)) << name;
    EXPECT_FALSE(CanEditMessage(actor, std::nullopt)) << name;
  }
}

TEST(ConversationPolicy, LinkScope) {
  auto s = LinkScopeOf(TenantId(7), Channels().at("customer"));
  EXPECT_FALSE(s.all_of_tenant);
  EXPECT_TRUE(s.Contains(CustomerId(10)));
  EXPECT_FALSE(s.Contains(CustomerId(11)));  // a customer channel never reveals another customer's record
  EXPECT_TRUE(LinkScopeOf(TenantId(7), Channels().at("direct")).all_of_tenant);
  EXPECT_TRUE(LinkScopeOf(TenantId(7), Channels().at("internal-members")).all_of_tenant);
}

TEST(ConversationPolicy, Kinds) {
  for (auto k : {ChannelKind::kCustomer, ChannelKind::kInternal, ChannelKind::kDirect}) {
    EXPECT_EQ(ParseChannelKind(ChannelKindName(k)), k);
  }
  EXPECT_FALSE(ParseChannelKind("Direct"));
}

}  // namespace
}  // namespace portico::policy
