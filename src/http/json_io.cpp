#include "http/json_io.h"

#include <boost/json.hpp>
#include <cmath>

#include "http/strict_json.h"

namespace portico::http {
namespace json = boost::json;

json::object ParseJsonObject(const std::string& body) {
  json::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) {
    throw Error(ErrorCode::kInvalidInput, "The request body is not valid JSON: " + ec.message() + ".");
  }
  if (!v.is_object()) throw Error(ErrorCode::kInvalidInput, "The request body must be a JSON object.");
  // Valid JSON, so the key scan sees the whole document.
  if (auto key = FindDuplicateKey(body, opts.max_depth)) {
    throw Error::Validation({{*key, {"Duplicate key."}}}, "The request body repeats the key \"" + *key + "\".");
  }
  return std::move(v.as_object());
}

ObjectReader::ObjectReader(const json::object& object, FieldErrors& errors, std::string prefix)
    : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

void ObjectReader::Add(const char* key, const std::string& message) { errors_[prefix_ + key].push_back(message); }

const json::value* ObjectReader::Get(const char* key, bool required) {
  known_.insert(key);
  auto* v = object_.if_contains(key);
  if (!v && required) Add(key, "This field is required.");
  return v;
}

std::optional<std::string> ObjectReader::String(const char* key, bool required, std::size_t max_len) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Add(key, "Must be a string.");
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    Add(key, "At most " + std::to_string(max_len) + " characters.");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::string> ObjectReader::NullableString(const char* key, bool* was_null, std::size_t max_len) {
  *was_null = false;
  auto* v = object_.if_contains(key);
  if (v && v->is_null()) {
    known_.insert(key);
    *was_null = true;
    return std::nullopt;
  }
  return String(key, false, max_len);
}

std::optional<std::int64_t> ObjectReader::Int(const char* key, bool required) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) {
    Add(key, "Out of range.");
    return std::nullopt;
  }
  if (v->is_double()) {
    double d = v->as_double();
    // 2.0 is an integer written as a number; 2.5 is not.
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
    Add(key, "Must be a whole number.");
    return std::nullopt;
  }
  Add(key, "Must be a whole number.");
  return std::nullopt;
}

std::optional<std::int64_t> ObjectReader::NullableInt(const char* key, bool* was_null) {
  *was_null = false;
  auto* v = object_.if_contains(key);
  if (v && v->is_null()) {
    known_.insert(key);
    *was_null = true;
    return std::nullopt;
  }
  return Int(key);
}

std::optional<double> ObjectReader::Number(const char* key, bool required) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (v->is_number()) {
    double d = v->to_number<double>();
    if (std::isfinite(d)) return d;
  }
  Add(key, "Must be a number.");
  return std::nullopt;
}

std::optional<double> ObjectReader::NullableNumber(const char* key, bool* was_null) {
  *was_null = false;
  auto* v = object_.if_contains(key);
  if (v && v->is_null()) {
    known_.insert(key);
    *was_null = true;
    return std::nullopt;
  }
  return Number(key);
}

std::optional<bool> ObjectReader::Bool(const char* key, bool required) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    Add(key, "Must be true or false.");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<bool> ObjectReader::NullableBool(const char* key, bool* was_null) {
  *was_null = false;
  auto* v = object_.if_contains(key);
  if (v && v->is_null()) {
    known_.insert(key);
    *was_null = true;
    return std::nullopt;
  }
  return Bool(key);
}

std::optional<std::vector<std::int64_t>> ObjectReader::IntArray(const char* key, bool required,
                                                                std::size_t max_items) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Add(key, "Must be an array of whole numbers.");
    return std::nullopt;
  }
  if (v->as_array().size() > max_items) {
    Add(key, "At most " + std::to_string(max_items) + " items.");
    return std::nullopt;
  }
  std::vector<std::int64_t> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_int64()) {
      Add(key, "Must be an array of whole numbers.");
      return std::nullopt;
    }
    out.push_back(item.as_int64());
  }
  return out;
}

std::optional<std::vector<std::string>> ObjectReader::StringArray(const char* key, bool required,
                                                                  std::size_t max_items, std::size_t max_len) {
  auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Add(key, "Must be an array of strings.");
    return std::nullopt;
  }
  if (v->as_array().size() > max_items) {
    Add(key, "At most " + std::to_string(max_items) + " items.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || item.as_string().size() > max_len) {
      Add(key, "Must be an array of strings of at most " + std::to_string(max_len) + " characters.");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

const json::object* ObjectReader::Object(const char* key, bool required) {
  auto* v = Get(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Add(key, "Must be an object.");
    return nullptr;
  }
  return &v->as_object();
}

void ObjectReader::CheckUnknown() {
  for (const auto& kv : object_) {
    std::string k(kv.key());
    if (!known_.contains(k)) errors_[prefix_ + k].push_back("Unknown field.");
  }
}

void ThrowIfErrors(FieldErrors& errors) {
  if (!errors.empty()) throw Error::Validation(std::move(errors));
}

Response JsonResponse(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  return r;
}

Response ProblemResponse(const Error& error, const std::string& request_id) {
  json::object o;
  o["type"] = std::string("https://portico.dev/problems/") + ErrorSlug(error.code());
  o["title"] = ErrorTitle(error.code());
  o["status"] = HttpStatus(error.code());
  o["detail"] = error.detail();
  if (!request_id.empty()) o["instance"] = "urn:request:" + request_id;
  if (!error.field_errors().empty()) {
    json::object errors;
    for (const auto& [field, messages] : error.field_errors()) {
      json::array a;
      for (const auto& m : messages) a.emplace_back(m);
      errors[field] = std::move(a);
    }
    o["errors"] = std::move(errors);
  }
  Response r;
  r.status = HttpStatus(error.code());
  r.content_type = "application/problem+json";
  r.body = json::serialize(o);
  return r;
}

}  // namespace portico::http
