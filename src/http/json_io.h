// JSON in and out of the API. Bodies are read strictly (API.md, Conventions): unknown fields, wrong
// types, non-integers where integers are expected and invalid UTF-8 are 400 with per-field `errors`.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"

namespace portico::http {

/// Parses a request body that must be a JSON object. Throws Error(kInvalidInput) for malformed JSON,
/// invalid UTF-8, a non-object, or a key repeated within one object at any depth (the 400 names the
/// key's path in `errors`: a duplicate is never resolved by keeping one of the two).
boost::json::object ParseJsonObject(const std::string& body);

/// Reads the fields of one JSON object, collecting type errors per field; Finish() adds one error per
/// unknown field and throws them all as a 400. Field paths nest with dots ("colors.primary").
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, FieldErrors& errors, std::string prefix = "");

  std::optional<std::string> String(const char* key, bool required = false, std::size_t max_len = 10000);
  /// A string that may also be JSON null (nullopt-in-optional: absent -> nullopt, null -> "" marker via `was_null`).
  std::optional<std::string> NullableString(const char* key, bool* was_null, std::size_t max_len = 10000);
  std::optional<std::int64_t> Int(const char* key, bool required = false);
  std::optional<std::int64_t> NullableInt(const char* key, bool* was_null);
  std::optional<double> Number(const char* key, bool required = false);
  std::optional<double> NullableNumber(const char* key, bool* was_null);
  std::optional<bool> Bool(const char* key, bool required = false);
  std::optional<bool> NullableBool(const char* key, bool* was_null);
  /// An array of whole numbers of at most `max_items` (nullopt if absent or invalid, recorded).
  std::optional<std::vector<std::int64_t>> IntArray(const char* key, bool required = false,
                                                    std::size_t max_items = 1000);
  /// An array of at most `max_items` strings of at most `max_len` bytes each (nullopt if absent or
  /// invalid, recorded). Issue 14 (webhook event types).
  std::optional<std::vector<std::string>> StringArray(const char* key, bool required = false,
                                                      std::size_t max_items = 100, std::size_t max_len = 200);
  /// A nested object; nullptr if absent (or wrong type, recorded).
  const boost::json::object* Object(const char* key, bool required = false);
  bool Has(const char* key) const { return object_.contains(key); }
  /// Records unknown fields as errors.
  void CheckUnknown();

 private:
  const boost::json::value* Get(const char* key, bool required);
  void Add(const char* key, const std::string& message);

  const boost::json::object& object_;
  FieldErrors& errors_;
  std::string prefix_;
  std::set<std::string> known_;
};

/// Throws the collected errors as one 400 if there are any.
void ThrowIfErrors(FieldErrors& errors);

/// A JSON response.
Response JsonResponse(int status, const boost::json::value& body);
/// An RFC 9457 problem+json response for an error.
Response ProblemResponse(const Error& error, const std::string& request_id);

}  // namespace portico::http
