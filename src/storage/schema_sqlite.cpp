// SQLite texts of the migrations. Times are Unix seconds (UTC) in INTEGER columns; money is integer
// cents; dates are 'YYYY-MM-DD' text.
#include "storage/schema_texts.h"

namespace portico::storage::schema {

// Migration 1 (foundation).
extern const char kSqliteFoundation[] = R"SQL(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  branding TEXT NOT NULL,
  progressive_pricing INTEGER NOT NULL DEFAULT 1,
  price_tiers TEXT NOT NULL DEFAULT '[5000,4000,3500,3000,2500]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'technician', 'customer')),
  password_hash TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, email)
);
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT,
  is_active INTEGER NOT NULL DEFAULT 1,
  external_ref TEXT,
  receive_email_notifications INTEGER NOT NULL DEFAULT 1,
  receive_sms_notifications INTEGER NOT NULL DEFAULT 0,
  default_view TEXT NOT NULL DEFAULT 'DASHBOARD',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, email),
  UNIQUE (tenant_id, external_ref)
);
CREATE INDEX customers_tenant_name ON customers (tenant_id, name);
CREATE TABLE customer_access (
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  access TEXT NOT NULL CHECK (access IN ('approver', 'requester', 'viewer')),
  is_primary_contact INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_access_user ON customer_access (user_id);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  unit_number TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  repair_count INTEGER NOT NULL DEFAULT 0,
  replaced_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (customer_id, unit_number)
);
CREATE INDEX units_tenant ON units (tenant_id, unit_number);
CREATE TABLE repairs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  technician_id INTEGER REFERENCES users(id),
  status TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  damage_type TEXT NOT NULL DEFAULT '',
  priority INTEGER NOT NULL DEFAULT 3,
  repair_date TEXT NOT NULL,
  drilled_before_repair INTEGER,
  windshield_temperature REAL,
  windshield_temperature_unit TEXT,
  resin_viscosity TEXT,
  labour_cents INTEGER,
  price_override_cents INTEGER,
  materials_cents INTEGER NOT NULL DEFAULT 0,
  cost_cents INTEGER NOT NULL DEFAULT 0,
  external_ref TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, external_ref)
);
CREATE INDEX repairs_tenant_status ON repairs (tenant_id, status, updated_at);
CREATE INDEX repairs_tenant_created ON repairs (tenant_id, created_at);
CREATE INDEX repairs_customer_created ON repairs (customer_id, tenant_id, created_at);
CREATE INDEX repairs_unit ON repairs (unit_id, repair_date);
CREATE INDEX repairs_technician ON repairs (technician_id, status) WHERE technician_id IS NOT NULL;
CREATE VIRTUAL TABLE repair_search USING fts5 (description, unit_number, damage_type, tokenize='unicode61');
CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  repair_id INTEGER NOT NULL UNIQUE REFERENCES repairs(id),
  approved INTEGER NOT NULL,
  decided_by INTEGER NOT NULL REFERENCES users(id),
  decided_at INTEGER NOT NULL,
  notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE repair_log (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  repair_id INTEGER NOT NULL REFERENCES repairs(id),
  previous_status TEXT,
  new_status TEXT NOT NULL,
  changed_by INTEGER REFERENCES users(id),
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX repair_log_repair ON repair_log (repair_id, id);
CREATE TABLE materials (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  repair_id INTEGER NOT NULL REFERENCES repairs(id),
  material_type TEXT NOT NULL,
  quantity REAL NOT NULL,
  unit_cost_cents INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX materials_repair ON materials (repair_id);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  repair_id INTEGER NOT NULL REFERENCES repairs(id),
  author_id INTEGER REFERENCES users(id),
  body TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'customer')),
  created_at INTEGER NOT NULL
);
CREATE INDEX notes_repair ON notes (repair_id, id);
CREATE TABLE schedules (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  technician_id INTEGER NOT NULL REFERENCES users(id),
  date TEXT NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  is_available INTEGER NOT NULL DEFAULT 1,
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (technician_id, date, start_minute)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  repair_id INTEGER,
  customer_id INTEGER,
  internal INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL DEFAULT '{}',
  occurred_at INTEGER NOT NULL
);
CREATE INDEX events_tenant ON events (tenant_id, id);
)SQL";

// Migration 2 (notifications).
extern const char kSqliteNotifications[] = R"SQL(
ALTER TABLE events ADD COLUMN user_id INTEGER;
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  repair_id INTEGER,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  read_at INTEGER,
  email_state TEXT NOT NULL DEFAULT 'none',
  email_attempts INTEGER NOT NULL DEFAULT 0,
  email_next_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, event_id)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_email ON notifications (email_state, email_next_at) WHERE email_state = 'pending';
CREATE TABLE worker_cursors (
  name TEXT PRIMARY KEY,
  last_event_id INTEGER NOT NULL
);
)SQL";

// Migration 3 (repair_counts).
extern const char kSqliteRepairCounts[] = R"SQL(
-- Repairs per customer and status, kept by triggers in the same transaction as every change, so that a
-- list's total and the status figures do not count a large customer's rows on every request.
CREATE TABLE repair_counts (
  tenant_id INTEGER NOT NULL,
  customer_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (customer_id, status)
);
CREATE INDEX repair_counts_tenant ON repair_counts (tenant_id, status);
INSERT INTO repair_counts (tenant_id, customer_id, status, n)
  SELECT tenant_id, customer_id, status, COUNT(*) FROM repairs GROUP BY tenant_id, customer_id, status;
CREATE TRIGGER repair_counts_insert AFTER INSERT ON repairs BEGIN
  INSERT INTO repair_counts (tenant_id, customer_id, status, n) VALUES (NEW.tenant_id, NEW.customer_id, NEW.status, 1)
    ON CONFLICT (customer_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_counts_update AFTER UPDATE OF status, customer_id ON repairs
  WHEN OLD.status IS NOT NEW.status OR OLD.customer_id IS NOT NEW.customer_id BEGIN
  UPDATE repair_counts SET n = n - 1 WHERE customer_id = OLD.customer_id AND status = OLD.status;
  INSERT INTO repair_counts (tenant_id, customer_id, status, n) VALUES (NEW.tenant_id, NEW.customer_id, NEW.status, 1)
    ON CONFLICT (customer_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_counts_delete AFTER DELETE ON repairs BEGIN
  UPDATE repair_counts SET n = n - 1 WHERE customer_id = OLD.customer_id AND status = OLD.status;
END;
)SQL";

// Migration 4 (throttle).
extern const char kSqliteThrottle[] = R"SQL(
CREATE TABLE throttle (
  key TEXT PRIMARY KEY,
  attempts INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);
)SQL";

// Support content (issue 17): FAQ, announcements (with their addressed customers), technician profiles,
// and events addressed to every customer of a tenant (an announcement for all).
// Migration 6 (support_content).
extern const char kSqliteSupportContent[] = R"SQL(
CREATE TABLE faq_entries (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  published INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX faq_entries_tenant ON faq_entries (tenant_id, position, id);
CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'outage')),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  start_announced INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX announcements_tenant ON announcements (tenant_id, starts_at);
CREATE INDEX announcements_pending_start ON announcements (starts_at) WHERE start_announced = 0;
CREATE TABLE announcement_customers (
  announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  tenant_id INTEGER NOT NULL,
  PRIMARY KEY (announcement_id, customer_id)
);
CREATE INDEX announcement_customers_customer ON announcement_customers (customer_id);
CREATE TABLE technician_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL,
  phone TEXT,
  certification_level TEXT,
  hire_date TEXT,
  updated_at INTEGER NOT NULL
);
ALTER TABLE events ADD COLUMN all_customers INTEGER NOT NULL DEFAULT 0;
)SQL";

// Migration 7 (attachments).
extern const char kSqliteAttachments[] = R"SQL(
-- Attachments (PRODUCT.md "Photos, videos and documents"): the file's bytes live in the blob store under
-- their SHA-256 (the same bytes stored once); a row per attachment points at its file and thumbnail.
-- customer_id is the owner's customer, so that the row scopes like its owner.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  owner_type TEXT NOT NULL CHECK (owner_type IN ('repair', 'request', 'message')),
  owner_id INTEGER NOT NULL,
  repair_id INTEGER REFERENCES repairs(id),
  customer_id INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'document')),
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  duration_seconds REAL,
  taken_at INTEGER,
  caption TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL CHECK (label IN ('before', 'after', 'damage', 'document', 'other')),
  visibility TEXT NOT NULL CHECK (visibility IN ('customer', 'internal')),
  thumbnail_sha256 TEXT,
  thumbnail_bytes INTEGER NOT NULL DEFAULT 0,
  uploaded_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, id);
CREATE INDEX attachments_tenant ON attachments (tenant_id);
CREATE INDEX attachments_sha256 ON attachments (sha256);
CREATE INDEX attachments_thumbnail ON attachments (thumbnail_sha256);
-- The `database` blob backend: a blob's bytes in base64 chunks (portable text in both dialects).
CREATE TABLE blob_chunks (
  sha256 TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (sha256, seq)
);
ALTER TABLE tenants ADD COLUMN logo_sha256 TEXT;
ALTER TABLE tenants ADD COLUMN logo_bytes INTEGER NOT NULL DEFAULT 0;
)SQL";

// The monthly figures (GET /stats/repairs) read repairs by repair date: a covering index per tenant
// and per customer, so a range of months (and the search for the newest months with data) does not
// scan the whole history (332,420 imported work orders in the real data).
// Migration 9 (figures_by_repair_date).
extern const char kSqliteFiguresByRepairDate[] = R"SQL(
CREATE INDEX repairs_tenant_repair_date ON repairs (tenant_id, repair_date, status, cost_cents);
CREATE INDEX repairs_customer_repair_date ON repairs (customer_id, repair_date, status, cost_cents);
)SQL";

}  // namespace portico::storage::schema
