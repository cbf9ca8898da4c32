// Blob storage (src/storage/blob_store.h): both backends store, read ranges, dedupe and delete the same
// way; the database backend crosses its chunk boundaries correctly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/crypto.h"
#include "core/error.h"
#include "storage/blob_store.h"
#include "storage/db.h"

namespace portico::storage {
namespace {
namespace fs = std::filesystem;

class BlobStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = fs::temp_directory_path() / ("portico-blobs-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = OpenDatabase("sqlite://" + (dir_ / "t.db").string(), 2);
    db_->Migrate();
    std::string url = GetParam() == std::string("file") ? "file://" + (dir_ / "blobs").string() : "database";
    store_ = OpenBlobStore(url);
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }
  std::string Write(const std::string& bytes) {
    auto p = (dir_ / ("in-" + std::to_string(n_++))).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  fs::path dir_;
  int n_ = 0;
  std::unique_ptr<Database> db_;
  std::unique_ptr<BlobStore> store_;
};

TEST_P(BlobStoreTest, StoresReadsRangesAndDeletes) {
  std::mt19937 rng(7);
  std::string bytes(600 * 1024 + 123, '\0');  // several database chunks, binary with NULs
  for (auto& c : bytes) c = static_cast<char>(rng());
  auto path = Write(bytes);
  const std::string sha = Sha256OfFile(path);
  ASSERT_TRUE(IsBlobName(sha));
  {
    auto tx = db_->Write();
    EXPECT_FALSE(store_->Size(tx->conn(), sha));
    store_->Put(tx->conn(), sha, path);
    store_->Put(tx->conn(), sha, path);  // the same bytes: stored once, no error
    tx->Commit();
  }
  auto tx = db_->Read();
  EXPECT_EQ(store_->Size(tx->conn(), sha).value_or(-1), static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(store_->Read(tx->conn(), sha, 0, static_cast<std::int64_t>(bytes.size())), bytes);
  for (std::int64_t off : {0LL, 1LL, 196607LL, 196608LL, 400000LL}) {
    EXPECT_EQ(store_->Read(tx->conn(), sha, off, 70000), bytes.substr(static_cast<std::size_t>(off), 70000)) << off;
  }
  EXPECT_EQ(store_->Read(tx->conn(), sha, static_cast<std::int64_t>(bytes.size()) - 5, 100), bytes.substr(bytes.size() - 5));
  tx.reset();
  {
    auto w = db_->Write();
    store_->Delete(w->conn(), sha);
    w->Commit();
  }
  auto r = db_->Read();
  EXPECT_FALSE(store_->Size(r->conn(), sha));
  EXPECT_TRUE(fs::is_directory(store_->TempDir()));
}

TEST_P(BlobStoreTest, StoresAnEmptyFile) {
  auto path = Write("");
  const std::string sha = Sha256OfFile(path);
  EXPECT_EQ(sha, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto tx = db_->Write();
  store_->Put(tx->conn(), sha, path);
  EXPECT_EQ(store_->Size(tx->conn(), sha).value_or(-1), 0);
  EXPECT_EQ(store_->Read(tx->conn(), sha, 0, 10), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobStoreTest, ::testing::Values("file", "database"));

TEST(BlobNames, OnlyLowerCaseHexOf64) {
  EXPECT_TRUE(IsBlobName(std::string(64, 'a')));
  EXPECT_FALSE(IsBlobName(std::string(64, 'A')));
  EXPECT_FALSE(IsBlobName("../../etc/passwd"));
  EXPECT_FALSE(IsBlobName(std::string(63, 'a')));
  EXPECT_THROW(OpenBlobStore("s3://bucket"), Error);
}

}  // namespace
}  // namespace portico::storage
