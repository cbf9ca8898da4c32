// Pagination (API.md, Conventions): ?page=1&page_size=50, default 50, capped at 200.
#pragma once

#include <cstdint>
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

constexpr std::int64_t kDefaultPageSize = 50;
constexpr std::int64_t kMaxPageSize = 200;

}  // namespace portico
