// The mention grammar of conversations (API.md "Conversations", "Mention grammar"; issue 11) and the
// user handle rules (API.md "Users (additions)"). Pure functions: text in, references with their spans
// out. Resolving a reference (does the user exist, may the channel's readers see the record) is the
// services' job, through policy/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portico::domain {

/// What a mention names.
enum class MentionKind { kUser, kRepair, kUnit, kRequest, kChangeOrder };

/// The wire name of a record mention's kind: "repair", "unit", "request", "change_order" ("user" for users).
const char* MentionKindName(MentionKind kind);

/// One mention found in a text. `begin`/`end` are byte offsets of the whole token, `@` included.
struct MentionToken {
  MentionKind kind = MentionKind::kUser;
  std::string handle;    // users: the handle, lower-cased
  std::int64_t id = 0;   // records: the id (1 .. 2^53-1; larger numbers are not mentions)
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Limits of the grammar: a text is parsed up to kMaxMentionText bytes, and at most kMaxMentions
/// distinct mentions are returned (the rest stay plain text).
inline constexpr std::size_t kMaxMentionText = 64 * 1024;
inline constexpr std::size_t kMaxMentions = 50;

/// The mentions of `text`, in order of first appearance, each user or record once (case-insensitive).
/// `@handle` counts when preceded by the start or a character that is not a letter, digit, '.', '_' or
/// '-' (so "ann@example.com" mentions nobody); the handle is the longest run of [A-Za-z0-9_.-] after the
/// '@' less any trailing '.', '_' or '-', and must then be a valid handle (IsValidHandle). `@repair#123`,
/// `@unit#45`, `@request#7`, `@change_order#3` link records (the keyword case-insensitive; the number must
/// not be followed by a handle character). Never throws; bytes that are not ASCII are never part of a token.
std::vector<MentionToken> ParseMentions(std::string_view text);

/// A handle as API.md writes it: [a-z0-9][a-z0-9_.-]{1,29} (after lower-casing).
bool IsValidHandle(std::string_view handle);

/// `input` lower-cased (ASCII only), e.g. "ANN.K" -> "ann.k".
std::string LowerHandle(std::string_view input);

/// A handle derived from an e-mail address's local part: lower-cased, characters outside [a-z0-9_.-]
/// dropped, leading characters that cannot start a handle dropped, cut to 30, trailing '.', '_', '-'
/// dropped; "user" when fewer than 2 characters remain (padded with the remainder, e.g. "a" -> "a-user").
std::string HandleBaseFromEmail(std::string_view email);

/// The n-th alternative of `base` when it is taken (n >= 2): "base2", cut so that it stays <= 30.
std::string HandleCandidate(const std::string& base, int n);

}  // namespace portico::domain
