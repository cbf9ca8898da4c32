// `portico demo` (CLI.md): the demo tenant, one user per role, data, and optionally serving.
#pragma once

#include <optional>
#include <string>

#include "cli/runtime.h"

namespace portico::cli {

struct DemoOptions {
  std::optional<std::string> data_file;  // a CSV (with mapping) instead of generated data
  std::optional<std::string> mapping;
};

/// Creates tenant `demo` with its users (printed with their password) and loads data, unless the tenant
/// exists already (then it only prints the users). Throws Error on failure.
void RunDemo(Runtime& rt, const DemoOptions& options);

}  // namespace portico::cli
