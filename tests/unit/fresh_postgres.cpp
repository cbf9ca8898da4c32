#include "fresh_postgres.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

namespace portico::test_support {

std::string FreshPostgres(const std::string& prefix) {
  const char* base = std::getenv("PORTICO_TEST_PG_URL");
  if (!base || !*base) return "";
  static std::atomic<int> counter{0};
  std::string name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
                     std::to_string(std::random_device{}() % 100000);
  PGconn* c = PQconnectdb(base);
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  std::string url = base;
  return url.substr(0, url.rfind('/') + 1) + name;
}

}  // namespace portico::test_support
