#include "domain/board_rank.h"

#include <stdexcept>

namespace portico::domain {
namespace {

constexpr int kBase = 26;
int Digit(char c) { return c - 'a'; }
char Char(int d) { return static_cast<char>('a' + d); }

/// The midpoint of a and b (b nullopt: the top), both without trailing zero digits ('a'); a may be "".
/// rocicorp/fractional-indexing's midpoint over the digits a..z.
std::string Midpoint(const std::string& a, const std::optional<std::string>& b) {
  if (b) {
    std::size_t n = 0;
    while (n < b->size() && (n < a.size() ? a[n] : 'a') == (*b)[n]) ++n;
    if (n > 0) {
      return b->substr(0, n) + Midpoint(n < a.size() ? a.substr(n) : "", b->substr(n));
    }
  }
  const int da = a.empty() ? 0 : Digit(a[0]);
  const int db = b ? ((*b).empty() ? kBase : Digit((*b)[0])) : kBase;
  if (db - da > 1) return std::string(1, Char((da + db + 1) / 2));
  if (b && b->size() > 1) return b->substr(0, 1);
  return std::string(1, Char(da)) + Midpoint(a.empty() ? "" : a.substr(1), std::nullopt);
}

}  // namespace

bool IsValidRank(const std::string& rank) {
  if (rank.empty() || rank.back() == 'a') return false;
  for (char c : rank) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

std::string RankBetween(const std::optional<std::string>& before, const std::optional<std::string>& after) {
  if ((before && !IsValidRank(*before)) || (after && !IsValidRank(*after))) {
    throw std::invalid_argument("not a rank");
  }
  if (before && after && !(*before < *after)) throw std::invalid_argument("ranks out of order");
  return Midpoint(before.value_or(""), after);
}

std::vector<std::string> RankSequence(std::size_t n) {
  // Enough two-or-more-letter keys, evenly spread over the key space: k digits give 25 * 26^(k-1)
  // keys not ending in 'a'; leave a gap of at least 4 between neighbours.
  std::vector<std::string> out;
  out.reserve(n);
  std::size_t width = 2;
  std::size_t space = 26 * 26;
  while (space < 4 * (n + 1)) {
    ++width;
    space *= 26;
  }
  const std::size_t step = space / (n + 1);
  for (std::size_t i = 1; i <= n; ++i) {
    std::size_t v = i * step;
    std::string s(width, 'a');
    for (std::size_t k = width; k-- > 0;) {
      s[k] = Char(static_cast<int>(v % 26));
      v /= 26;
    }
    while (s.size() > 1 && s.back() == 'a') s.pop_back();
    if (s == "a" || s.empty()) s = "b";
    out.push_back(s);
  }
  return out;
}

}  // namespace portico::domain
