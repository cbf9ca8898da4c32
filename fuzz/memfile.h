// An in-memory file for fuzz targets whose reader takes a path (CSV, configuration).
#pragma once

#include <string>
#include <string_view>

namespace portico::fuzz {

/// An anonymous in-memory file holding `data`; Path() names it for readers that open a path.
class MemFile {
 public:
  explicit MemFile(std::string_view data);
  ~MemFile();
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  std::string Path() const;

 private:
  int fd_;
};

}  // namespace portico::fuzz
