// The configuration loader: bytes as the TOML file of `portico --config FILE`; then one key per run as an
// environment variable and as a flag (the first byte picks the key, the rest up to a newline is its value).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "memfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  portico::fuzz::MemFile file(text);
  try {
    portico::LoadConfig(file.Path(), {}, {});
  } catch (const portico::Error&) {
  }
  if (size > 0) {
    const auto& keys = portico::ConfigKeys();
    const auto& key = keys[data[0] % keys.size()];
    std::string value(text.substr(1));
    value = value.substr(0, value.find('\n'));
    try {
      portico::LoadConfig(std::nullopt, {{key.env, value}}, {});
    } catch (const portico::Error&) {
    }
    try {
      portico::LoadConfig(std::nullopt, {}, {{key.flag, value}});
    } catch (const portico::Error&) {
    }
  }
  return 0;
}
