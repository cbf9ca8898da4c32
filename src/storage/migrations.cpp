// The schema migrations: one numbered list for every database, each entry with its SQLite text and its
// PostgreSQL text (nullptr while a migration has no PostgreSQL form yet; the PostgreSQL driver refuses to
// migrate past it). Keep the two texts of an entry equivalent: the same tables, columns, constraints and
// indexes; only the dialect differs (identity columns, full-text search, triggers).
#include "storage/migrations.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "storage/handles_repository.h"
#include "storage/schema_texts.h"

namespace portico::storage {
namespace {

constexpr Migration kMigrations[] = {
    {1, "foundation", schema::kSqliteFoundation, schema::kPostgresFoundation},
    {2, "notifications", schema::kSqliteNotifications, schema::kPostgresNotifications},
    {3, "repair_counts", schema::kSqliteRepairCounts, schema::kPostgresRepairCounts},
    {4, "throttle", schema::kSqliteThrottle, schema::kPostgresThrottle},
    // Support content (issue 17): FAQ, announcements (with their addressed customers), technician profiles,
    // and events addressed to every customer of a tenant (an announcement for all).
    {6, "support_content", schema::kSqliteSupportContent, schema::kPostgresSupportContent},
    {7, "attachments", schema::kSqliteAttachments, schema::kPostgresAttachments},
    // The monthly figures (GET /stats/repairs) read repairs by repair date: a covering index per tenant
    // and per customer, so a range of months (and the search for the newest months with data) does not
    // scan the whole history (332,420 imported work orders in the real data).
    {9, "figures_by_repair_date", schema::kSqliteFiguresByRepairDate, schema::kPostgresFiguresByRepairDate},
    // Client requests, change orders and approval limits (issue 10).
    {10, "client_requests", schema::kSqliteClientRequests, schema::kPostgresClientRequests},
    // Conversations (issue 11): user handles, channels, members, messages, mentions, read positions.
    {11, "conversations", schema::kSqliteConversations, schema::kPostgresConversations},
    // Shop operations (issue 12): settings, service types, appointments, calendar tokens, parts, board ranks.
    {12, "shop_operations", schema::kSqliteShopOperations, schema::kPostgresShopOperations},
    // Self-service accounts (issue 13): single-use tokens, custom domains, the account-mail outbox, languages.
    {13, "self_service", schema::kSqliteSelfService, schema::kPostgresSelfService},
    // Webhooks (issue 14): endpoints with a persisted event cursor each, and their deliveries.
    {14, "webhooks", schema::kSqliteWebhooks, schema::kPostgresWebhooks},
    // The shop an imported work order names (issue 16).
    {15, "repair_shops", schema::kSqliteRepairShops, schema::kPostgresRepairShops},
    // The channel a mention notification points at, so the bell and the e-mail open the conversation.
    {21, "notification_channels", schema::kSqliteNotificationChannels, schema::kPostgresNotificationChannels},
    // PostgreSQL: the repair page order (created_at, id) read from the index, no sort (issue 8).
    {22, "repair_page_order", schema::kSqliteRepairPageOrder, schema::kPostgresRepairPageOrder},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int ApplyMigrations(Connection& conn, Dialect dialect, std::int64_t now) {
  static constexpr Sql kCreate{"create_schema_migrations",
                               "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                               "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"};
  static constexpr Sql kCurrent{"current_schema_version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
  static constexpr Sql kRecord{"record_migration",
                               "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
  conn.Execute(kCreate);
  int current = static_cast<int>(conn.Query(kCurrent).front().Int(0));
  for (const auto& m : kMigrations) {
    if (m.version <= current) continue;
    const char* text = dialect == Dialect::kSqlite ? m.sqlite : m.postgres;
    if (text == nullptr) {
      throw Error::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                            ") has no text for this database");
    }
    spdlog::info("applying migration {} ({})", m.version, m.name);
    conn.ExecuteScript(text);
    conn.Execute(kRecord, {std::int64_t{m.version}, std::string(m.name), now});
    current = m.version;
  }
  // Users without a handle (those from before migration 11) get one from their e-mail (issue 11).
  if (current >= 11) {
    if (auto n = BackfillHandles(conn)) spdlog::info("gave {} users a handle", n);
  }
  return current;
}

}  // namespace portico::storage
