#include "domain/mentions.h"

#include <algorithm>
#include <array>
#include <utility>

namespace portico::domain {
namespace {

constexpr std::size_t kMaxHandle = 30;
constexpr std::size_t kMaxIdDigits = 16;
constexpr std::int64_t kMaxId = (std::int64_t{1} << 53) - 1;  // what a JSON number holds exactly

bool IsAsciiAlnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHandleChar(unsigned char c) { return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// A character before '@' that makes it part of a word (an e-mail address): a handle character, or any
/// byte of a non-ASCII character (letters of other scripts are letters too).
bool JoinsWord(unsigned char c) { return IsHandleChar(c) || c >= 0x80; }

struct RecordKeyword {
  std::string_view word;
  MentionKind kind;
};
constexpr std::array<RecordKeyword, 4> kRecordKeywords = {{{"repair", MentionKind::kRepair},
                                                           {"unit", MentionKind::kUnit},
                                                           {"request", MentionKind::kRequest},
                                                           {"change_order", MentionKind::kChangeOrder}}};

std::optional<MentionKind> RecordKind(std::string_view lowered) {
  for (const auto& k : kRecordKeywords) {
    if (k.word == lowered) return k.kind;
  }
  return std::nullopt;
}

}  // namespace

const char* MentionKindName(MentionKind kind) {
  switch (kind) {
    case MentionKind::kUser: return "user";
    case MentionKind::kRepair: return "repair";
    case MentionKind::kUnit: return "unit";
    case MentionKind::kRequest: return "request";
    case MentionKind::kChangeOrder: return "change_order";
  }
  return "user";
}

std::string LowerHandle(std::string_view input) {
  std::string out(input);
  for (auto& c : out) c = Lower(c);
  return out;
}

bool IsValidHandle(std::string_view h) {
  if (h.size() < 2 || h.size() > kMaxHandle) return false;
  const auto first = static_cast<unsigned char>(h[0]);
  if (!((first >= 'a' && first <= 'z') || IsDigit(first))) return false;
  return std::all_of(h.begin(), h.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '.' || c == '-';
  });
}

std::vector<MentionToken> ParseMentions(std::string_view text) {
  std::vector<MentionToken> out;
  if (text.size() > kMaxMentionText) text = text.substr(0, kMaxMentionText);
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n && out.size() < kMaxMentions) {
    std::size_t at = text.find('@', i);
    if (at == std::string_view::npos) break;
    i = at + 1;
    if (at > 0 && JoinsWord(static_cast<unsigned char>(text[at - 1]))) continue;
    std::size_t run_end = i;
    while (run_end < n && IsHandleChar(static_cast<unsigned char>(text[run_end]))) ++run_end;
    if (run_end == i) continue;
    std::string run = LowerHandle(text.substr(i, run_end - i));

    MentionToken t;
    t.begin = at;
    bool found = false;
    if (auto kind = RecordKind(run); kind && run_end < n && text[run_end] == '#') {
      std::size_t d = run_end + 1, digits_end = d;
      while (digits_end < n && IsDigit(static_cast<unsigned char>(text[digits_end]))) ++digits_end;
      const std::size_t digits = digits_end - d;
      const bool glued = digits_end < n && (IsAsciiAlnum(static_cast<unsigned char>(text[digits_end])) ||
                                            text[digits_end] == '_' || static_cast<unsigned char>(text[digits_end]) >= 0x80);
      if (digits > 0 && digits <= kMaxIdDigits && !glued) {
        std::int64_t id = 0;
        for (std::size_t k = d; k < digits_end; ++k) id = id * 10 + (text[k] - '0');
        if (id >= 1 && id <= kMaxId) {
          t.kind = *kind;
          t.id = id;
          t.end = digits_end;
          found = true;
        }
      }
      if (!found) {
        i = std::max(i, digits_end);  // "@repair#99999999999999999999" is plain text, digits and all
        continue;
      }
    }
    if (!found) {
      std::string handle = run;
      while (!handle.empty() && (handle.back() == '.' || handle.back() == '_' || handle.back() == '-')) handle.pop_back();
      if (!IsValidHandle(handle)) {
        i = run_end;
        continue;
      }
      t.kind = MentionKind::kUser;
      t.handle = std::move(handle);
      t.end = i + t.handle.size();
    }
    i = t.end;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const MentionToken& o) {
      return o.kind == t.kind && o.id == t.id && o.handle == t.handle;
    });
    if (!seen) out.push_back(std::move(t));
  }
  return out;
}

std::string HandleBaseFromEmail(std::string_view email) {
  auto at = email.rfind('@');
  std::string_view local = at == std::string_view::npos ? email : email.substr(0, at);
  std::string h;
  for (char ch : local) {
    const char c = Lower(ch);
    const auto u = static_cast<unsigned char>(c);
    if (!((u >= 'a' && u <= 'z') || IsDigit(u) || c == '_' || c == '.' || c == '-')) continue;
    if (h.empty() && !((u >= 'a' && u <= 'z') || IsDigit(u))) continue;
    h.push_back(c);
    if (h.size() == kMaxHandle) break;
  }
  while (!h.empty() && (h.back() == '.' || h.back() == '_' || h.back() == '-')) h.pop_back();
  if (h.empty()) return "user";
  if (h.size() < 2) return h + "-user";
  return h;
}

std::string HandleCandidate(const std::string& base, int n) {
  std::string suffix = std::to_string(n);
  std::string head = base.substr(0, std::min(base.size(), kMaxHandle - suffix.size()));
  return head + suffix;
}

}  // namespace portico::domain
