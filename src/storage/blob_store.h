// Blob storage for attachments and logos (issue 8 "Blob storage", issue 9): content-addressed by SHA-256
// (lower-case hex), so the same bytes are stored once. Two backends behind one interface, chosen by
// `[storage] blobs`: "file://DIR" (default file://data/blobs; files DIR/ab/cdef..., written to DIR/tmp,
// fsynced and renamed) and "database" (base64 chunks in the blob_chunks table, written in the caller's
// transaction, so every instance on one database reaches them).
// Every call takes the caller's connection: the database backend uses it, the file backend ignores it.
// Who may read a blob is decided before a call, by the owner's scope; the store knows nothing of tenants.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "storage/db.h"

namespace portico::storage {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  /// Stores the file at `path` as blob `sha256` (which the caller computed from that file). When the blob
  /// exists already nothing is written. The file at `path` is left alone (the caller removes it).
  virtual void Put(Connection& c, const std::string& sha256, const std::string& path) = 0;
  /// The size in bytes of a stored blob, nullopt when absent.
  virtual std::optional<std::int64_t> Size(Connection& c, const std::string& sha256) = 0;
  /// Bytes [offset, offset + length) of a blob (fewer at its end). Throws Error(kNotFound) when absent.
  virtual std::string Read(Connection& c, const std::string& sha256, std::int64_t offset, std::int64_t length) = 0;
  /// Removes a blob (no-op when absent). Callers remove only blobs no row refers to any more.
  virtual void Delete(Connection& c, const std::string& sha256) = 0;
  /// True when blobs live in the database (Put must then run in the transaction that uses the blob).
  virtual bool InDatabase() const = 0;
  /// A directory for temporary upload files (on the same file system as the blobs for the file backend).
  virtual const std::string& TempDir() const = 0;
};

/// Opens the store named by `url` ("file://DIR" or "database"), creating the directories. Throws
/// Error(kInvalidInput) for another URL, Error(kUnavailable) when the directory cannot be created.
std::unique_ptr<BlobStore> OpenBlobStore(const std::string& url);

/// SHA-256 of a file as lower-case hex; throws Error(kInternal) when unreadable.
std::string Sha256OfFile(const std::string& path);

/// True for 64 lower-case hex characters (what a blob name must be).
bool IsBlobName(const std::string& sha256);

}  // namespace portico::storage
