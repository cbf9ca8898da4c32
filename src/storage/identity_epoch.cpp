#include "storage/identity_epoch.h"

#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>


namespace portico::storage {
namespace {

bool ScanChangesIdentity(const Sql& sql) {
  const std::string_view name(sql.name);
  if (name == "touch_session" || name == "insert_session") return false;
  std::string text(sql.text);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::vector<std::string_view> words;
  std::string_view rest(text);
  while (!rest.empty()) {
    std::size_t i = 0;
    while (i < rest.size() && !is_word(rest[i])) ++i;
    std::size_t j = i;
    while (j < rest.size() && is_word(rest[j])) ++j;
    if (j > i) words.push_back(rest.substr(i, j - i));
    rest.remove_prefix(j);
  }
  if (words.empty()) return false;
  const std::string_view first = words.front();
  if (first == "select" || first == "begin" || first == "commit" || first == "rollback" || first == "savepoint" ||
      first == "release" || first == "pragma") {
    return false;
  }
  for (auto w : words) {
    if (w == "users" || w == "sessions" || w == "api_tokens" || w == "tenants" || w == "customers" ||
        w == "customer_access") {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ChangesIdentity(const Sql& sql) {
  thread_local std::unordered_map<const char*, bool> memo;
  auto [it, fresh] = memo.try_emplace(sql.text, false);
  if (fresh) it->second = ScanChangesIdentity(sql);
  return it->second;
}

std::optional<std::uint64_t> IdentityEpoch(const Database& db) { return db.IdentityEpoch(); }

}  // namespace portico::storage
