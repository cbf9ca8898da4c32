#include "storage/postgres/pg_listener.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/postgres/pg_connection.h"

namespace portico::storage::postgres::detail {
namespace {

/// LISTEN on a dedicated connection, on a thread of its own; reconnects every second while the server is away.
class PgListener final : public Listener {
 public:
  /// `on_listening(true)` once LISTEN is active (first time and after every reconnect), `(false)` when the
  /// connection is lost (notifications may be missed until the next `true`).
  PgListener(std::string conninfo, std::string channel, std::function<void(const std::string&)> on_notify,
             std::function<void()> on_reconnect, std::function<void(bool)> on_listening = {})
      : conninfo_(std::move(conninfo)),
        channel_(std::move(channel)),
        on_notify_(std::move(on_notify)),
        on_reconnect_(std::move(on_reconnect)),
        on_listening_(std::move(on_listening)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~PgListener() override {
    stopping_ = true;
    thread_.join();
  }

 private:
  void Loop() {
    bool connected_before = false;
    while (!stopping_) {
      PGconn* conn = PQconnectdb(conninfo_.c_str());
      if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
      char* quoted = PQescapeIdentifier(conn, channel_.c_str(), channel_.size());
      std::string listen = std::string("LISTEN ") + (quoted ? quoted : channel_.c_str());
      PQfreemem(quoted);
      PGresult* res = PQexec(conn, listen.c_str());
      bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
      PQclear(res);
      if (!ok) {
        PQfinish(conn);
        continue;
      }
      if (on_listening_) on_listening_(true);
      if (connected_before) {
        spdlog::info("listener on {} reconnected to the database", channel_);
        if (on_reconnect_) on_reconnect_();
      }
      connected_before = true;
      while (!stopping_) {
        pollfd pfd{PQsocket(conn), POLLIN, 0};
        int rc = ::poll(&pfd, 1, 250);
        if (rc < 0) continue;
        if (rc == 0) continue;
        if (!PQconsumeInput(conn)) break;
        while (PGnotify* n = PQnotifies(conn)) {
          std::string payload = n->extra ? n->extra : "";
          PQfreemem(n);
          try {
            on_notify_(payload);
          } catch (const std::exception& e) {
            spdlog::error("event listener: {}", e.what());
          }
        }
        if (PQstatus(conn) != CONNECTION_OK) break;
      }
      PQfinish(conn);
      if (on_listening_) on_listening_(false);
      if (!stopping_) spdlog::warn("listener on {} lost the database connection; reconnecting", channel_);
    }
  }

  std::string conninfo_, channel_;
  std::function<void(const std::string&)> on_notify_;
  std::function<void()> on_reconnect_;
  std::function<void(bool)> on_listening_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Listener> StartListener(std::string conninfo, std::string channel,
                                        std::function<void(const std::string&)> on_notify,
                                        std::function<void()> on_reconnect, std::function<void(bool)> on_listening) {
  return std::make_unique<PgListener>(std::move(conninfo), std::move(channel), std::move(on_notify),
                                      std::move(on_reconnect), std::move(on_listening));
}

}  // namespace portico::storage::postgres::detail
