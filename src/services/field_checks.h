// Field checks shared by the account services (users, customers, tenants, the user's own profile): each
// appends its message to `errors` under the field's name; ThrowIfInvalid turns them into one 400.
#pragma once

#include <string>

#include "core/error.h"
#include "domain/mentions.h"

namespace portico::services {

/// A required text: not blank, at most `max` characters.
inline void CheckName(FieldErrors& errors, const std::string& field, const std::string& v, std::size_t max = 200) {
  if (v.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors[field].push_back("Required.");
  } else if (v.size() > max) {
    errors[field].push_back("At most " + std::to_string(max) + " characters.");
  }
}

/// A handle as given, lower-cased first (API.md "Users (additions)"); an error on `handle` when invalid.
inline std::string CheckHandle(FieldErrors& errors, const std::string& input) {
  std::string h = domain::LowerHandle(input);
  if (!domain::IsValidHandle(h)) errors["handle"].push_back("2 to 30 of a-z, 0-9, '_', '.', '-', starting with a letter or digit.");
  return h;
}

/// Throws Error::Validation (400) when any check failed.
inline void ThrowIfInvalid(FieldErrors errors) {
  if (!errors.empty()) throw Error::Validation(std::move(errors));
}

}  // namespace portico::services
