// The TOML mapping loader (portico import --mapping): bytes as a mapping file; a mapping that loads is
// bound to a header of its own columns and translates one record of fixed values and one of its names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "import/mapping.h"

using portico::importer::Mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    Mapping m = Mapping::Parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    std::vector<std::string> header = m.Columns();
    m.BindHeader(header);
    m.Translate(std::vector<std::string>(header.size(), "2024-01-02"));
    m.Translate(header);
  } catch (const portico::Error&) {
  }
  return 0;
}
