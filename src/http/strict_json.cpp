#include "http/strict_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <unordered_set>
#include <vector>

namespace portico::http {
namespace json = boost::json;

namespace {

/// A basic_parser handler that only tracks keys: one frame per open object or array.
struct DuplicateKeyHandler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Frame {
    bool is_object = false;
    std::unordered_set<std::string> keys;
    std::string key;          // the current key (objects)
    std::size_t index = 0;    // the current element (arrays)
    bool started = false;     // an array saw its first element
  };
  std::vector<Frame> stack;
  std::string partial;
  std::optional<std::string> duplicate;

  // A value starts inside the top frame: arrays advance their index.
  void OnValue() {
    if (stack.empty() || stack.back().is_object) return;
    if (stack.back().started) ++stack.back().index;
    stack.back().started = true;
  }
  std::string Path() const {
    std::string path;
    for (const auto& f : stack) {
      if (f.is_object) {
        if (!path.empty()) path += '.';
        path += f.key;
      } else {
        path += '[' + std::to_string(f.index) + ']';
      }
    }
    return path;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    OnValue();
    stack.push_back(Frame{.is_object = true});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    stack.pop_back();
    return true;
  }
  bool on_array_begin(json::error_code&) {
    OnValue();
    stack.push_back(Frame{.is_object = false});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    stack.pop_back();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    partial.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    partial.append(s.data(), s.size());
    Frame& top = stack.back();
    top.key = std::move(partial);
    partial.clear();
    if (!top.keys.insert(top.key).second) {
      duplicate = Path();
      ec = json::error::syntax;  // stops the parse
      return false;
    }
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) {
    OnValue();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) {
    OnValue();
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) {
    OnValue();
    return true;
  }
  bool on_double(double, json::string_view, json::error_code&) {
    OnValue();
    return true;
  }
  bool on_bool(bool, json::error_code&) {
    OnValue();
    return true;
  }
  bool on_null(json::error_code&) {
    OnValue();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

std::optional<std::string> FindDuplicateKey(std::string_view text, std::size_t max_depth) {
  json::parse_options opts;
  opts.max_depth = max_depth;
  json::basic_parser<DuplicateKeyHandler> parser(opts);
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return parser.handler().duplicate;
}

}  // namespace portico::http
