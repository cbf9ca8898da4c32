// Attachments (issue 9; PRODUCT.md "Photos, videos and documents", API.md "Attachments") and the tenant
// logo. An upload arrives as a temporary file (the HTTP layer streamed it there); this service decides
// its type from the bytes, decodes it (media/), checks the size per kind and the tenant's quota, stores
// the result in the blob store and writes the row and its event in one transaction.
// Errors, first failing wins: 404 owner or attachment outside the caller's scope (customer users never
// see internal ones), 403 not allowed, 415 type outside the allow-list, 413 over the kind's size or the
// quota (quota-exceeded), 400 undecodable bytes, an image over 50 megapixels, or a bad field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/branding.h"
#include "policy/actor.h"
#include "services/deps.h"
#include "services/repair_service.h"
#include "storage/attachments_repository.h"
#include "storage/blob_store.h"

namespace portico::services {

/// A received file: where the upload was streamed and the name the client gave it.
struct IncomingFile {
  std::string path;
  std::string filename;
  std::int64_t size = 0;
};

struct NewAttachment {
  IncomingFile file;
  std::optional<std::string> caption, label, visibility;
};

struct AttachmentPatch {
  std::optional<std::string> caption, label, visibility;
};

/// A received file made ready for storage (issue 11, message attachments): its type found from the
/// bytes, decoded, metadata removed, thumbnail made, hashed and (file blob store) copied into the store;
/// not yet a row. Its temporary files go with it.
struct PreparedFile {
  PreparedFile() = default;
  PreparedFile(PreparedFile&&) = default;
  PreparedFile& operator=(PreparedFile&&) = default;
  ~PreparedFile();
  storage::AttachmentRecord record;  // owner fields are the caller's to set
  std::string stored_path;
  std::optional<std::string> thumb_path;
  std::vector<std::string> temps;
};

/// What GET .../content or .../thumbnail serves: the blob and how to label it.
struct BlobView {
  std::string sha256;
  std::int64_t size = 0;
  std::string content_type;
  std::string filename;
  std::string kind;  // image | video | document (thumbnails: image)
};

class AttachmentService {
 public:
  AttachmentService(Deps deps, storage::BlobStore& blobs, EventPublisher publish = {})
      : deps_(deps), blobs_(blobs), publish_(std::move(publish)) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  storage::AttachmentRecord AddToRepair(const policy::Actor& actor, RepairId repair, const NewAttachment& in);
  std::vector<storage::AttachmentRecord> ListForRepair(const policy::Actor& actor, RepairId repair);
  /// POST /requests/{id}/attachments (issue 10): the same rules, on a client request in the caller's scope.
  storage::AttachmentRecord AddToRequest(const policy::Actor& actor, std::int64_t request, const NewAttachment& in);
  std::vector<storage::AttachmentRecord> ListForRequest(const policy::Actor& actor, std::int64_t request);
  storage::AttachmentRecord Get(const policy::Actor& actor, std::int64_t id);
  storage::AttachmentRecord Update(const policy::Actor& actor, std::int64_t id, const AttachmentPatch& patch);
  void Remove(const policy::Actor& actor, std::int64_t id);
  /// The file or its thumbnail (404 for a document's thumbnail), scoped like Get.
  BlobView Content(const policy::Actor& actor, std::int64_t id, bool thumbnail);
  /// Bytes [offset, offset + length) of a blob found through Content or Logo.
  std::string Read(const std::string& sha256, std::int64_t offset, std::int64_t length);

  /// PUT /tenants/{slug}/logo (admin of that tenant): the branding with its new logo_url.
  domain::Branding PutLogo(const policy::Actor& actor, const std::string& slug, const IncomingFile& file);
  /// DELETE /tenants/{slug}/logo; also what a branding PUT with logo_url null does.
  domain::Branding DeleteLogo(const policy::Actor& actor, const std::string& slug);
  /// Public: the tenant's logo (404 when none or unknown slug).
  BlobView Logo(const std::string& slug);

  const std::string& TempDir() const { return blobs_.TempDir(); }

  /// Checks and processes one file for `actor` (415 type, 413 size, 400 undecodable), outside any
  /// transaction; `visibility` as decided by the caller's policy.
  PreparedFile Prepare(const policy::Actor& actor, const IncomingFile& file, const std::string& visibility);
  /// Stores prepared files in the caller's write transaction: the tenant's quota (413 quota-exceeded),
  /// the blobs, the rows (ids set). No event: the owner's event announces them.
  void Store(storage::Connection& c, TenantId tenant, std::vector<PreparedFile>& files);
  /// Removes the blobs (by SHA-256; empty strings ignored) that no row uses any more, in the caller's
  /// write transaction, after it deleted the rows that used them.
  void Collect(storage::Connection& c, const std::vector<std::string>& shas);

 private:
  /// The owner of an attachment as far as scope and storage need it.
  struct Owner {
    std::string type;  // repair | request
    std::int64_t id = 0;
    CustomerId customer;
    std::optional<RepairId> repair;  // set when the owner is a repair
  };
  /// The owner in the caller's scope (404 otherwise).
  Owner LoadOwner(storage::Connection& c, const policy::Actor& actor, const std::string& type, std::int64_t id) const;
  storage::AttachmentRecord Add(const policy::Actor& actor, const std::string& owner_type, std::int64_t owner_id,
                                const NewAttachment& in);
  storage::EventRecord Emit(storage::Connection& c, const policy::Actor& actor, const storage::AttachmentRecord& a,
                            const char* type);

  Deps deps_;
  storage::BlobStore& blobs_;
  EventPublisher publish_;
};

/// The logo path the branding shows: /api/v1/tenants/{slug}/logo?v=<first 12 of its sha256>.
std::string LogoUrl(const std::string& slug, const std::string& sha256);

}  // namespace portico::services
