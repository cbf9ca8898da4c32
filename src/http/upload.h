// Receiving a multipart/form-data upload: the MultipartParser's events written to a temporary file (the
// part named "file") and small text fields (every other part), so a body is never held whole in memory.
// server.cpp feeds it the body in chunks for the routes marked `upload`; handlers read the result from
// Request::upload.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/multipart.h"

namespace portico::http {

/// One received part named "file".
struct UploadedFile {
  std::string path;  // its bytes, in a temporary file
  std::string name;  // as the client named it (never trusted)
  std::int64_t size = 0;
};

/// The result of one upload. The temporary files are removed when this is destroyed.
struct UploadedForm {
  UploadedForm() = default;
  UploadedForm(const UploadedForm&) = delete;
  UploadedForm& operator=(const UploadedForm&) = delete;
  ~UploadedForm();

  std::map<std::string, std::string> fields;  // text parts by name
  bool has_file = false;
  std::string file_path;      // the "file" part's bytes
  std::string file_name;      // as the client named it (never trusted)
  std::int64_t file_size = 0;
  std::vector<UploadedFile> files;  // every part named "file", the first one also above
  int error_status = 0;       // 400 or 413 when the body was refused (nothing is kept then)
  std::string error;
};

struct UploadLimits {
  MultipartLimits multipart;
  std::size_t max_field_bytes = 2000;  // one text part
  std::size_t max_files = 1;           // parts named "file"
};

class UploadReceiver {
 public:
  /// Writes the file part under `temp_dir`.
  UploadReceiver(std::string boundary, UploadLimits limits, std::string temp_dir);
  ~UploadReceiver();
  /// Feeds body bytes; false once the body is refused (see form()->error_status).
  bool Feed(std::string_view bytes);
  /// The body ended; false when it was incomplete or refused.
  bool Finish();
  /// The form (an error in it when refused).
  std::shared_ptr<UploadedForm> Take();

 private:
  void OnEvent(MultipartParser::Event e, const MultipartPart& part, std::string_view data);
  void Refuse(int status, std::string message);

  UploadLimits limits_;
  std::string temp_dir_;
  std::shared_ptr<UploadedForm> form_;
  MultipartParser parser_;
  int fd_ = -1;
  std::string* field_ = nullptr;  // the text part being read
  bool in_file_ = false;
};

}  // namespace portico::http
