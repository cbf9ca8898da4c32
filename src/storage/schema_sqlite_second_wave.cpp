// The SQLite texts of the second-wave migrations (10 to 15: requests and change orders, conversations,
// shop operations, self-service accounts, webhooks, imported shops); the first wave's are in
// schema_sqlite.cpp. Declared in schema_texts.h, listed in migrations.cpp.
#include "storage/schema_texts.h"

namespace portico::storage::schema {

// Client requests and change orders (issue 10): the requests customers send the shop, the change orders
// staff propose on a repair (their approved amounts add to the repair's cost, kept in
// repairs.change_orders_cents), the request a repair was converted from, and an approver's limit.
// Migration 10 (client_requests).
extern const char kSqliteClientRequests[] = R"SQL(
CREATE TABLE client_requests (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  type TEXT NOT NULL CHECK (type IN ('material', 'change_order', 'info', 'other')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  repair_id INTEGER REFERENCES repairs(id),
  unit_id INTEGER REFERENCES units(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'converted', 'withdrawn')),
  created_by INTEGER REFERENCES users(id),
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  decision_notes TEXT,
  converted_type TEXT CHECK (converted_type IN ('repair', 'change_order')),
  converted_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX client_requests_tenant ON client_requests (tenant_id, status, id);
CREATE INDEX client_requests_customer ON client_requests (customer_id, status, id);
CREATE INDEX client_requests_repair ON client_requests (repair_id);
CREATE TABLE change_orders (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  repair_id INTEGER NOT NULL REFERENCES repairs(id),
  request_id INTEGER,
  description TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'declined', 'withdrawn')),
  created_by INTEGER REFERENCES users(id),
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX change_orders_repair ON change_orders (repair_id, id);
CREATE INDEX change_orders_tenant ON change_orders (tenant_id, status);
ALTER TABLE repairs ADD COLUMN change_orders_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repairs ADD COLUMN request_id INTEGER;
ALTER TABLE customer_access ADD COLUMN approval_limit_cents INTEGER;
)SQL";

// Migration 11 (conversations, issue 11).
extern const char kSqliteConversations[] = R"SQL(
-- Users get handles (API.md "Users (additions)"): unique within the tenant. Existing users get theirs
-- from the e-mail's local part right after the migrations ran (storage::BackfillHandles, in C++: the
-- derivation and the de-duplication are the same function new users go through).
ALTER TABLE users ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX users_tenant_handle ON users (tenant_id, handle);
-- Conversations (PRODUCT.md "Conversations"). A customer's default channel is unique per customer; a
-- direct channel is unique per pair (direct_key "smaller-larger" user id).
CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL CHECK (kind IN ('customer', 'internal', 'direct')),
  name TEXT NOT NULL,
  customer_id INTEGER REFERENCES customers(id),
  is_default INTEGER NOT NULL DEFAULT 0,
  direct_key TEXT,
  created_by INTEGER REFERENCES users(id),
  last_message_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX channels_tenant ON channels (tenant_id, kind, id);
CREATE INDEX channels_customer ON channels (customer_id);
CREATE UNIQUE INDEX channels_default_per_customer ON channels (customer_id) WHERE is_default = 1;
CREATE UNIQUE INDEX channels_direct_pair ON channels (tenant_id, direct_key);
CREATE TABLE channel_members (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members (user_id, channel_id);
-- A deleted message keeps its row (its place in the conversation); its body is cleared.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  author_id INTEGER REFERENCES users(id),
  body TEXT,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted_at INTEGER,
  deleted_by INTEGER REFERENCES users(id)
);
CREATE INDEX messages_channel ON messages (channel_id, id);
-- The resolved mentions of a message (users who read the channel; records inside its link scope),
-- with the record's label as resolved when written.
CREATE TABLE message_mentions (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'repair', 'unit', 'request', 'change_order')),
  target_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (message_id, kind, target_id)
);
CREATE INDEX message_mentions_target ON message_mentions (kind, target_id, message_id);
-- Users told about a message (one notification per message and user, edits included).
CREATE TABLE message_notified (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (message_id, user_id)
);
-- Read positions: the newest message id the user has read in the channel.
CREATE TABLE channel_reads (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);
)SQL";

// Migration 12 (shop_operations).
extern const char kSqliteShopOperations[] = R"SQL(
-- Shop operations (issue 12): the shop's time zone, bays and opening hours; service types; appointments
-- (UTC instants; reminder_sent_at makes the reminder exactly-once); technicians' calendar-feed tokens
-- (hashed); parts with their stock in thousandths (never below zero) and every movement; materials that
-- name a part; the board order of repairs (fractional ranks, NULL = not yet placed: top of its column).
CREATE TABLE shop_settings (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
  time_zone TEXT NOT NULL,
  bays INTEGER NOT NULL,
  opening_hours TEXT NOT NULL,
  slot_minutes INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE service_types (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX service_types_tenant ON service_types (tenant_id, name);
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  service_type_id INTEGER NOT NULL REFERENCES service_types(id),
  repair_id INTEGER REFERENCES repairs(id),
  technician_id INTEGER REFERENCES users(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'cancelled', 'completed', 'no_show')),
  notes TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  reminder_sent_at INTEGER,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX appointments_tenant_start ON appointments (tenant_id, starts_at);
CREATE INDEX appointments_customer ON appointments (customer_id, starts_at);
CREATE INDEX appointments_reminder ON appointments (status, starts_at) WHERE reminder_sent_at IS NULL;
CREATE TABLE calendar_tokens (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE parts (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  unit_cost_cents INTEGER NOT NULL,
  quantity_milli INTEGER NOT NULL DEFAULT 0 CHECK (quantity_milli >= 0),
  reorder_level_milli INTEGER NOT NULL DEFAULT 0,
  location TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, sku)
);
CREATE TABLE part_movements (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  part_id INTEGER NOT NULL REFERENCES parts(id),
  kind TEXT NOT NULL CHECK (kind IN ('received', 'used', 'returned', 'adjusted')),
  quantity_milli INTEGER NOT NULL,
  repair_id INTEGER REFERENCES repairs(id),
  reason TEXT NOT NULL DEFAULT '',
  by_user INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX part_movements_part ON part_movements (part_id, id);
ALTER TABLE materials ADD COLUMN part_id INTEGER REFERENCES parts(id);
ALTER TABLE repairs ADD COLUMN board_rank TEXT;
CREATE INDEX repairs_board ON repairs (tenant_id, status, board_rank);
)SQL";

// Migration 13 (self_service, issue 13): single-use tokens (invitations, access codes, e-mail verification,
// password reset, calendar feeds; only their SHA-256 is stored), a tenant's custom domains, the outbox of
// account e-mails, and each user's language.
extern const char kSqliteSelfService[] = R"SQL(
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'es'));
CREATE TABLE single_use_tokens (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'access_code', 'email_verification', 'password_reset',
                                           'calendar_feed')),
  token_hash TEXT NOT NULL UNIQUE,
  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES single_use_tokens(id) ON DELETE CASCADE,
  email TEXT,
  name TEXT,
  access TEXT CHECK (access IN ('approver', 'requester', 'viewer')),
  approval_limit_cents INTEGER,
  password_hash TEXT,
  language TEXT,
  uses INTEGER NOT NULL DEFAULT 0,
  max_uses INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX single_use_tokens_customer ON single_use_tokens (tenant_id, customer_id, purpose, id);
CREATE INDEX single_use_tokens_user ON single_use_tokens (user_id, purpose);
CREATE TABLE tenant_domains (
  host TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id);
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  to_address TEXT NOT NULL,
  to_name TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
)SQL";

// Webhooks (issue 14): endpoints with their secret and the event cursor of each (the fan-out's persisted
// position in the event log), and one delivery per endpoint and event (UNIQUE: never queued twice) with
// its body, attempts and schedule.
// Migration 14 (webhooks).
extern const char kSqliteWebhooks[] = R"SQL(
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  event_cursor INTEGER NOT NULL DEFAULT 0,
  failing_since INTEGER,
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, id);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  event_id INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  next_attempt_at INTEGER,
  first_attempt_at INTEGER,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
)SQL";

// The shop or technician an imported work order names (technician_ref; issue 16): shown on the repair
// and grouped by in GET /stats/shops, per tenant and per customer.
// Migration 15 (repair_shops).
extern const char kSqliteRepairShops[] = R"SQL(
ALTER TABLE repairs ADD COLUMN technician_ref TEXT;
CREATE INDEX repairs_tenant_technician_ref ON repairs (tenant_id, technician_ref, repair_date, status, cost_cents);
CREATE INDEX repairs_customer_technician_ref ON repairs (customer_id, technician_ref, repair_date, status, cost_cents);
)SQL";

// Migration 21: the conversation channel a notification (a mention) points at.
extern const char kSqliteNotificationChannels[] = R"SQL(
ALTER TABLE notifications ADD COLUMN channel_id INTEGER;
)SQL";

// PostgreSQL adds id to the two creation-time indexes of repairs; on SQLite every index already ends with the
// rowid, which is id: nothing to change.
extern const char kSqliteRepairPageOrder[] = R"SQL(
SELECT 1;
)SQL";

}  // namespace portico::storage::schema
