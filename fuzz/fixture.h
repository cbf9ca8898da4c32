// What the fuzz targets share: a whole Portico process without a socket (fresh SQLite file, a tenant
// "fuzz" with an admin, a customer and a repair, every route of `serve`, one logged-in session), and
// in-memory files for readers that take a path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cli/runtime.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "memfile.h"

namespace portico::fuzz {

struct Process {
  Config config;
  std::unique_ptr<cli::Runtime> rt;
  http::Metrics metrics;
  std::unique_ptr<http::StaticFiles> web;
  std::unique_ptr<http::App> app;
  std::string session;  // the admin's session cookie value
  std::string csrf;     // its CSRF token
  std::int64_t customer_id = 0;
  std::int64_t repair_id = 0;
};

/// The process, built on first use (logging off, fast password hashing, a database in $TMPDIR).
Process& GetProcess();

/// Replaces every `from` in `text` with `to`.
std::string ReplaceAll(std::string text, std::string_view from, const std::string& to);
}  // namespace portico::fuzz
