// Board order (issue 12; API.md "Board order"): fractional ranks. A rank is a string of the digits
// 'a'..'z' that never ends in 'a', so between any two ranks there is always room for another; the
// order is the plain byte order of the strings (SQLite BINARY, PostgreSQL COLLATE "C").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace portico::domain {

/// Ranks longer than this make the service rebalance the column (RankSequence).
inline constexpr std::size_t kMaxRankLength = 24;

/// A rank strictly between `before` and `after` (each nullopt for the open end). Requires
/// before < after when both are given, and valid ranks; throws std::invalid_argument otherwise.
std::string RankBetween(const std::optional<std::string>& before, const std::optional<std::string>& after);

/// `n` evenly spaced short ranks in ascending order (a rebalanced column).
std::vector<std::string> RankSequence(std::size_t n);

/// True for a valid rank: non-empty, only 'a'..'z', not ending in 'a'.
bool IsValidRank(const std::string& rank);

}  // namespace portico::domain
