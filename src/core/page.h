// Pagination (API.md, Conventions): ?page=1&page_size=50, default 50, capped at 200.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

namespace portico {

struct PageRequest {
  std::int64_t page = 1;        // 1-based
  std::int64_t page_size = 50;  // 1..200
  std::int64_t Offset() const { return (page - 1) * page_size; }
};

template <class T>
struct PageOf {
  std::int64_t count = 0;  // total matching rows
  std::vector<T> results;
};

/// One page of a list that is already in memory (short lists: tokens, notes, materials, shifts).
template <class T>
PageOf<T> Paginate(std::vector<T> all, const PageRequest& page) {
  PageOf<T> out;
  out.count = static_cast<std::int64_t>(all.size());
  const auto begin = static_cast<std::size_t>(std::min<std::int64_t>(page.Offset(), out.count));
  const auto end = static_cast<std::size_t>(std::min<std::int64_t>(page.Offset() + page.page_size, out.count));
  out.results.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(begin)),
                     std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end)));
  return out;
}

constexpr std::int64_t kDefaultPageSize = 50;
constexpr std::int64_t kMaxPageSize = 200;

}  // namespace portico
