// The mention grammar (domain/mentions.h): any bytes as a message body. Checks the invariants the
// services rely on: spans inside the text and in order, each token starting with '@', handles valid,
// record ids positive, no mention twice, never more than kMaxMentions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/mentions.h"

using namespace portico::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto mentions = ParseMentions(text);
  if (mentions.size() > kMaxMentions) std::abort();
  std::size_t last_end = 0;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    const auto& m = mentions[i];
    if (m.begin < last_end || m.end <= m.begin || m.end > text.size() || text[m.begin] != '@') std::abort();
    last_end = m.end;
    if (m.kind == MentionKind::kUser) {
      if (!IsValidHandle(m.handle) || LowerHandle(text.substr(m.begin + 1, m.end - m.begin - 1)) != m.handle) std::abort();
    } else if (m.id < 1) {
      std::abort();
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (mentions[k].kind == m.kind && mentions[k].id == m.id && mentions[k].handle == m.handle) std::abort();
    }
  }
  if (!IsValidHandle(HandleBaseFromEmail(text))) std::abort();
  return 0;
}
