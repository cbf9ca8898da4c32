// CSV output for exports: RFC 4180 fields and rows, with spreadsheet-formula neutralisation.
// Source: API.md, "Exports and invoices" (RFC 4180 quoting; a cell starting with '=', '+', '-', '@' gets a
// leading "'"); OWASP "CSV Injection" adds tab and carriage return as formula starters, neutralised too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portico::domain {

/// True when a spreadsheet could read `cell` as a formula: it starts with '=', '+', '-', '@', tab or CR.
bool LooksLikeFormula(std::string_view cell);

/// One field as written: formula-like text gets a leading "'"; then the field is quoted when it holds a
/// comma, a double quote, CR or LF (or a leading/trailing space), with inner quotes doubled. Bytes are
/// copied unchanged (UTF-8 stays UTF-8).
std::string CsvField(std::string_view cell);

/// Appends one record: the fields joined by ',' and ended by CRLF (RFC 4180).
void AppendCsvRow(std::string& out, const std::vector<std::string>& cells);

}  // namespace portico::domain
