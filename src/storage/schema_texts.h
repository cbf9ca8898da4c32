// The SQL text of each migration, one constant per dialect (storage/schema_sqlite.cpp and
// storage/schema_postgres.cpp); storage/migrations.cpp lists them in order. Keep the two texts of a
// migration equivalent: the same tables, columns, constraints and indexes; only the dialect differs.
#pragma once

namespace portico::storage::schema {

extern const char kSqliteFoundation[];
extern const char kPostgresFoundation[];
extern const char kSqliteNotifications[];
extern const char kPostgresNotifications[];
extern const char kSqliteRepairCounts[];
extern const char kPostgresRepairCounts[];
extern const char kSqliteThrottle[];
extern const char kPostgresThrottle[];
extern const char kSqliteSupportContent[];
extern const char kPostgresSupportContent[];
extern const char kSqliteAttachments[];
extern const char kPostgresAttachments[];
extern const char kSqliteFiguresByRepairDate[];
extern const char kPostgresFiguresByRepairDate[];
extern const char kSqliteRepairShops[];
extern const char kPostgresRepairShops[];
extern const char kSqliteClientRequests[];
extern const char kPostgresClientRequests[];
extern const char kSqliteWebhooks[];    // issue 14
extern const char kPostgresWebhooks[];  // issue 14
extern const char kSqliteConversations[];
extern const char kPostgresConversations[];
// Issue 13 (self-service accounts).
extern const char kSqliteSelfService[];
extern const char kPostgresSelfService[];
extern const char kSqliteNotificationChannels[];
extern const char kPostgresNotificationChannels[];
extern const char kSqliteRepairPageOrder[];
extern const char kPostgresRepairPageOrder[];
extern const char kSqliteShopOperations[];
extern const char kPostgresShopOperations[];

}  // namespace portico::storage::schema
