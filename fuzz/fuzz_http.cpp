// The HTTP request pipeline without a socket: request bytes -> Beast's parser (the server's header and
// body limits) -> router -> authentication, CSRF, content type, size -> handler and its body reader ->
// problem or response. "@S@" and "@C@" in the input become the fixture admin's session cookie value and
// CSRF token, so the fuzzer reaches the authenticated handlers. PORTICO_FUZZ_PRINT=1 prints the responses
// (to check what a seed reaches: `build-fuzz/fuzz/fuzz_http fuzz/corpus/http/login`).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fixture.h"
#include "http/request_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& p = portico::fuzz::GetProcess();
  std::string input(reinterpret_cast<const char*>(data), size);
  input = portico::fuzz::ReplaceAll(std::move(input), "@S@", p.session);
  input = portico::fuzz::ReplaceAll(std::move(input), "@C@", p.csrf);
  const std::string out = portico::http::HandleRequestBytes(*p.app, p.config, input);
  static const bool print = std::getenv("PORTICO_FUZZ_PRINT") != nullptr;
  if (print) std::fprintf(stderr, "%s\n", out.c_str());
  return 0;
}
