// Attachments (API.md "Attachments"): rows that point at blobs; scoped like their owner's customer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "policy/policy.h"
#include "storage/db.h"

namespace portico::storage {

struct AttachmentRecord {
  std::int64_t id = 0;
  TenantId tenant;
  std::string owner_type;  // repair | request | message
  std::int64_t owner_id = 0;
  std::optional<RepairId> repair;  // set when the owner is a repair
  CustomerId customer;             // the owner's customer (scope)
  std::string filename;
  std::string content_type;
  std::string kind;  // image | video | document
  std::int64_t size_bytes = 0;
  std::string sha256;
  std::optional<std::int64_t> width, height;
  std::optional<double> duration_seconds;
  std::optional<UnixSeconds> taken_at;
  std::string caption;
  std::string label;       // before | after | damage | document | other
  std::string visibility;  // customer | internal
  std::optional<std::string> thumbnail_sha256;
  std::int64_t thumbnail_bytes = 0;
  std::optional<UserId> uploaded_by;
  std::string uploaded_by_name;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

/// Inserts `a` (id ignored); returns its id.
std::int64_t InsertAttachment(Connection& c, const AttachmentRecord& a);
/// One attachment in `scope` (its customer in the scope); internal ones only when `internal_too`.
std::optional<AttachmentRecord> FindAttachment(Connection& c, const policy::CustomerScope& scope, std::int64_t id,
                                               bool internal_too);
/// An owner's attachments, oldest first; internal ones only when `internal_too`.
std::vector<AttachmentRecord> ListAttachments(Connection& c, TenantId tenant, const std::string& owner_type,
                                              std::int64_t owner_id, bool internal_too);
void UpdateAttachment(Connection& c, const AttachmentRecord& a);
void DeleteAttachment(Connection& c, std::int64_t id);
/// Deletes the attachments of every message of `channel` (before the channel goes); returns the blobs
/// (files and thumbnails) they used, for the caller to collect.
std::vector<std::string> DeleteChannelAttachments(Connection& c, TenantId tenant, std::int64_t channel);
/// How many rows (attachments and tenant logos) still use blob `sha256` as a file or a thumbnail.
std::int64_t BlobReferences(Connection& c, const std::string& sha256);
/// Bytes a tenant stores: its attachments' files and thumbnails and its logo.
std::int64_t TenantStoredBytes(Connection& c, TenantId tenant);

/// The tenant's uploaded logo blob and size, if any.
std::optional<std::pair<std::string, std::int64_t>> FindTenantLogo(Connection& c, TenantId tenant);
/// Sets (or with nullopt clears) the tenant's logo blob.
void SetTenantLogo(Connection& c, TenantId tenant, const std::optional<std::string>& sha256, std::int64_t bytes);

}  // namespace portico::storage
