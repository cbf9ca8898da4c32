// Tests of the streaming CSV reader (src/import/csv_reader.h): quoting, gzip detection, malformed input.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "import/csv_reader.h"

namespace portico::importer {
namespace {

namespace fs = std::filesystem;
using Records = std::vector<std::vector<std::string>>;

fs::path FixtureDir() { return fs::path(__FILE__).parent_path().parent_path() / "fixtures" / "import"; }

// A fresh directory per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("portico_import_csv_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  std::string WriteGzip(const std::string& name, const std::string& content) const {
    const fs::path file = path_ / name;
    gzFile out = gzopen(file.c_str(), "wb");
    EXPECT_NE(out, nullptr);
    EXPECT_EQ(gzwrite(out, content.data(), static_cast<unsigned>(content.size())), static_cast<int>(content.size()));
    gzclose(out);
    return file.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Records ReadAll(const std::string& path) {
  CsvReader reader = CsvReader::Open(path);
  Records records;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    EXPECT_EQ(reader.problem(), "") << "record " << reader.record_number();
    records.push_back(fields);
  }
  return records;
}

// Runs `body`, expecting a portico::Error with kInvalidInput whose message contains `needle`.
template <typename Body>
void ExpectInvalidInput(Body body, const std::string& needle) {
  try {
    body();
    ADD_FAILURE() << "no error; expected one containing '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "not one line: " << e.what();
  }
}

TEST(ImportCsvReader, QuotedFieldsKeepEmbeddedQuotesCommasAndLineBreaks) {
  TempDir dir;
  const std::string path = dir.Write(
      "quoted.csv",
      "id,shop,notes,empty\r\n"
      "1,\"NEW EQUIP SHOP - \"\"J\"\" ONLY\",\"a, b\",\r\n"
      "2,  TIRE SHOP  ,\"line one\r\nline two\",\"\"\r\n"
      "\r\n"
      "3,\"  spaced  \",\"\"\"\",x");  // no line break at the end
  CsvReader reader = CsvReader::Open(path);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.record_number(), 1);
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "shop", "notes", "empty"}));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"1", "NEW EQUIP SHOP - \"J\" ONLY", "a, b", ""}));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"2", "TIRE SHOP", "line one\r\nline two", ""}));
  ASSERT_TRUE(reader.Next(fields));  // the blank line is not a record
  EXPECT_EQ(reader.record_number(), 4);
  EXPECT_EQ(fields, (std::vector<std::string>{"3", "  spaced  ", "\"", "x"}));
  EXPECT_EQ(reader.problem(), "");
  EXPECT_FALSE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));  // stays at the end
  EXPECT_EQ(reader.record_number(), 4);
}

TEST(ImportCsvReader, SampleFixtureKeepsLeadingZerosAndQuotedShopNames) {
  const Records records = ReadAll((FixtureDir() / "work_orders_sample.csv").string());
  ASSERT_EQ(records.size(), 5u);
  for (const auto& record : records) EXPECT_EQ(record.size(), 21u);
  EXPECT_EQ(records[1][9], "0222");
  EXPECT_EQ(records[2][9], "0091");
  EXPECT_EQ(records[2][12], "NEW EQUIP SHOP - \"J\" ONLY");
  EXPECT_EQ(records[2][4], "");  // empty reason
  EXPECT_EQ(records[3][10], "FLEET, POOL");
  EXPECT_EQ(records[3][12], "TIRE SHOP\nNIGHT");
  EXPECT_EQ(records[4][7], "X0271");
}

TEST(ImportCsvReader, GzipAndPlainGiveIdenticalRecordsWhateverTheFileName) {
  TempDir dir;
  std::string content = ReadFile(FixtureDir() / "work_orders_sample.csv");
  ASSERT_FALSE(content.empty());
  // Make it span several 64 KiB chunks, with quoted line breaks across chunk boundaries.
  std::string body = content.substr(content.find('\n') + 1);
  for (int i = 0; i < 400; ++i) content += body;
  const std::string plain = dir.Write("plain.gz", content);        // plain text despite the name
  const std::string packed = dir.WriteGzip("packed.csv", content);  // gzip despite the name

  const Records from_plain = ReadAll(plain);
  const Records from_gzip = ReadAll(packed);
  ASSERT_EQ(from_plain.size(), 1u + 4u * 401u);
  EXPECT_EQ(from_plain, from_gzip);
  EXPECT_EQ(from_gzip.back()[12], "LIGHT CAR SHOP");

  CsvReader plain_reader = CsvReader::Open(plain);
  CsvReader gzip_reader = CsvReader::Open(packed);
  std::vector<std::string> fields;
  ASSERT_TRUE(plain_reader.Next(fields));
  ASSERT_TRUE(gzip_reader.Next(fields));
  EXPECT_FALSE(plain_reader.compressed());
  EXPECT_TRUE(gzip_reader.compressed());
  EXPECT_EQ(plain_reader.total_bytes(), static_cast<std::int64_t>(content.size()));
  EXPECT_LT(gzip_reader.total_bytes(), plain_reader.total_bytes());
  while (gzip_reader.Next(fields)) {
  }
  EXPECT_EQ(gzip_reader.bytes_read(), gzip_reader.total_bytes());
}

TEST(ImportCsvReader, RecordsAreRecycledIntoTheCallersVector) {
  TempDir dir;
  const std::string path = dir.Write("short.csv", "a,b,c\n1,2\n3,4,5,6\n");
  CsvReader reader = CsvReader::Open(path);
  std::vector<std::string> fields{"stale", "stale", "stale", "stale", "stale"};
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields.size(), 3u);
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"1", "2"}));  // the reader reports, the mapping judges
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"3", "4", "5", "6"}));
}

TEST(ImportCsvReader, ByteOrderMarkBeforeTheHeaderIsDropped) {
  TempDir dir;
  const Records records = ReadAll(dir.Write("bom.csv", "\xEF\xBB\xBFid,name\n1,x\n"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0][0], "id");
}

TEST(ImportCsvReader, EmptyFileHasNoRecords) {
  TempDir dir;
  EXPECT_TRUE(ReadAll(dir.Write("empty.csv", "")).empty());
}

TEST(ImportCsvReader, BinaryFileIsNotCsv) {
  TempDir dir;
  std::string png = "\x89PNG\r\n\x1a\n";
  png += std::string("\0\0\0\rIHDR", 8);
  const std::string path = dir.Write("image.csv", png);
  ExpectInvalidInput([&] {
    CsvReader reader = CsvReader::Open(path);
    std::vector<std::string> fields;
    reader.Next(fields);
  }, "not a CSV text file");
}

TEST(ImportCsvReader, Utf16FileIsNotCsv) {
  TempDir dir;
  const std::string path = dir.WriteGzip("utf16.csv", std::string("i\0d\0,\0x\0\n\0", 10));
  ExpectInvalidInput([&] {
    CsvReader reader = CsvReader::Open(path);
    std::vector<std::string> fields;
    reader.Next(fields);
  }, "NUL byte");
}

TEST(ImportCsvReader, MalformedHeaderMeansNotCsv) {
  TempDir dir;
  const std::string path = dir.Write("header.csv", "id,na\"me,x\n1,2,3\n");
  ExpectInvalidInput([&] {
    CsvReader reader = CsvReader::Open(path);
    std::vector<std::string> fields;
    reader.Next(fields);
  }, "header record is malformed");
}

TEST(ImportCsvReader, MalformedRecordIsFlaggedAndReadingGoesOn) {
  TempDir dir;
  const std::string path =
      dir.Write("stray.csv", "id,size,note\n1,12\" WHEEL,a\n2,\"ok\"x,b\n3,fine,c\n4,\"also\",\"fine\"\n");
  CsvReader reader = CsvReader::Open(path);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.problem(), "a double quote inside an unquoted field");
  EXPECT_EQ(fields, (std::vector<std::string>{"1", "12\" WHEEL", "a"}));  // as read leniently
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.record_number(), 3);
  EXPECT_EQ(reader.problem(), "unexpected text after the closing quote of a quoted field");
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.problem(), "");
  EXPECT_EQ(fields, (std::vector<std::string>{"3", "fine", "c"}));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.problem(), "");
  EXPECT_EQ(fields, (std::vector<std::string>{"4", "also", "fine"}));
  EXPECT_FALSE(reader.Next(fields));
}

TEST(ImportCsvReader, QuoteLeftOpenAtEndOfFileIsFlagged) {
  TempDir dir;
  const std::string path = dir.Write("open.csv", "id,note\n1,good\n2,\"never closed\n3,x\n");
  CsvReader reader = CsvReader::Open(path);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.problem(), "");
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.problem(), "a quoted field is not closed before the end of the file");
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_FALSE(reader.Next(fields));
}

TEST(ImportCsvReader, TruncatedGzipFails) {
  TempDir dir;
  std::string content = "id,text\n";
  for (int i = 0; i < 20000; ++i) content += std::to_string(i) + ",row " + std::to_string(i * 7919) + "\n";
  const std::string whole = ReadFile(dir.WriteGzip("whole.csv.gz", content));
  const std::string path = dir.Write("cut.csv.gz", whole.substr(0, whole.size() / 2));
  CsvReader reader = CsvReader::Open(path);
  std::vector<std::string> fields;
  std::int64_t records = 0;
  ExpectInvalidInput([&] {
    while (reader.Next(fields)) ++records;
  }, "truncated");
  EXPECT_GT(records, 100);  // what came before the cut was read
  EXPECT_LT(records, 20001);
}

TEST(ImportCsvReader, CorruptGzipFails) {
  TempDir dir;
  const std::string path = dir.Write("corrupt.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage!", 18));
  ExpectInvalidInput([&] {
    CsvReader reader = CsvReader::Open(path);
    std::vector<std::string> fields;
    while (reader.Next(fields)) {
    }
  }, "gzip");
}

TEST(ImportCsvReader, MissingFileAndDirectoryFailToOpen) {
  TempDir dir;
  ExpectInvalidInput([&] { CsvReader::Open((dir.path() / "absent.csv").string()); }, "cannot open");
  ExpectInvalidInput([&] { CsvReader::Open(dir.path().string()); }, "is a directory");
}

TEST(ImportCsvReader, LongFieldsWithinTheLimitAreReadAndLongerOnesFail) {
  TempDir dir;
  const std::string long_text(200 * 1024, 'x');  // spans several chunks
  Records records = ReadAll(dir.Write("long.csv", "a,b\n\"" + long_text + "\",2\n"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1][0], long_text);
  EXPECT_EQ(records[1][1], "2");

  const std::string path = dir.Write("huge.csv", "a,b\n1,\"" + std::string(CsvReader::kMaxFieldBytes + 10000, 'y'));
  ExpectInvalidInput([&] {
    CsvReader reader = CsvReader::Open(path);
    std::vector<std::string> fields;
    while (reader.Next(fields)) {
    }
  }, "longer than");
}

}  // namespace
}  // namespace portico::importer
