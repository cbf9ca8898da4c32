// Unit-test helper shared by the storage, onboarding, webhook-prune and event-visibility tests.
#pragma once

#include <string>

namespace portico::test_support {

/// A new, empty PostgreSQL database (named `<prefix>_<pid>_<n>_<random>`) on the server at
/// PORTICO_TEST_PG_URL, as a URL; "" when no server is configured (the caller then skips its test).
std::string FreshPostgres(const std::string& prefix);

}  // namespace portico::test_support
