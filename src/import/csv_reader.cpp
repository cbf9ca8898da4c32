#include "import/csv_reader.h"

#include <csv.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <utility>

#include "core/error.h"

namespace portico::importer {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr unsigned kZlibBufferBytes = 128 * 1024;
constexpr std::size_t kFieldBufferStep = 4096;  // libcsv grows its field buffer by this much
// Strict RFC 4180 checks, including a quoted field left open at end of input.
constexpr unsigned char kStrictOptions = CSV_STRICT | CSV_STRICT_FINI;
// Used only to finish reading one malformed record after a strict-mode error.
constexpr unsigned char kLenientOptions = 0;

[[noreturn]] void Fail(const std::string& path, const std::string& message) {
  throw Error(ErrorCode::kInvalidInput, "'" + path + "': " + message);
}

}  // namespace

struct CsvReader::State {
  std::string path;
  gzFile file = nullptr;
  csv_parser parser{};
  bool parser_ready = false;
  std::int64_t total_bytes = 0;
  std::int64_t uncompressed_bytes = 0;  // handed to libcsv so far

  std::vector<char> chunk = std::vector<char>(kChunkBytes);
  // Completed records of the current chunk; ready[read_pos, ready_count) are not yet handed out.
  std::vector<std::vector<std::string>> ready;
  std::vector<std::string> ready_problems;
  std::size_t ready_count = 0;
  std::size_t read_pos = 0;
  // The record libcsv is building; only the first current_size strings are live.
  std::vector<std::string> current;
  std::size_t current_size = 0;
  std::string current_problem;

  std::int64_t records_completed = 0;  // by libcsv, including those not yet handed out
  std::int64_t record_number = 0;      // of the record last handed out
  std::string problem;                 // of the record last handed out
  bool lenient = false;                // finishing a malformed record in lenient mode
  bool eof = false;
  std::string fatal;                   // set by a callback; raised after csv_parse returns
  std::exception_ptr callback_exception;

  ~State() {
    if (parser_ready) csv_free(&parser);
    if (file != nullptr) gzclose(file);
  }

  static void OnField(void* data, std::size_t size, void* self_ptr) {
    auto* self = static_cast<State*>(self_ptr);
    if (!self->fatal.empty() || self->callback_exception) return;
    try {
      if (self->current_size >= kMaxFields) {
        self->fatal = "record " + std::to_string(self->records_completed + 1) + " has more than " +
                      std::to_string(kMaxFields) + " fields";
        return;
      }
      const char* text = data == nullptr ? "" : static_cast<const char*>(data);
      if (self->current_size < self->current.size()) {
        self->current[self->current_size].assign(text, size);
      } else {
        self->current.emplace_back(text, size);
      }
      ++self->current_size;
    } catch (...) {
      self->callback_exception = std::current_exception();
    }
  }

  static void OnRow(int /*terminator*/, void* self_ptr) {
    auto* self = static_cast<State*>(self_ptr);
    if (!self->fatal.empty() || self->callback_exception) return;
    try {
      if (self->ready_count == self->ready.size()) {
        self->ready.emplace_back();
        self->ready_problems.emplace_back();
      }
      self->current.resize(self->current_size);
      self->ready[self->ready_count].swap(self->current);
      self->ready_problems[self->ready_count] = std::move(self->current_problem);
      self->current_problem.clear();
      ++self->ready_count;
      self->current_size = 0;
      ++self->records_completed;
    } catch (...) {
      self->callback_exception = std::current_exception();
    }
  }

  std::string InProgressRecord() const { return "record " + std::to_string(records_completed + 1); }

  // Raises what a callback or libcsv reported.
  void CheckAfterParse() {
    if (callback_exception) std::rethrow_exception(callback_exception);
    if (!fatal.empty()) Fail(path, fatal);
    if (csv_get_buffer_size(&parser) > kMaxFieldBytes + kFieldBufferStep) {
      Fail(path, InProgressRecord() + " has a field longer than " + std::to_string(kMaxFieldBytes) +
                     " bytes (a quote that is never closed?)");
    }
  }

  // Feeds `size` bytes to libcsv. A strict-mode error starts lenient reading of the rest of that one
  // record, which is then marked malformed.
  void Parse(const char* data, std::size_t size) {
    std::size_t offset = 0;
    while (offset < size) {
      if (lenient) {
        // One byte at a time, so that strict mode resumes exactly at the next record.
        const std::int64_t before = records_completed;
        while (offset < size && records_completed == before) {
          if (csv_parse(&parser, data + offset, 1, &OnField, &OnRow, this) != 1) {
            Fail(path, std::string("cannot parse CSV: ") + csv_strerror(csv_error(&parser)));
          }
          ++offset;
          CheckAfterParse();
        }
        if (records_completed != before) {
          lenient = false;
          csv_set_opts(&parser, kStrictOptions);
        }
        continue;
      }
      offset += csv_parse(&parser, data + offset, size - offset, &OnField, &OnRow, this);
      CheckAfterParse();
      if (offset < size) {
        const int error = csv_error(&parser);
        if (error != CSV_EPARSE) Fail(path, std::string("cannot parse CSV: ") + csv_strerror(error));
        if (current_problem.empty()) {
          current_problem = parser.quoted ? "unexpected text after the closing quote of a quoted field"
                                          : "a double quote inside an unquoted field";
        }
        // libcsv keeps its state; clear the error flag. After a closing quote, also treat the rest of the
        // field as unquoted, so that the malformed record ends at the next line break instead of
        // swallowing the records that follow (lenient libcsv would reopen the quoted field).
        parser.status = CSV_SUCCESS;
        parser.quoted = 0;
        lenient = true;
        csv_set_opts(&parser, kLenientOptions);
      }
    }
  }

  // Reads and parses the next chunk, or finishes the file.
  void Fill() {
    const int got = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (got < 0) {
      int code = Z_OK;
      const char* message = gzerror(file, &code);
      if (code == Z_ERRNO) Fail(path, std::string("cannot read: ") + std::strerror(errno));
      Fail(path, std::string("corrupt gzip data (") + (message != nullptr ? message : "unknown error") + ")");
    }
    if (got == 0) {
      Finish();
      return;
    }
    const auto size = static_cast<std::size_t>(got);
    if (const void* nul = std::memchr(chunk.data(), '\0', size); nul != nullptr) {
      const auto at = static_cast<const char*>(nul) - chunk.data();
      Fail(path, "not a CSV text file: it contains a NUL byte at offset " +
                     std::to_string(uncompressed_bytes + at) + " of its text (binary or UTF-16 data?)");
    }
    uncompressed_bytes += got;
    Parse(chunk.data(), size);
  }

  void Finish() {
    int code = Z_OK;
    gzerror(file, &code);
    if (code == Z_BUF_ERROR) Fail(path, "the gzip data ends early: the file is truncated");
    if (code != Z_OK) Fail(path, "cannot read to the end of the file");
    if (csv_fini(&parser, &OnField, &OnRow, this) != 0) {
      // A quoted field is still open: hand out what was read, marked malformed.
      if (current_problem.empty()) current_problem = "a quoted field is not closed before the end of the file";
      csv_set_opts(&parser, kLenientOptions);
      parser.status = CSV_SUCCESS;
      csv_fini(&parser, &OnField, &OnRow, this);
    }
    CheckAfterParse();
    eof = true;
  }
};

CsvReader::CsvReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
CsvReader::CsvReader(CsvReader&& other) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&& other) noexcept = default;
CsvReader::~CsvReader() = default;

CsvReader CsvReader::Open(const std::string& path, char delimiter) {
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == '\0') {
    Fail(path, "the field delimiter cannot be a quote, a line break or NUL");
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) Fail(path, std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) Fail(path, "is a directory, not a CSV file");
  auto state = std::make_unique<State>();
  state->path = path;
  state->total_bytes = static_cast<std::int64_t>(info.st_size);
  errno = 0;
  state->file = gzopen(path.c_str(), "rb");
  if (state->file == nullptr) {
    Fail(path, std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  gzbuffer(state->file, kZlibBufferBytes);
  if (csv_init(&state->parser, kStrictOptions) != 0) throw Error::Internal("csv_init failed");
  state->parser_ready = true;
  csv_set_delim(&state->parser, static_cast<unsigned char>(delimiter));
  csv_set_blk_size(&state->parser, kFieldBufferStep);
  return CsvReader(std::move(state));
}

bool CsvReader::Next(std::vector<std::string>& fields) {
  State& s = *state_;
  while (s.read_pos == s.ready_count) {
    if (s.eof) return false;
    s.read_pos = 0;
    s.ready_count = 0;
    s.Fill();
  }
  fields.swap(s.ready[s.read_pos]);
  s.problem.swap(s.ready_problems[s.read_pos]);
  s.ready_problems[s.read_pos].clear();
  ++s.read_pos;
  ++s.record_number;
  if (s.record_number == 1) {
    if (!fields.empty() && fields[0].starts_with("\xEF\xBB\xBF")) fields[0].erase(0, 3);
    if (!s.problem.empty()) Fail(s.path, "not a valid CSV file: its header record is malformed (" + s.problem + ")");
  }
  return true;
}

const std::string& CsvReader::problem() const { return state_->problem; }
std::int64_t CsvReader::record_number() const { return state_->record_number; }
std::int64_t CsvReader::bytes_read() const { return static_cast<std::int64_t>(gzoffset(state_->file)); }
std::int64_t CsvReader::total_bytes() const { return state_->total_bytes; }
bool CsvReader::compressed() const { return gzdirect(state_->file) == 0; }
const std::string& CsvReader::path() const { return state_->path; }

}  // namespace portico::importer
