#include "domain/csv_writer.h"

namespace portico::domain {

bool LooksLikeFormula(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

std::string CsvField(std::string_view cell) {
  std::string text;
  text.reserve(cell.size() + 3);
  if (LooksLikeFormula(cell)) text.push_back('\'');
  text.append(cell);
  bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ');
  for (char c : text) quote = quote || c == ',' || c == '"' || c == '\r' || c == '\n';
  if (!quote) return text;
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvField(cells[i]);
  }
  out += "\r\n";
}

}  // namespace portico::domain
