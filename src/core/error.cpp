#include "core/error.h"

namespace portico {

Error::Error(ErrorCode code, std::string detail, std::string internal)
    : std::runtime_error(internal.empty() ? detail : internal),
      code_(code),
      detail_(std::move(detail)),
      internal_(std::move(internal)) {}

Error Error::Validation(FieldErrors errors, std::string detail) {
  Error e(ErrorCode::kInvalidInput, std::move(detail));
  e.field_errors_ = std::move(errors);
  return e;
}

Error Error::Field(const std::string& field, const std::string& message) {
  return Validation({{field, {message}}});
}

Error Error::NotFound(std::string detail) { return Error(ErrorCode::kNotFound, std::move(detail)); }
Error Error::Forbidden(std::string detail) { return Error(ErrorCode::kForbidden, std::move(detail)); }
Error Error::Conflict(std::string detail) { return Error(ErrorCode::kConflict, std::move(detail)); }
Error Error::Internal(std::string internal) {
  return Error(ErrorCode::kInternal, "An internal error occurred.", std::move(internal));
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kHeadersTooLarge: return 431;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kQuotaExceeded: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

const char* ErrorSlug(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid-input";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kMethodNotAllowed: return "method-not-allowed";
    case ErrorCode::kHeadersTooLarge: return "headers-too-large";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kPayloadTooLarge: return "payload-too-large";
    case ErrorCode::kQuotaExceeded: return "quota-exceeded";
    case ErrorCode::kUnsupportedMediaType: return "unsupported-media-type";
    case ErrorCode::kTooManyRequests: return "too-many-requests";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

const char* ErrorTitle(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "Invalid input";
    case ErrorCode::kUnauthenticated: return "Not authenticated";
    case ErrorCode::kForbidden: return "Forbidden";
    case ErrorCode::kNotFound: return "Not found";
    case ErrorCode::kMethodNotAllowed: return "Method not allowed";
    case ErrorCode::kHeadersTooLarge: return "Request header fields too large";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kPayloadTooLarge: return "Payload too large";
    case ErrorCode::kQuotaExceeded: return "Storage quota exceeded";
    case ErrorCode::kUnsupportedMediaType: return "Unsupported media type";
    case ErrorCode::kTooManyRequests: return "Too many requests";
    case ErrorCode::kUnavailable: return "Service unavailable";
    case ErrorCode::kInternal: return "Internal server error";
  }
  return "Internal server error";
}

}  // namespace portico
