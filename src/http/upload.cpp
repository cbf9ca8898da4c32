#include "http/upload.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "core/crypto.h"

namespace portico::http {

UploadedForm::~UploadedForm() {
  std::error_code ec;
  if (!file_path.empty()) std::filesystem::remove(file_path, ec);
  for (const auto& f : files) {
    if (!f.path.empty() && f.path != file_path) std::filesystem::remove(f.path, ec);
  }
}

UploadReceiver::UploadReceiver(std::string boundary, UploadLimits limits, std::string temp_dir)
    : limits_(limits),
      temp_dir_(std::move(temp_dir)),
      form_(std::make_shared<UploadedForm>()),
      parser_(std::move(boundary), limits.multipart,
              [this](MultipartParser::Event e, const MultipartPart& p, std::string_view d) { OnEvent(e, p, d); }) {}

UploadReceiver::~UploadReceiver() {
  if (fd_ >= 0) ::close(fd_);
}

void UploadReceiver::Refuse(int status, std::string message) {
  if (form_->error_status != 0) return;
  form_->error_status = status;
  form_->error = std::move(message);
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  std::error_code ec;
  if (!form_->file_path.empty()) std::filesystem::remove(form_->file_path, ec);
  for (const auto& f : form_->files) std::filesystem::remove(f.path, ec);
  form_->files.clear();
  form_->file_path.clear();
  form_->has_file = false;
}

void UploadReceiver::OnEvent(MultipartParser::Event e, const MultipartPart& part, std::string_view data) {
  if (form_->error_status != 0) return;
  switch (e) {
    case MultipartParser::Event::kPartBegin:
      if (part.name == "file") {
        if (form_->files.size() >= limits_.max_files) {
          return Refuse(400, limits_.max_files == 1 ? std::string("Send one part named \"file\".")
                                                    : "Send at most " + std::to_string(limits_.max_files) +
                                                          " parts named \"file\".");
        }
        const std::string path = temp_dir_ + "/upload-" + RandomToken(12);
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd_ < 0) return Refuse(500, "The upload could not be stored.");
        form_->files.push_back({path, part.filename.value_or(""), 0});
        if (!form_->has_file) {
          form_->has_file = true;
          form_->file_name = form_->files.back().name;
          form_->file_path = path;
        }
        in_file_ = true;
      } else {
        if (form_->fields.contains(part.name)) return Refuse(400, "The part \"" + part.name + "\" is sent twice.");
        field_ = &form_->fields[part.name];
      }
      return;
    case MultipartParser::Event::kData:
      if (in_file_) {
        while (!data.empty()) {
          auto n = ::write(fd_, data.data(), data.size());
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) return Refuse(500, "The upload could not be stored.");
          data.remove_prefix(static_cast<std::size_t>(n));
          form_->files.back().size += n;
          if (form_->files.size() == 1) form_->file_size += n;
        }
      } else if (field_) {
        if (field_->size() + data.size() > limits_.max_field_bytes) {
          return Refuse(400, "The part \"" + part.name + "\" is longer than " +
                                 std::to_string(limits_.max_field_bytes) + " bytes.");
        }
        field_->append(data);
      }
      return;
    case MultipartParser::Event::kPartEnd:
      if (in_file_) {
        ::close(fd_);
        fd_ = -1;
        in_file_ = false;
      }
      field_ = nullptr;
      return;
  }
}

bool UploadReceiver::Feed(std::string_view bytes) {
  if (form_->error_status != 0) return false;
  if (!parser_.Feed(bytes)) Refuse(parser_.status(), parser_.error());
  return form_->error_status == 0;
}

bool UploadReceiver::Finish() {
  if (form_->error_status != 0) return false;
  if (!parser_.Finish()) Refuse(parser_.status(), parser_.error());
  return form_->error_status == 0;
}

std::shared_ptr<UploadedForm> UploadReceiver::Take() { return form_; }

}  // namespace portico::http
