// The one error type of Portico. Every failure that aborts a request or a command is an Error with a
// code; src/http/problem.cpp maps codes to RFC 9457 problem+json in one place and the CLI maps them to
// exit status 1. The public detail is what a client may read; the internal message is only logged.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace portico {

/// What went wrong, in the terms of the HTTP contract (API.md, "Status codes").
enum class ErrorCode {
  kInvalidInput,          // 400: malformed JSON, unknown field, wrong type, failed validation
  kUnauthenticated,       // 401
  kForbidden,             // 403: logged in but not allowed, or missing CSRF token
  kNotFound,              // 404: absent or outside the caller's scope
  kMethodNotAllowed,      // 405: the path exists, the method does not
  kConflict,              // 409: workflow move not allowed, stale version, duplicate
  kPayloadTooLarge,       // 413
  kQuotaExceeded,         // 413 with type .../quota-exceeded: the tenant's storage quota is used up
  kHeadersTooLarge,       // 431
  kUnsupportedMediaType,  // 415
  kTooManyRequests,       // 429
  kUnavailable,           // 503: database or a dependency does not answer
  kInternal,              // 500: a bug or an unexpected failure; detail never reaches the client
};

/// Per-field validation messages: field name -> messages. Field names are the JSON names
/// (nested with dots, e.g. "colors.primary").
using FieldErrors = std::map<std::string, std::vector<std::string>>;

/// The exception that aborts the current request or command.
class Error : public std::runtime_error {
 public:
  /// `detail` is shown to the client; `internal` (if any) is only logged.
  Error(ErrorCode code, std::string detail, std::string internal = {});

  /// A 400 with per-field messages.
  static Error Validation(FieldErrors errors, std::string detail = "The request has invalid fields.");
  /// Shorthand for a 400 on one field.
  static Error Field(const std::string& field, const std::string& message);
  static Error NotFound(std::string detail = "Not found.");
  static Error Forbidden(std::string detail = "You are not allowed to do this.");
  static Error Conflict(std::string detail);
  static Error Internal(std::string internal);

  ErrorCode code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::string& internal() const { return internal_; }
  const FieldErrors& field_errors() const { return field_errors_; }

 private:
  ErrorCode code_;
  std::string detail_;
  std::string internal_;
  FieldErrors field_errors_;
};

/// The HTTP status for a code (400, 401, ...).
int HttpStatus(ErrorCode code);
/// A short stable name for a code ("invalid-input", "not-found", ...), used in problem `type` URIs.
const char* ErrorSlug(ErrorCode code);
/// The RFC 9457 `title` for a code ("Invalid input", "Not found", ...).
const char* ErrorTitle(ErrorCode code);

}  // namespace portico
