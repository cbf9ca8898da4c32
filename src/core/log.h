// Logging: spdlog, one line per event, to stderr.
#pragma once

#include <string>

namespace portico {

/// Sets the global log level ("trace".."off") and pattern. Throws Error(kInvalidInput) for an unknown level.
void InitLogging(const std::string& level);

}  // namespace portico
