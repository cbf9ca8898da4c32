#include "services/attachment_service.h"

#include <boost/json.hpp>

#include <filesystem>

#include "core/error.h"
#include "media/media.h"
#include "policy/policy.h"
#include "policy/conversations.h"
#include "storage/accounts_repository.h"
#include "storage/conversations_repository.h"
#include "storage/repairs_repository.h"
#include "storage/requests_repository.h"

namespace portico::services {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxCaption = 500;
constexpr std::size_t kMaxFilename = 255;

/// Removes the files it holds when the scope ends (temporary outputs of media processing).
struct TempFiles {
  std::vector<std::string> paths;
  ~TempFiles() {
    std::error_code ec;
    for (auto& p : paths) fs::remove(p, ec);
  }
};

bool IsLabel(const std::string& s) {
  return s == "before" || s == "after" || s == "damage" || s == "document" || s == "other";
}

/// The client's file name without directories or control characters, at most 255 bytes ("file" if empty).
std::string CleanFilename(const std::string& in) {
  std::string name = in;
  auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"') continue;
    out.push_back(static_cast<char>(c));
  }
  if (out.size() > kMaxFilename) out.resize(kMaxFilename);
  // Do not cut a UTF-8 sequence in half.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
  return out.empty() ? "file" : out;
}

std::string Trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  if (ec) throw Error::Internal("cannot stat " + path);
  return static_cast<std::int64_t>(n);
}

/// An attachment in the caller's scope: its owner's customer (customer users never see internal ones);
/// a message's attachment also only while the message is not deleted and lies in a channel the caller
/// reads (issue 11: a deleted message's files answer 404 by id, content and thumbnail).
std::optional<storage::AttachmentRecord> FindScoped(storage::Connection& c, const policy::Actor& actor, std::int64_t id) {
  auto a = storage::FindAttachment(c, policy::ScopeOf(actor), id, policy::CanSeeInternal(actor));
  if (a && a->owner_type == "message" && !storage::MessageReadable(c, policy::ChannelScopeOf(actor), a->owner_id)) {
    return std::nullopt;
  }
  return a;
}

}  // namespace

std::string LogoUrl(const std::string& slug, const std::string& sha256) {
  return "/api/v1/tenants/" + slug + "/logo?v=" + sha256.substr(0, 12);
}

storage::EventRecord AttachmentService::Emit(storage::Connection& c, const policy::Actor& actor,
                                             const storage::AttachmentRecord& a, const char* type) {
  storage::EventRecord e;
  e.tenant = actor.tenant;
  e.type = type;
  e.repair = a.repair;
  e.customer = a.customer;
  e.internal = a.visibility == "internal";
  e.data = json::serialize(json::object{{"attachment_id", a.id},
                                        {"owner", json::object{{"type", a.owner_type}, {"id", a.owner_id}}},
                                        {"kind", a.kind},
                                        {"visibility", a.visibility},
                                        {"by", actor.name},
                                        {"by_id", actor.user.value}});
  e.occurred_at = deps_.clock.Now();
  e.id = storage::InsertEvent(c, e);
  return e;
}

void AttachmentService::Collect(storage::Connection& c, const std::vector<std::string>& shas) {
  for (const auto& s : shas) {
    if (!s.empty() && storage::BlobReferences(c, s) == 0) blobs_.Delete(c, s);
  }
}

AttachmentService::Owner AttachmentService::LoadOwner(storage::Connection& c, const policy::Actor& actor,
                                                     const std::string& type, std::int64_t id) const {
  if (type == "repair") {
    auto r = storage::FindRepair(c, policy::ScopeOf(actor), RepairId(id));
    if (!r) throw Error::NotFound("No such repair.");
    return {type, id, r->customer, r->id};
  }
  // A client request (issue 10): scoped like its customer, as repairs are.
  auto q = storage::FindClientRequest(c, policy::ScopeOf(actor), id, policy::CanSeeInternal(actor));
  if (!q) throw Error::NotFound("No such request.");
  return {type, id, q->customer, std::nullopt};
}

storage::AttachmentRecord AttachmentService::AddToRepair(const policy::Actor& actor, RepairId repair_id,
                                                         const NewAttachment& in) {
  return Add(actor, "repair", repair_id.value, in);
}

storage::AttachmentRecord AttachmentService::AddToRequest(const policy::Actor& actor, std::int64_t request_id,
                                                          const NewAttachment& in) {
  return Add(actor, "request", request_id, in);
}

storage::AttachmentRecord AttachmentService::Add(const policy::Actor& actor, const std::string& owner_type,
                                                 std::int64_t owner_id, const NewAttachment& in) {
  // Scope and permission first (404, 403), from a read snapshot, before any work on the bytes.
  Owner owner;
  {
    auto tx = deps_.db.Read();
    owner = LoadOwner(tx->conn(), actor, owner_type, owner_id);
  }
  const std::string vis = in.visibility.value_or(policy::DefaultNoteVisibility(actor));
  if (vis != "internal" && vis != "customer") throw Error::Field("visibility", "Either \"internal\" or \"customer\".");
  if (!policy::CanAddAttachment(actor, owner.customer, vis)) {
    throw Error::Forbidden(actor.IsStaff() || vis == "customer" ? "You may not add files to this " + owner_type + "."
                                                                : "Your files are always visible to the shop and you.");
  }
  FieldErrors errors;
  std::string caption = Trimmed(in.caption.value_or(""));
  if (caption.size() > kMaxCaption || !ValidUtf8(caption)) errors["caption"].push_back("At most 500 characters of UTF-8.");
  std::string label = in.label.value_or("");
  if (!label.empty() && !IsLabel(label)) errors["label"].push_back("One of before, after, damage, document, other.");
  if (!errors.empty()) throw Error::Validation(std::move(errors));

  // What the bytes are, then whether they decode as that.
  auto found = media::Classify(media::SniffType(in.file.path));
  if (!found) throw Error(ErrorCode::kUnsupportedMediaType, "This type of file is not accepted.");
  const std::int64_t limit = found->kind == media::Kind::kImage   ? deps_.config.max_image_bytes
                             : found->kind == media::Kind::kVideo ? deps_.config.max_video_bytes
                                                                  : deps_.config.max_document_bytes;
  if (in.file.size > limit) {
    throw Error(ErrorCode::kPayloadTooLarge,
                std::string("A ") + media::KindName(found->kind) + " may have at most " + std::to_string(limit) + " bytes.");
  }
  storage::AttachmentRecord a;
  TempFiles temps;
  std::string stored_path = in.file.path;
  std::optional<std::string> thumb_path;
  a.content_type = found->content_type;
  a.kind = media::KindName(found->kind);
  if (found->kind == media::Kind::kImage) {
    auto img = media::ProcessImage(in.file.path, found->content_type, blobs_.TempDir());
    temps.paths = {img.stored_path, img.thumbnail_path};
    stored_path = img.stored_path;
    thumb_path = img.thumbnail_path;
    a.content_type = img.content_type;
    a.width = img.width;
    a.height = img.height;
    a.taken_at = img.taken_at;
  } else if (found->kind == media::Kind::kVideo) {
    auto v = media::ProbeVideo(in.file.path, found->content_type, blobs_.TempDir());
    if (v.poster_path) temps.paths.push_back(*v.poster_path);
    thumb_path = v.poster_path;
    a.width = v.width;
    a.height = v.height;
    a.duration_seconds = v.duration_seconds;
  }
  a.size_bytes = FileSize(stored_path);
  a.sha256 = storage::Sha256OfFile(stored_path);
  if (thumb_path) {
    a.thumbnail_sha256 = storage::Sha256OfFile(*thumb_path);
    a.thumbnail_bytes = FileSize(*thumb_path);
  }
  a.tenant = actor.tenant;
  a.owner_type = owner.type;
  a.owner_id = owner.id;
  a.repair = owner.repair;
  a.customer = owner.customer;
  a.filename = CleanFilename(in.file.filename);
  a.caption = caption;
  a.label = label.empty() ? (found->kind == media::Kind::kDocument ? "document" : "other") : label;
  a.visibility = vis;
  a.uploaded_by = actor.user;
  a.uploaded_by_name = actor.name;
  a.created_at = a.updated_at = deps_.clock.Now();

  if (!blobs_.InDatabase()) {
    // Copy files into the store before taking the single writer (a 200 MB video takes a while); inside
    // the transaction Put below is then a cheap existence check that re-stores a blob a concurrent
    // delete removed meanwhile.
    auto rtx = deps_.db.Read();
    blobs_.Put(rtx->conn(), a.sha256, stored_path);
    if (thumb_path) blobs_.Put(rtx->conn(), *a.thumbnail_sha256, *thumb_path);
  }
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  LoadOwner(c, actor, owner_type, owner_id);
  if (storage::TenantStoredBytes(c, actor.tenant) + a.size_bytes + a.thumbnail_bytes > deps_.config.quota_bytes) {
    throw Error(ErrorCode::kQuotaExceeded, "Your shop's storage quota is used up; delete files to make room.");
  }
  // Under the writer, so a concurrent delete cannot remove a blob we are about to use.
  blobs_.Put(c, a.sha256, stored_path);
  if (thumb_path) blobs_.Put(c, *a.thumbnail_sha256, *thumb_path);
  a.id = storage::InsertAttachment(c, a);
  auto event = Emit(c, actor, a, "attachment.added");
  tx->Commit();
  if (publish_) publish_(event);
  return a;
}

std::vector<storage::AttachmentRecord> AttachmentService::ListForRequest(const policy::Actor& actor,
                                                                        std::int64_t request) {
  auto tx = deps_.db.Read();
  LoadOwner(tx->conn(), actor, "request", request);
  return storage::ListAttachments(tx->conn(), actor.tenant, "request", request, policy::CanSeeInternal(actor));
}

std::vector<storage::AttachmentRecord> AttachmentService::ListForRepair(const policy::Actor& actor, RepairId repair) {
  auto tx = deps_.db.Read();
  if (!storage::FindRepair(tx->conn(), policy::ScopeOf(actor), repair)) throw Error::NotFound("No such repair.");
  return storage::ListAttachments(tx->conn(), actor.tenant, "repair", repair.value, policy::CanSeeInternal(actor));
}

storage::AttachmentRecord AttachmentService::Get(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Read();
  auto a = FindScoped(tx->conn(), actor, id);
  if (!a) throw Error::NotFound("No such attachment.");
  return *a;
}

storage::AttachmentRecord AttachmentService::Update(const policy::Actor& actor, std::int64_t id,
                                                    const AttachmentPatch& patch) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto a = FindScoped(c, actor, id);
  if (!a) throw Error::NotFound("No such attachment.");
  if (!policy::CanChangeAttachment(actor, a->uploaded_by)) throw Error::Forbidden("You may not change this file.");
  if (patch.visibility && !policy::CanSeeInternal(actor)) throw Error::Forbidden("Only the shop sets the visibility.");
  FieldErrors errors;
  if (patch.caption) {
    std::string caption = Trimmed(*patch.caption);
    if (caption.size() > kMaxCaption || !ValidUtf8(caption)) {
      errors["caption"].push_back("At most 500 characters of UTF-8.");
    }
    a->caption = caption;
  }
  if (patch.label) {
    if (!IsLabel(*patch.label)) errors["label"].push_back("One of before, after, damage, document, other.");
    a->label = *patch.label;
  }
  if (patch.visibility) {
    if (*patch.visibility != "internal" && *patch.visibility != "customer") {
      errors["visibility"].push_back("Either \"internal\" or \"customer\".");
    }
    a->visibility = *patch.visibility;
  }
  if (!errors.empty()) throw Error::Validation(std::move(errors));
  a->updated_at = deps_.clock.Now();
  storage::UpdateAttachment(c, *a);
  tx->Commit();
  return *a;
}

void AttachmentService::Remove(const policy::Actor& actor, std::int64_t id) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto a = FindScoped(c, actor, id);
  if (!a) throw Error::NotFound("No such attachment.");
  if (!policy::CanChangeAttachment(actor, a->uploaded_by)) throw Error::Forbidden("You may not delete this file.");
  storage::DeleteAttachment(c, a->id);
  auto event = Emit(c, actor, *a, "attachment.removed");
  Collect(c, {a->sha256, a->thumbnail_sha256.value_or("")});
  tx->Commit();
  if (publish_) publish_(event);
}

BlobView AttachmentService::Content(const policy::Actor& actor, std::int64_t id, bool thumbnail) {
  auto a = Get(actor, id);
  BlobView v;
  if (thumbnail) {
    if (!a.thumbnail_sha256) throw Error::NotFound("This file has no thumbnail.");
    v.sha256 = *a.thumbnail_sha256;
    v.size = a.thumbnail_bytes;
    v.content_type = "image/jpeg";
    v.filename = a.filename + ".jpg";
    v.kind = "image";
  } else {
    v.sha256 = a.sha256;
    v.size = a.size_bytes;
    v.content_type = a.content_type;
    v.filename = a.filename;
    v.kind = a.kind;
  }
  return v;
}

std::string AttachmentService::Read(const std::string& sha256, std::int64_t offset, std::int64_t length) {
  auto tx = deps_.db.Read();
  return blobs_.Read(tx->conn(), sha256, offset, length);
}

domain::Branding AttachmentService::PutLogo(const policy::Actor& actor, const std::string& slug, const IncomingFile& file) {
  {
    auto tx = deps_.db.Read();
    auto t = storage::FindTenantBySlug(tx->conn(), slug);
    if (!t || t->id != actor.tenant) throw Error::NotFound("No such tenant.");
    if (!policy::Can(actor, policy::Action::kEditBranding)) throw Error::Forbidden();
  }
  auto type = media::SniffType(file.path);
  if (file.size > deps_.config.max_image_bytes) throw Error(ErrorCode::kPayloadTooLarge, "A logo may have at most 20 MB.");
  TempFiles temps;
  auto png = media::ProcessLogo(file.path, type, blobs_.TempDir());
  temps.paths.push_back(png);
  const std::string sha = storage::Sha256OfFile(png);
  const std::int64_t bytes = FileSize(png);
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto t = storage::FindTenant(c, actor.tenant);
  if (!t) throw Error::NotFound("No such tenant.");
  auto old = storage::FindTenantLogo(c, t->id);
  std::int64_t others = storage::TenantStoredBytes(c, t->id) - (old ? old->second : 0);
  if (others + bytes > deps_.config.quota_bytes) {
    throw Error(ErrorCode::kQuotaExceeded, "Your shop's storage quota is used up; delete files to make room.");
  }
  blobs_.Put(c, sha, png);
  storage::SetTenantLogo(c, t->id, sha, bytes);
  t->branding.logo_url = LogoUrl(t->slug, sha);
  storage::UpdateTenantBranding(c, t->id, t->branding, deps_.clock.Now());
  if (old) Collect(c, {old->first});
  tx->Commit();
  return t->branding;
}

domain::Branding AttachmentService::DeleteLogo(const policy::Actor& actor, const std::string& slug) {
  auto tx = deps_.db.Write();
  auto& c = tx->conn();
  auto t = storage::FindTenantBySlug(c, slug);
  if (!t || t->id != actor.tenant) throw Error::NotFound("No such tenant.");
  if (!policy::Can(actor, policy::Action::kEditBranding)) throw Error::Forbidden();
  auto old = storage::FindTenantLogo(c, t->id);
  storage::SetTenantLogo(c, t->id, std::nullopt, 0);
  t->branding.logo_url.clear();
  storage::UpdateTenantBranding(c, t->id, t->branding, deps_.clock.Now());
  if (old) Collect(c, {old->first});
  tx->Commit();
  return t->branding;
}

BlobView AttachmentService::Logo(const std::string& slug) {
  auto tx = deps_.db.Read();
  auto t = storage::FindTenantBySlug(tx->conn(), slug);
  if (!t) throw Error::NotFound("No such tenant.");
  auto logo = storage::FindTenantLogo(tx->conn(), t->id);
  if (!logo) throw Error::NotFound("This tenant has no logo.");
  return {logo->first, logo->second, "image/png", slug + "-logo.png", "image"};
}

PreparedFile::~PreparedFile() {
  std::error_code ec;
  for (auto& p : temps) fs::remove(p, ec);
}

PreparedFile AttachmentService::Prepare(const policy::Actor& actor, const IncomingFile& file, const std::string& visibility) {
  auto found = media::Classify(media::SniffType(file.path));
  if (!found) throw Error(ErrorCode::kUnsupportedMediaType, "This type of file is not accepted.");
  const std::int64_t limit = found->kind == media::Kind::kImage   ? deps_.config.max_image_bytes
                             : found->kind == media::Kind::kVideo ? deps_.config.max_video_bytes
                                                                  : deps_.config.max_document_bytes;
  if (file.size > limit) {
    throw Error(ErrorCode::kPayloadTooLarge,
                std::string("A ") + media::KindName(found->kind) + " may have at most " + std::to_string(limit) + " bytes.");
  }
  PreparedFile out;
  auto& a = out.record;
  out.stored_path = file.path;
  a.content_type = found->content_type;
  a.kind = media::KindName(found->kind);
  if (found->kind == media::Kind::kImage) {
    auto img = media::ProcessImage(file.path, found->content_type, blobs_.TempDir());
    out.temps = {img.stored_path, img.thumbnail_path};
    out.stored_path = img.stored_path;
    out.thumb_path = img.thumbnail_path;
    a.content_type = img.content_type;
    a.width = img.width;
    a.height = img.height;
    a.taken_at = img.taken_at;
  } else if (found->kind == media::Kind::kVideo) {
    auto v = media::ProbeVideo(file.path, found->content_type, blobs_.TempDir());
    if (v.poster_path) out.temps.push_back(*v.poster_path);
    out.thumb_path = v.poster_path;
    a.width = v.width;
    a.height = v.height;
    a.duration_seconds = v.duration_seconds;
  }
  a.size_bytes = FileSize(out.stored_path);
  a.sha256 = storage::Sha256OfFile(out.stored_path);
  if (out.thumb_path) {
    a.thumbnail_sha256 = storage::Sha256OfFile(*out.thumb_path);
    a.thumbnail_bytes = FileSize(*out.thumb_path);
  }
  a.tenant = actor.tenant;
  a.filename = CleanFilename(file.filename);
  a.label = found->kind == media::Kind::kDocument ? "document" : "other";
  a.visibility = visibility;
  a.uploaded_by = actor.user;
  a.uploaded_by_name = actor.name;
  a.created_at = a.updated_at = deps_.clock.Now();
  if (!blobs_.InDatabase()) {  // copy before the single writer is taken (see AddToRepair)
    auto rtx = deps_.db.Read();
    blobs_.Put(rtx->conn(), a.sha256, out.stored_path);
    if (out.thumb_path) blobs_.Put(rtx->conn(), *a.thumbnail_sha256, *out.thumb_path);
  }
  return out;
}

void AttachmentService::Store(storage::Connection& c, TenantId tenant, std::vector<PreparedFile>& files) {
  if (files.empty()) return;
  std::int64_t bytes = 0;
  for (const auto& f : files) bytes += f.record.size_bytes + f.record.thumbnail_bytes;
  if (storage::TenantStoredBytes(c, tenant) + bytes > deps_.config.quota_bytes) {
    throw Error(ErrorCode::kQuotaExceeded, "Your shop's storage quota is used up; delete files to make room.");
  }
  for (auto& f : files) {
    blobs_.Put(c, f.record.sha256, f.stored_path);
    if (f.thumb_path) blobs_.Put(c, *f.record.thumbnail_sha256, *f.thumb_path);
    f.record.id = storage::InsertAttachment(c, f.record);
  }
}

}  // namespace portico::services
