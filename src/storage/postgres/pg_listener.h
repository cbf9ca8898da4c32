// LISTEN/NOTIFY on a dedicated PostgreSQL connection (Database::Listen and the identity epoch's listener).
// Internal to storage/postgres/.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/db.h"

namespace portico::storage::postgres::detail {

/// Listens on `channel` on a connection of its own, on a thread of its own; reconnects every second while the
/// server is away. `on_listening(true)` once LISTEN is active (first time and after every reconnect),
/// `(false)` when the connection is lost (notifications may be missed until the next `true`).
std::unique_ptr<Listener> StartListener(std::string conninfo, std::string channel,
                                        std::function<void(const std::string&)> on_notify,
                                        std::function<void()> on_reconnect,
                                        std::function<void(bool)> on_listening = {});

}  // namespace portico::storage::postgres::detail
