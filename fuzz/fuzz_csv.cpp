// The CSV reader with a mapping (portico import): bytes as a CSV (or gzip) file read by CsvReader, its
// header bound to mappings/cincinnati-fleet.toml, every record translated. An input whose first byte is
// even gets the mapping's own header line in front (so records reach Translate). Expected failures are
// portico::Error; anything else escaping is a finding.
#include <fstream>
#include <sstream>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "memfile.h"
#include "import/csv_reader.h"
#include "import/mapping.h"

using portico::importer::CsvReader;
using portico::importer::Mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string toml = [] {
    std::ifstream in(PORTICO_SOURCE_DIR "/mappings/cincinnati-fleet.toml");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  Mapping bound = Mapping::Parse(toml, "cincinnati-fleet.toml");
  std::string input(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] % 2 == 0) {
    std::string header;
    for (const auto& c : bound.Columns()) header += (header.empty() ? "" : std::string(1, bound.delimiter())) + c;
    input = header + "\n" + input.substr(1);
  }
  portico::fuzz::MemFile file(input);
  try {
    CsvReader reader = CsvReader::Open(file.Path(), bound.delimiter());
    std::vector<std::string> fields;
    if (!reader.Next(fields)) return 0;
    bound.BindHeader(fields);
    for (int i = 0; i < 1000 && reader.Next(fields); ++i) {
      if (!reader.problem().empty()) continue;
      bound.Translate(fields);
    }
  } catch (const portico::Error&) {
  }
  return 0;
}
