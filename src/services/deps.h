// What every service needs, wired in main.cpp.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "storage/db.h"

namespace portico::services {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
};

}  // namespace portico::services
