#include "http/multipart.h"

#include <cctype>
#include <vector>

namespace portico::http {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Parses `; key=value; key="quoted"` parameters after a header's first token. False when malformed.
bool ParseParams(std::string_view s, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == s.size()) break;
    if (s[i] != ';') return false;
    ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) return false;
    std::string key = Lower(Trim(s.substr(i, eq - i)));
    if (key.empty()) return false;
    i = eq + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size()) {
          value.push_back(s[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return false;
    } else {
      std::size_t end = s.find(';', i);
      if (end == std::string_view::npos) end = s.size();
      value = std::string(Trim(s.substr(i, end - i)));
      i = end;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

bool IsBoundaryChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits, Sink sink)
    : delimiter_("\r\n--" + boundary), limits_(limits), sink_(std::move(sink)) {
  // The first boundary may start the body: a virtual CRLF lets one delimiter match both cases.
  buf_ = "\r\n";
}

bool MultipartParser::Fail(int status, std::string message) {
  state_ = State::kFailed;
  status_ = status;
  error_ = std::move(message);
  buf_.clear();
  buf_.shrink_to_fit();
  return false;
}

bool MultipartParser::Feed(std::string_view bytes) {
  if (state_ == State::kFailed) return false;
  total_ += bytes.size();
  if (total_ > limits_.max_body_bytes) {
    return Fail(413, "The body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes.");
  }
  if (state_ == State::kEpilogue) {
    skipped_ += bytes.size();
    if (skipped_ > limits_.max_preamble_bytes) return Fail(400, "Too many bytes after the closing boundary.");
    return true;
  }
  buf_.append(bytes);
  while (Step()) {
  }
  return state_ != State::kFailed;
}

bool MultipartParser::Finish() {
  if (state_ == State::kFailed) return false;
  if (state_ != State::kEpilogue) return Fail(400, "The multipart body ends before its closing boundary.");
  return true;
}

bool MultipartParser::Step() {
  switch (state_) {
    case State::kPreamble: {
      auto p = buf_.find(delimiter_);
      if (p == std::string::npos) {
        if (buf_.size() > limits_.max_preamble_bytes + delimiter_.size()) {
          return Fail(400, "The body does not start with the multipart boundary.");
        }
        return false;
      }
      if (p > limits_.max_preamble_bytes + 2) return Fail(400, "Too many bytes before the first boundary.");
      buf_.erase(0, p + delimiter_.size());
      state_ = State::kAfterBoundary;
      return true;
    }
    case State::kAfterBoundary: {
      if (buf_.size() < 2) return false;
      if (buf_.compare(0, 2, "--") == 0) {
        state_ = State::kEpilogue;
        skipped_ = buf_.size() - 2;
        buf_.clear();
        if (skipped_ > limits_.max_preamble_bytes) return Fail(400, "Too many bytes after the closing boundary.");
        return false;
      }
      if (buf_.compare(0, 2, "\r\n") != 0) return Fail(400, "A boundary line is not followed by CRLF.");
      buf_.erase(0, 2);
      state_ = State::kHeaders;
      return true;
    }
    case State::kHeaders: {
      auto p = buf_.find("\r\n\r\n");
      if (buf_.compare(0, 2, "\r\n") == 0) return Fail(400, "A part has no Content-Disposition header.");
      if (p == std::string::npos) {
        if (buf_.size() > limits_.max_header_bytes) return Fail(400, "A part's headers are too large.");
        return false;
      }
      if (p + 4 > limits_.max_header_bytes) return Fail(400, "A part's headers are too large.");
      if (++parts_ > limits_.max_parts) {
        return Fail(400, "Too many parts (at most " + std::to_string(limits_.max_parts) + ").");
      }
      if (!ParseHeaders(std::string_view(buf_).substr(0, p))) return false;
      buf_.erase(0, p + 4);
      state_ = State::kBody;
      sink_(Event::kPartBegin, part_, {});
      return true;
    }
    case State::kBody: {
      auto p = buf_.find(delimiter_);
      if (p == std::string::npos) {
        // Everything but a possible delimiter prefix at the end is data.
        std::size_t keep = std::min(buf_.size(), delimiter_.size() - 1);
        std::size_t emit = buf_.size() - keep;
        if (emit > 0) {
          sink_(Event::kData, part_, std::string_view(buf_).substr(0, emit));
          buf_.erase(0, emit);
        }
        return false;
      }
      if (p > 0) sink_(Event::kData, part_, std::string_view(buf_).substr(0, p));
      sink_(Event::kPartEnd, part_, {});
      buf_.erase(0, p + delimiter_.size());
      state_ = State::kAfterBoundary;
      return true;
    }
    case State::kEpilogue:
    case State::kFailed:
      return false;
  }
  return false;
}

bool MultipartParser::ParseHeaders(std::string_view block) {
  part_ = MultipartPart{};
  bool disposition = false;
  std::size_t i = 0;
  while (i <= block.size()) {
    auto end = block.find("\r\n", i);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(i, end - i);
    i = end + 2;
    if (line.empty()) return Fail(400, "A part header line is empty.");
    if (line.front() == ' ' || line.front() == '\t') return Fail(400, "Folded part headers are not accepted.");
    for (char c : line) {
      if (c == '\0' || c == '\r' || c == '\n') return Fail(400, "A part header has a control character.");
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Fail(400, "A part header has no name.");
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (disposition) return Fail(400, "A part has two Content-Disposition headers.");
      disposition = true;
      auto semi = value.find(';');
      if (Lower(Trim(value.substr(0, semi))) != "form-data") return Fail(400, "A part is not form-data.");
      std::vector<std::pair<std::string, std::string>> params;
      if (semi != std::string_view::npos && !ParseParams(value.substr(semi), params)) {
        return Fail(400, "A part's Content-Disposition is malformed.");
      }
      bool has_name = false;
      for (auto& [k, v] : params) {
        if (k == "name") {
          part_.name = v;
          has_name = true;
        } else if (k == "filename") {
          part_.filename = v;
        }
      }
      if (!has_name || part_.name.empty()) return Fail(400, "A part has no name.");
    } else if (name == "content-type") {
      part_.content_type = std::string(value);
    }
    if (end == block.size()) break;
  }
  if (!disposition) return Fail(400, "A part has no Content-Disposition header.");
  return true;
}

std::optional<std::string> FormDataBoundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> params;
  if (!ParseParams(content_type.substr(semi), params)) return std::nullopt;
  for (auto& [k, v] : params) {
    if (k != "boundary") continue;
    if (v.empty() || v.size() > 70 || v.back() == ' ') return std::nullopt;
    for (char c : v) {
      if (!IsBoundaryChar(c)) return std::nullopt;
    }
    return v;
  }
  return std::nullopt;
}

}  // namespace portico::http
