// Strict JSON for request bodies (API.md, Conventions): a body whose objects repeat a key, at any
// depth, is refused. Boost.JSON's DOM parser keeps the last of two equal keys, so a proxy or a WAF that
// keeps the first would read a different request than ours (a parser differential).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace portico::http {

/// Scans `text` as JSON (at most `max_depth` nested arrays/objects) and returns the path of the first
/// key that repeats within one object ("password", "colors.primary", "items[2].sku"), or nullopt when
/// no key repeats. Malformed JSON yields nullopt: the DOM parse that follows reports it.
std::optional<std::string> FindDuplicateKey(std::string_view text, std::size_t max_depth = 32);

}  // namespace portico::http
