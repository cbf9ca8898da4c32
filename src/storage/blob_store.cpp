#include "storage/blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"

namespace portico::storage {
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kChunkBytes = 192 * 1024;  // raw bytes per database chunk (256 KiB of base64)

std::string Hex(const unsigned char* p, std::size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

void FsyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

class FileBlobStore : public BlobStore {
 public:
  explicit FileBlobStore(std::string root) : root_(std::move(root)), tmp_(root_ + "/tmp") {
    std::error_code ec;
    fs::create_directories(tmp_, ec);
    if (ec) throw Error(ErrorCode::kUnavailable, "cannot create the blob directory " + tmp_ + ": " + ec.message());
  }

  void Put(Connection&, const std::string& sha256, const std::string& path) override {
    Check(sha256);
    const std::string dest = PathOf(sha256);
    std::error_code ec;
    if (fs::exists(dest, ec)) return;
    fs::create_directories(fs::path(dest).parent_path(), ec);
    // Copy to a temporary name beside the blobs, fsync, then rename: a blob is either whole or absent.
    const std::string tmp = tmp_ + "/put-" + sha256 + "-" + RandomToken(6);
    if (!fs::copy_file(path, tmp, fs::copy_options::overwrite_existing, ec)) {
      throw Error::Internal("blob copy failed: " + ec.message());
    }
    FsyncPath(tmp, false);
    fs::rename(tmp, dest, ec);
    if (ec) {
      fs::remove(tmp, ec);
      throw Error::Internal("blob rename failed: " + ec.message());
    }
    FsyncPath(fs::path(dest).parent_path().string(), true);
  }

  std::optional<std::int64_t> Size(Connection&, const std::string& sha256) override {
    Check(sha256);
    std::error_code ec;
    auto n = fs::file_size(PathOf(sha256), ec);
    if (ec) return std::nullopt;
    return static_cast<std::int64_t>(n);
  }

  std::string Read(Connection&, const std::string& sha256, std::int64_t offset, std::int64_t length) override {
    Check(sha256);
    std::ifstream in(PathOf(sha256), std::ios::binary);
    if (!in) throw Error::NotFound("The file is gone.");
    in.seekg(offset);
    std::string out(static_cast<std::size_t>(std::max<std::int64_t>(length, 0)), '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    out.resize(static_cast<std::size_t>(in.gcount()));
    return out;
  }

  void Delete(Connection&, const std::string& sha256) override {
    Check(sha256);
    std::error_code ec;
    fs::remove(PathOf(sha256), ec);
  }

  const std::string& TempDir() const override { return tmp_; }
  bool InDatabase() const override { return false; }

 private:
  static void Check(const std::string& sha256) {
    if (!IsBlobName(sha256)) throw Error::Internal("not a blob name: " + sha256);
  }
  std::string PathOf(const std::string& sha256) const { return root_ + "/" + sha256.substr(0, 2) + "/" + sha256; }

  std::string root_;
  std::string tmp_;
};

class DatabaseBlobStore : public BlobStore {
 public:
  DatabaseBlobStore() : tmp_((fs::temp_directory_path() / "portico-uploads").string()) {
    std::error_code ec;
    fs::create_directories(tmp_, ec);
    if (ec) throw Error(ErrorCode::kUnavailable, "cannot create " + tmp_ + ": " + ec.message());
  }

  void Put(Connection& c, const std::string& sha256, const std::string& path) override {
    static constexpr Sql kInsert{"blob_chunk_insert",
                                 "INSERT INTO blob_chunks (sha256, seq, data) VALUES ($1, $2, $3) "
                                 "ON CONFLICT (sha256, seq) DO NOTHING"};
    if (Size(c, sha256)) return;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::Internal("cannot read upload " + path);
    std::vector<char> buf(static_cast<std::size_t>(kChunkBytes));
    std::int64_t seq = 0;
    std::string b64;
    for (;;) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0 && seq > 0) break;
      b64.assign(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
      sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(buf.data()), n,
                        sodium_base64_VARIANT_ORIGINAL);
      b64.resize(std::strlen(b64.c_str()));
      c.Execute(kInsert, {sha256, seq, b64});
      ++seq;
      if (n < buf.size()) break;
    }
  }

  std::optional<std::int64_t> Size(Connection& c, const std::string& sha256) override {
    static constexpr Sql kLast{"blob_last_chunk",
                               "SELECT seq, data FROM blob_chunks WHERE sha256 = $1 ORDER BY seq DESC LIMIT 1"};
    auto row = c.QueryOne(kLast, {sha256});
    if (!row) return std::nullopt;
    return row->Int(0) * kChunkBytes + static_cast<std::int64_t>(Decode(row->Text(1)).size());
  }

  std::string Read(Connection& c, const std::string& sha256, std::int64_t offset, std::int64_t length) override {
    static constexpr Sql kChunks{"blob_chunks_range",
                                 "SELECT seq, data FROM blob_chunks WHERE sha256 = $1 AND seq >= $2 AND seq <= $3 "
                                 "ORDER BY seq"};
    if (length <= 0) return {};
    std::int64_t first = offset / kChunkBytes;
    std::int64_t last = (offset + length - 1) / kChunkBytes;
    auto rows = c.Query(kChunks, {sha256, first, last});
    if (rows.empty() && !Size(c, sha256)) throw Error::NotFound("The file is gone.");
    std::string out;
    for (const auto& r : rows) {
      std::string bytes = Decode(r.Text(1));
      std::int64_t start = r.Int(0) * kChunkBytes;
      std::int64_t from = std::max<std::int64_t>(offset - start, 0);
      std::int64_t to = std::min<std::int64_t>(offset + length - start, static_cast<std::int64_t>(bytes.size()));
      if (to > from) out.append(bytes, static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
    }
    return out;
  }

  void Delete(Connection& c, const std::string& sha256) override {
    static constexpr Sql kDelete{"blob_delete", "DELETE FROM blob_chunks WHERE sha256 = $1"};
    c.Execute(kDelete, {sha256});
  }

  const std::string& TempDir() const override { return tmp_; }
  bool InDatabase() const override { return true; }

 private:
  static std::string Decode(const std::string& b64) {
    std::string out(b64.size() / 4 * 3 + 3, '\0');
    std::size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), nullptr,
                          &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
      throw Error::Internal("corrupt blob chunk");
    }
    out.resize(n);
    return out;
  }

  std::string tmp_;
};

}  // namespace

std::unique_ptr<BlobStore> OpenBlobStore(const std::string& url) {
  if (url == "database") return std::make_unique<DatabaseBlobStore>();
  if (url.starts_with("file://") && url.size() > 7) return std::make_unique<FileBlobStore>(url.substr(7));
  throw Error(ErrorCode::kInvalidInput, "storage.blobs must be file://DIR or database, not " + url);
}

std::string Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::Internal("cannot read " + path);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = in.gcount();
    if (n > 0) crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()), static_cast<unsigned long long>(n));
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  return Hex(out, sizeof out);
}

bool IsBlobName(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace portico::storage
