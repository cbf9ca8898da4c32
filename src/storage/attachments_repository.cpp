#include "storage/attachments_repository.h"

namespace portico::storage {
namespace {

#define ATTACHMENT_COLUMNS                                                                                     \
  "a.id, a.tenant_id, a.owner_type, a.owner_id, a.repair_id, a.customer_id, a.filename, a.content_type, "     \
  "a.kind, a.size_bytes, a.sha256, a.width, a.height, a.duration_seconds, a.taken_at, a.caption, a.label, " \
  "a.visibility, a.thumbnail_sha256, a.thumbnail_bytes, a.uploaded_by, COALESCE(u.name, ''), a.created_at, "  \
  "a.updated_at FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by "

constexpr Sql kInsert{"attachment_insert",
                      "INSERT INTO attachments (tenant_id, owner_type, owner_id, repair_id, customer_id, filename, "
                      "content_type, kind, size_bytes, sha256, width, height, duration_seconds, taken_at, caption, "
                      "label, visibility, thumbnail_sha256, thumbnail_bytes, uploaded_by, created_at, updated_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
                      "$20, $21, $22) RETURNING id"};
constexpr Sql kFind{"attachment_find", "SELECT " ATTACHMENT_COLUMNS "WHERE a.id = $1 AND a.tenant_id = $2"};
constexpr Sql kList{"attachment_list",
                    "SELECT " ATTACHMENT_COLUMNS
                    "WHERE a.tenant_id = $1 AND a.owner_type = $2 AND a.owner_id = $3 ORDER BY a.id"};
constexpr Sql kUpdate{"attachment_update",
                      "UPDATE attachments SET caption = $2, label = $3, visibility = $4, updated_at = $5 WHERE id = $1"};
constexpr Sql kChannelFiles{"attachments_of_channel",
                            "SELECT a.sha256, a.thumbnail_sha256 FROM attachments a WHERE a.tenant_id = $1 "
                            "AND a.owner_type = 'message' AND a.owner_id IN (SELECT id FROM messages WHERE channel_id = $2)"};
constexpr Sql kDeleteOfChannel{"attachments_delete_of_channel",
                               "DELETE FROM attachments WHERE tenant_id = $1 AND owner_type = 'message' "
                               "AND owner_id IN (SELECT id FROM messages WHERE channel_id = $2)"};
constexpr Sql kDelete{"attachment_delete", "DELETE FROM attachments WHERE id = $1"};
constexpr Sql kRefs{"blob_references",
                    "SELECT (SELECT COUNT(*) FROM attachments WHERE sha256 = $1) + "
                    "(SELECT COUNT(*) FROM attachments WHERE thumbnail_sha256 = $1) + "
                    "(SELECT COUNT(*) FROM tenants WHERE logo_sha256 = $1)"};
constexpr Sql kStored{"tenant_stored_bytes",
                      "SELECT COALESCE((SELECT SUM(size_bytes + thumbnail_bytes) FROM attachments WHERE tenant_id = $1), 0) "
                      "+ COALESCE((SELECT logo_bytes FROM tenants WHERE id = $1), 0)"};
constexpr Sql kLogo{"tenant_logo", "SELECT logo_sha256, logo_bytes FROM tenants WHERE id = $1"};
constexpr Sql kSetLogo{"tenant_set_logo", "UPDATE tenants SET logo_sha256 = $2, logo_bytes = $3 WHERE id = $1"};

#undef ATTACHMENT_COLUMNS

AttachmentRecord FromRow(const Row& r) {
  AttachmentRecord a;
  a.id = r.Int(0);
  a.tenant = TenantId(r.Int(1));
  a.owner_type = r.Text(2);
  a.owner_id = r.Int(3);
  if (auto v = r.OptInt(4)) a.repair = RepairId(*v);
  a.customer = CustomerId(r.Int(5));
  a.filename = r.Text(6);
  a.content_type = r.Text(7);
  a.kind = r.Text(8);
  a.size_bytes = r.Int(9);
  a.sha256 = r.Text(10);
  a.width = r.OptInt(11);
  a.height = r.OptInt(12);
  if (!r.IsNull(13)) a.duration_seconds = r.Real(13);
  a.taken_at = r.OptInt(14);
  a.caption = r.Text(15);
  a.label = r.Text(16);
  a.visibility = r.Text(17);
  a.thumbnail_sha256 = r.OptText(18);
  a.thumbnail_bytes = r.Int(19);
  if (auto v = r.OptInt(20)) a.uploaded_by = UserId(*v);
  a.uploaded_by_name = r.Text(21);
  a.created_at = r.Int(22);
  a.updated_at = r.Int(23);
  return a;
}

}  // namespace

std::int64_t InsertAttachment(Connection& c, const AttachmentRecord& a) {
  std::vector<Value> p = {a.tenant.value,
                          a.owner_type,
                          a.owner_id,
                          a.repair ? Value(a.repair->value) : Value(nullptr),
                          a.customer.value,
                          a.filename,
                          a.content_type,
                          a.kind,
                          a.size_bytes,
                          a.sha256,
                          Nullable(a.width),
                          Nullable(a.height),
                          a.duration_seconds ? Value(*a.duration_seconds) : Value(nullptr),
                          Nullable(a.taken_at),
                          a.caption,
                          a.label,
                          a.visibility,
                          Nullable(a.thumbnail_sha256),
                          a.thumbnail_bytes,
                          a.uploaded_by ? Value(a.uploaded_by->value) : Value(nullptr),
                          a.created_at,
                          a.updated_at};
  return c.QueryV(kInsert, p).front().Int(0);
}

std::optional<AttachmentRecord> FindAttachment(Connection& c, const policy::CustomerScope& scope, std::int64_t id,
                                               bool internal_too) {
  auto row = c.QueryOne(kFind, {id, scope.tenant.value});
  if (!row) return std::nullopt;
  auto a = FromRow(*row);
  if (!scope.Contains(a.customer)) return std::nullopt;
  if (!internal_too && a.visibility == "internal") return std::nullopt;
  return a;
}

std::vector<AttachmentRecord> ListAttachments(Connection& c, TenantId tenant, const std::string& owner_type,
                                              std::int64_t owner_id, bool internal_too) {
  std::vector<AttachmentRecord> out;
  for (const auto& r : c.Query(kList, {tenant.value, owner_type, owner_id})) {
    auto a = FromRow(r);
    if (!internal_too && a.visibility == "internal") continue;
    out.push_back(std::move(a));
  }
  return out;
}

void UpdateAttachment(Connection& c, const AttachmentRecord& a) {
  c.Execute(kUpdate, {a.id, a.caption, a.label, a.visibility, a.updated_at});
}

void DeleteAttachment(Connection& c, std::int64_t id) { c.Execute(kDelete, {id}); }

std::vector<std::string> DeleteChannelAttachments(Connection& c, TenantId tenant, std::int64_t channel) {
  std::vector<std::string> shas;
  for (const auto& r : c.Query(kChannelFiles, {tenant.value, channel})) {
    shas.push_back(r.Text(0));
    if (!r.IsNull(1)) shas.push_back(r.Text(1));
  }
  c.Execute(kDeleteOfChannel, {tenant.value, channel});
  return shas;
}

std::int64_t BlobReferences(Connection& c, const std::string& sha256) { return c.Query(kRefs, {sha256}).front().Int(0); }

std::int64_t TenantStoredBytes(Connection& c, TenantId tenant) { return c.Query(kStored, {tenant.value}).front().Int(0); }

std::optional<std::pair<std::string, std::int64_t>> FindTenantLogo(Connection& c, TenantId tenant) {
  auto row = c.QueryOne(kLogo, {tenant.value});
  if (!row || row->IsNull(0)) return std::nullopt;
  return std::make_pair(row->Text(0), row->Int(1));
}

void SetTenantLogo(Connection& c, TenantId tenant, const std::optional<std::string>& sha256, std::int64_t bytes) {
  c.Execute(kSetLogo, {tenant.value, Nullable(sha256), bytes});
}

}  // namespace portico::storage
