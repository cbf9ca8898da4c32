#include "memfile.h"

#include <sys/mman.h>
#include <unistd.h>

#include <stdexcept>

namespace portico::fuzz {

MemFile::MemFile(std::string_view data) : fd_(memfd_create("portico-fuzz", 0)) {
  if (fd_ < 0) throw std::runtime_error("memfd_create failed");
  for (std::size_t off = 0; off < data.size();) {
    ssize_t n = write(fd_, data.data() + off, data.size() - off);
    if (n <= 0) throw std::runtime_error("write to memfd failed");
    off += static_cast<std::size_t>(n);
  }
}

MemFile::~MemFile() { close(fd_); }

std::string MemFile::Path() const { return "/proc/self/fd/" + std::to_string(fd_); }

}  // namespace portico::fuzz
