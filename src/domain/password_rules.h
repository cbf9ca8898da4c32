// The password rules of API.md ("Invitations, sign-up and password reset"): at least 10 characters, not
// the account's e-mail address, not among the common passwords (the 10,000 most common, shipped as data in
// share/common-passwords.txt and compiled into the binary). Applied wherever a password is chosen.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace portico::domain {

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 1024;

/// Why `password` may not be used by the account with `email`, as a sentence for the `password` field of a
/// 400; nullopt when it is acceptable. Length is counted in UTF-8 code points. The e-mail and common-list
/// comparisons ignore case and surrounding spaces.
std::optional<std::string> PasswordProblem(std::string_view password, std::string_view email);

/// True when `password` (compared lower-cased) is in the common-password list.
bool IsCommonPassword(std::string_view password);

/// How many entries the shipped common-password list has (10,000).
std::size_t CommonPasswordCount();

}  // namespace portico::domain
