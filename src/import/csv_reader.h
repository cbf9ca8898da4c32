// Streaming CSV reader for imports: plain or gzip-compressed files, RFC 4180 quoting parsed by libcsv.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace portico::importer {

/// Reads one CSV file record by record in constant memory (64 KiB chunks; one field may hold about
/// kMaxFieldBytes, one record at most kMaxFields fields). Compression is detected by content (gzip magic
/// bytes 1f 8b), never by file name. Quoting follows RFC 4180 (libcsv in strict mode): quoted fields may
/// hold commas, doubled quotes and line breaks; CRLF and LF line ends are both accepted; blank lines are
/// ignored; spaces around unquoted fields are trimmed; a UTF-8 byte order mark before the header is dropped.
///
/// Errors (all portico::Error with ErrorCode::kInvalidInput and a one-line message naming the file):
/// the file cannot be opened; it is not CSV text (a NUL byte, a malformed header record); its gzip data is
/// corrupt or truncated; a field or record exceeds the limits above.
///
/// A malformed record after the header (a stray quote in an unquoted field, text after a closing quote,
/// a quoted field still open at end of file) does not stop the reader: the record is returned as libcsv
/// reads it leniently, and problem() describes it. The caller must skip such a record (skip code
/// "malformed_csv", see SkipReason::MalformedCsv) rather than import it.
class CsvReader {
 public:
  static constexpr std::size_t kMaxFieldBytes = std::size_t{1} << 20;  // 1 MiB
  static constexpr std::size_t kMaxFields = 4096;

  /// Opens `path` for reading, with `delimiter` between fields (Mapping::delimiter() gives the mapping's).
  /// Throws portico::Error (kInvalidInput) if the file is missing, unreadable or a directory, or if the
  /// delimiter is a quote or a line break. Nothing is parsed yet.
  static CsvReader Open(const std::string& path, char delimiter = ',');

  CsvReader(CsvReader&& other) noexcept;
  CsvReader& operator=(CsvReader&& other) noexcept;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  ~CsvReader();

  /// Replaces `fields` with the next record (the header is record 1) and returns true; returns false at
  /// the end of the file. The vector's previous strings are recycled, so reusing one vector is cheap.
  /// Throws portico::Error as described on the class.
  bool Next(std::vector<std::string>& fields);

  /// Empty for a well-formed record; otherwise a one-line description of what is wrong with the record
  /// the last Next() returned (e.g. "a quoted field is not closed before the end of the file").
  const std::string& problem() const;

  /// The number of the record the last Next() returned: 1 = header, 0 before the first call.
  std::int64_t record_number() const;

  /// Bytes of the file consumed so far (compressed bytes for a gzip file), for a progress line.
  std::int64_t bytes_read() const;

  /// The file's size in bytes, as on disk (compressed for a gzip file).
  std::int64_t total_bytes() const;

  /// True when the file is gzip-compressed.
  bool compressed() const;

  /// The path given to Open().
  const std::string& path() const;

 private:
  struct State;
  explicit CsvReader(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace portico::importer
