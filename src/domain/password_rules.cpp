#include "domain/password_rules.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

namespace portico::domain {

// Generated at configure time from share/common-passwords.txt (CMakeLists.txt): one password a line.
extern const char kCommonPasswordsText[];

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> kSet = [] {
    std::unordered_set<std::string_view> set;
    std::string_view text(kCommonPasswordsText);
    while (!text.empty()) {
      auto end = text.find('\n');
      auto line = text.substr(0, end);
      if (!line.empty()) set.insert(line);
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return set;
  }();
  return kSet;
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

bool IsCommonPassword(std::string_view password) { return CommonPasswords().contains(Lower(Trim(password))); }

std::size_t CommonPasswordCount() { return CommonPasswords().size(); }

std::optional<std::string> PasswordProblem(std::string_view password, std::string_view email) {
  if (CodePoints(password) < kMinPasswordLength) {
    return "Choose a password of at least " + std::to_string(kMinPasswordLength) + " characters.";
  }
  if (password.size() > kMaxPasswordLength) {
    return "Choose a password of at most " + std::to_string(kMaxPasswordLength) + " bytes.";
  }
  const std::string lowered = Lower(Trim(password));
  const std::string lowered_email = Lower(Trim(email));
  if (!lowered_email.empty()) {
    const std::string local = lowered_email.substr(0, lowered_email.find('@'));
    if (lowered == lowered_email || (local.size() >= kMinPasswordLength && lowered == local)) {
      return "The password may not be your e-mail address.";
    }
  }
  if (IsCommonPassword(password)) return "This password is among the most common ones; choose another.";
  return std::nullopt;
}

}  // namespace portico::domain
