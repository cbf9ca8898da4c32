// The single-page portal's files (web/build), served for every path outside the API: a known file as
// itself, anything else as index.html so deep links work. Inline scripts of index.html are allowed by
// their SHA-256 in the Content-Security-Policy, so no 'unsafe-inline' is needed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "http/message.h"

namespace portico::http {

class StaticFiles {
 public:
  /// Loads every file under `dir` (up to 64 MiB in all) into memory. A missing dir serves a short page
  /// that says the portal is not built.
  explicit StaticFiles(const std::string& dir);
  Response Serve(const Request& req) const;
  const std::string& dir() const { return dir_; }
  bool loaded() const { return !files_.empty(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    bool immutable = false;
  };
  std::string dir_;
  std::map<std::string, File> files_;
  std::string index_csp_;
};

/// The CSP for HTML pages, allowing the given extra script sources (e.g. "'sha256-...'").
std::string PageCsp(const std::string& script_hashes);

}  // namespace portico::http
