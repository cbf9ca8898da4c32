// Unit tests of src/core: errors, config precedence, passwords and tokens, time formats.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/error.h"

namespace portico {
namespace {

TEST(ErrorTest, CodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kForbidden), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(HttpStatus(ErrorCode::kTooManyRequests), 429);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
}

TEST(ErrorTest, InternalDetailStaysInternal) {
  auto e = Error::Internal("SELECT secret FROM /var/lib/x");
  EXPECT_EQ(e.detail(), "An internal error occurred.");
  EXPECT_EQ(e.internal(), "SELECT secret FROM /var/lib/x");
  auto v = Error::Field("email", "Must be an e-mail address.");
  EXPECT_EQ(v.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(v.field_errors().at("email").front(), "Must be an e-mail address.");
}

std::string WriteTemp(const std::string& text) {
  char name[] = "/tmp/portico-config-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

TEST(ConfigTest, DefaultsThenEnvThenFileThenFlags) {
  auto c = LoadConfig(std::nullopt, {}, {});
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.database, "sqlite://data/portico.db");
  EXPECT_EQ(c.max_body_bytes, 1 << 20);

  c = LoadConfig(std::nullopt, {{"PORTICO_LISTEN", "0.0.0.0:1"}}, {});
  EXPECT_EQ(c.listen, "0.0.0.0:1");

  auto file = WriteTemp("[server]\nlisten = \"127.0.0.1:2\"\n[auth]\npassword_hash = \"min\"\n");
  c = LoadConfig(file, {{"PORTICO_LISTEN", "0.0.0.0:1"}}, {});
  EXPECT_EQ(c.listen, "127.0.0.1:2");  // the file beats the environment (CLI.md)
  EXPECT_EQ(c.password_hash, "min");

  c = LoadConfig(file, {{"PORTICO_LISTEN", "0.0.0.0:1"}}, {{"listen", "127.0.0.1:3"}});
  EXPECT_EQ(c.listen, "127.0.0.1:3");  // flags beat the file
  std::remove(file.c_str());
}

TEST(ConfigTest, RejectsUnknownKeysAndWrongTypes) {
  auto unknown = WriteTemp("[server]\nlisten_typo = \"x\"\n");
  EXPECT_THROW(LoadConfig(unknown, {}, {}), Error);
  auto wrong = WriteTemp("[limits]\nmax_body_bytes = \"big\"\n");
  EXPECT_THROW(LoadConfig(wrong, {}, {}), Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PORTICO_IO_THREADS", "two"}}, {}), Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PORTICO_PASSWORD_HASH", "none"}}, {}), Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {}, {{"no-such-flag", "1"}}), Error);
  std::remove(unknown.c_str());
  std::remove(wrong.c_str());
}

TEST(CryptoTest, PasswordsHashWithArgon2idAndVerify) {
  InitCrypto();
  auto hash = HashPassword("correct horse battery", PasswordHashCost::kMin);
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse batterx"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_NE(HashPassword("correct horse battery", PasswordHashCost::kMin), hash);  // salted
}

TEST(CryptoTest, TokensAreRandomAndHashedStably) {
  InitCrypto();
  auto a = RandomToken(), b = RandomToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_EQ(HashToken(a), HashToken(a));
  EXPECT_NE(HashToken(a), HashToken(b));
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(ClockTest, FormatsAndParses) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1714552200), "2024-05-01T08:30:00Z");
  EXPECT_EQ(FormatDate(1714552200), "2024-05-01");
  EXPECT_EQ(ParseDate("2024-05-01"), 1714521600);
  EXPECT_EQ(ParseDate("2024-02-30"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-5-01"), std::nullopt);
  EXPECT_EQ(ParseTimeOfDay("08:30"), 510);
  EXPECT_EQ(ParseTimeOfDay("24:00"), std::nullopt);
  EXPECT_EQ(FormatTimeOfDay(510), "08:30");
}

}  // namespace
}  // namespace portico

namespace portico {
namespace {
TEST(ConfigTest, EventRetentionAndSmtpSettings) {
  auto c = LoadConfig(std::nullopt, {{"PORTICO_EVENT_RETENTION_DAYS", "7"}, {"PORTICO_SMTP_HOST", "mail"}}, {});
  EXPECT_EQ(c.event_retention_days, 7);
  EXPECT_EQ(c.smtp_host, "mail");
  EXPECT_EQ(c.smtp_starttls, "auto");
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PORTICO_SMTP_STARTTLS", "maybe"}}, {}), Error);
}

TEST(ConfigTest, DatabaseSynchronousIsFullByDefaultAndOnlyFullOrNormal) {
  EXPECT_EQ(LoadConfig(std::nullopt, {}, {}).database_synchronous, "full");
  EXPECT_EQ(LoadConfig(std::nullopt, {{"PORTICO_DATABASE_SYNCHRONOUS", "normal"}}, {}).database_synchronous, "normal");
  EXPECT_EQ(LoadConfig(std::nullopt, {}, {{"database-synchronous", "normal"}}).database_synchronous, "normal");
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PORTICO_DATABASE_SYNCHRONOUS", "off"}}, {}), Error);
}
}  // namespace
}  // namespace portico
