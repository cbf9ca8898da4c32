// The mention grammar (API.md "Conversations", "Mention grammar") and the handle rules ("Users (additions)").
#include <gtest/gtest.h>

#include <string>

#include "domain/mentions.h"

namespace portico::domain {
namespace {

std::string Users(std::string_view text) {
  std::string out;
  for (const auto& m : ParseMentions(text)) {
    if (!out.empty()) out += ",";
    out += m.kind == MentionKind::kUser ? m.handle : std::string(MentionKindName(m.kind)) + "#" + std::to_string(m.id);
  }
  return out;
}

TEST(Mentions, CasesOfTheContract) {
  EXPECT_EQ(Users("@ann hello"), "ann");
  EXPECT_EQ(Users("hello @ann"), "ann");
  EXPECT_EQ(Users("ann@example.com"), "");           // an e-mail address mentions nobody
  EXPECT_EQ(Users("thanks @ann."), "ann");           // trailing '.' is not part of the handle
  EXPECT_EQ(Users("thanks @ann_-."), "ann");
  EXPECT_EQ(Users("@ann.k, look"), "ann.k");
  EXPECT_EQ(Users("@ANN.K"), "ann.k");               // case-insensitive
  EXPECT_EQ(Users("(@ann)"), "ann");
  EXPECT_EQ(Users("@repair#123"), "repair#123");
  EXPECT_EQ(Users("@unit#45 @request#7 @change_order#3"), "unit#45,request#7,change_order#3");
  EXPECT_EQ(Users("@Repair#9"), "repair#9");
  EXPECT_EQ(Users("@ann @ANN @repair#1 @repair#01"), "ann,repair#1");  // each once
  EXPECT_EQ(Users("see @repair#12."), "repair#12");
  EXPECT_EQ(Users("@tess can you check @repair#5"), "tess,repair#5");
}

TEST(Mentions, Spans) {
  auto m = ParseMentions("hi @ann. and @repair#12!");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].begin, 3u);
  EXPECT_EQ(m[0].end, 7u);
  EXPECT_EQ(m[1].begin, 13u);
  EXPECT_EQ(m[1].end, 23u);
}

TEST(Mentions, NotMentions) {
  EXPECT_EQ(Users("@"), "");
  EXPECT_EQ(Users("@ a"), "");
  EXPECT_EQ(Users("@a"), "");                        // a handle has at least 2 characters
  EXPECT_EQ(Users("@_ann"), "");                     // must start with a letter or digit
  EXPECT_EQ(Users("@repair#"), "");
  EXPECT_EQ(Users("@repair#0"), "");
  EXPECT_EQ(Users("@repair#99999999999999999999"), "");
  EXPECT_EQ(Users("@repair#12abc"), "");
  EXPECT_EQ(Users("@repair#-1"), "");
  EXPECT_EQ(Users("x.@ann"), "");
  EXPECT_EQ(Users("Jos\xC3\xA9@ann"), "");          // a non-ASCII letter joins the word
  EXPECT_EQ(Users("@abcdefghijabcdefghijabcdefghijX"), "");  // 31 characters: no handle
}

TEST(Mentions, HostileInput) {
  EXPECT_EQ(Users("@@ann"), "ann");
  EXPECT_EQ(Users("@@x"), "");
  std::string ats(100000, '@');
  EXPECT_EQ(Users(ats), "");
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "@u" + std::to_string(i) + " ";
  EXPECT_EQ(ParseMentions(many).size(), kMaxMentions);
  std::string longword(1 << 20, 'a');
  EXPECT_EQ(Users("@" + longword), "");
  EXPECT_EQ(Users("\xF0\x9F\x98\x80 @ann \xE2\x80\x94@bob"), "ann");
  EXPECT_EQ(Users(std::string("@ann\0@bob", 9)), "ann,bob");
}

TEST(Handles, Rules) {
  EXPECT_TRUE(IsValidHandle("ann"));
  EXPECT_TRUE(IsValidHandle("ann.k"));
  EXPECT_TRUE(IsValidHandle("a1"));
  EXPECT_FALSE(IsValidHandle("a"));
  EXPECT_FALSE(IsValidHandle("Ann"));
  EXPECT_FALSE(IsValidHandle(".ann"));
  EXPECT_FALSE(IsValidHandle("ann k"));
  EXPECT_FALSE(IsValidHandle(std::string(31, 'a')));
  EXPECT_EQ(LowerHandle("ANN.K"), "ann.k");
  EXPECT_EQ(HandleBaseFromEmail("Ann.K@example.com"), "ann.k");
  EXPECT_EQ(HandleBaseFromEmail("+tess+shop@x.io"), "tessshop");
  EXPECT_EQ(HandleBaseFromEmail("a@x.io"), "a-user");
  EXPECT_EQ(HandleBaseFromEmail("__@x.io"), "user");
  EXPECT_EQ(HandleBaseFromEmail(std::string(40, 'b') + "@x.io"), std::string(30, 'b'));
  EXPECT_EQ(HandleCandidate("ann", 2), "ann2");
  EXPECT_EQ(HandleCandidate(std::string(30, 'b'), 12), std::string(28, 'b') + "12");
  EXPECT_TRUE(IsValidHandle(HandleCandidate(HandleBaseFromEmail("x@y"), 3)));
}

}  // namespace
}  // namespace portico::domain
