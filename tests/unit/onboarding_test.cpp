// Issue 13: the single-use token rules (domain/single_use_token), the password rules with the shipped
// common-password list (domain/password_rules), and the token storage on SQLite and, when
// PORTICO_TEST_PG_URL is set, PostgreSQL: hashed, single use under concurrency, revocation, expiry.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "fresh_postgres.h"
#include "core/crypto.h"
#include "domain/branding.h"
#include "domain/password_rules.h"
#include "domain/single_use_token.h"
#include "storage/db.h"
#include "services/account_mail.h"
#include "storage/self_service_repository.h"

namespace portico {
namespace {

using domain::DecideTokenUse;
using domain::TokenPurpose;
using domain::TokenUse;
using domain::TokenVerdict;

TEST(SingleUseToken, UsableUntilItsExpirySecond) {
  TokenUse t{.expires_at = 1000, .uses = 0, .max_uses = 1};
  EXPECT_EQ(DecideTokenUse(t, 999), TokenVerdict::kUsable);
  EXPECT_EQ(DecideTokenUse(t, 1000), TokenVerdict::kExpired);
  EXPECT_EQ(DecideTokenUse(t, 5000), TokenVerdict::kExpired);
}

TEST(SingleUseToken, UsedUpAfterMaxUses) {
  TokenUse t{.expires_at = 1000, .uses = 1, .max_uses = 1};
  EXPECT_EQ(DecideTokenUse(t, 10), TokenVerdict::kUsedUp);
  t.max_uses = 3;
  t.uses = 2;
  EXPECT_EQ(DecideTokenUse(t, 10), TokenVerdict::kUsable);
  t.uses = 3;
  EXPECT_EQ(DecideTokenUse(t, 10), TokenVerdict::kUsedUp);
}

TEST(SingleUseToken, RevocationWinsOverUseAndExpiry) {
  TokenUse t{.expires_at = 1000, .uses = 1, .max_uses = 1, .revoked_at = 5};
  EXPECT_EQ(DecideTokenUse(t, 2000), TokenVerdict::kRevoked);
  EXPECT_EQ(domain::TokenStatus(t, 2000), "revoked");
  t.revoked_at.reset();
  EXPECT_EQ(domain::TokenStatus(t, 2000), "accepted");
  t.uses = 0;
  EXPECT_EQ(domain::TokenStatus(t, 2000), "expired");
  EXPECT_EQ(domain::TokenStatus(t, 10), "pending");
  EXPECT_EQ(domain::AccessCodeStatus(t, 10), "active");
  EXPECT_EQ(domain::AccessCodeStatus(t, 2000), "expired");
}

TEST(SingleUseToken, PurposesRoundTripAndLifetimesFollowTheProduct) {
  for (auto p : {TokenPurpose::kInvitation, TokenPurpose::kAccessCode, TokenPurpose::kEmailVerification,
                 TokenPurpose::kPasswordReset, TokenPurpose::kCalendarFeed}) {
    EXPECT_EQ(domain::ParseTokenPurpose(domain::ToString(p)), p);
  }
  EXPECT_FALSE(domain::ParseTokenPurpose("session"));
  EXPECT_EQ(domain::DefaultLifetime(TokenPurpose::kInvitation), 7 * 86400);
  EXPECT_EQ(domain::DefaultLifetime(TokenPurpose::kPasswordReset), 3600);
  EXPECT_EQ(domain::DefaultLifetime(TokenPurpose::kAccessCode), 30 * 86400);
}

TEST(SingleUseToken, AccessCodesAreTypedForgivingly) {
  EXPECT_EQ(domain::NormaliseAccessCode(" abcd-efgh ijkm-npqr "), "ABCDEFGHIJKMNPQR");
  EXPECT_EQ(domain::FormatAccessCode("ABCDEFGHJKMNPQRS"), "ABCD-EFGH-JKMN-PQRS");
  InitCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto code = RandomCode(16, domain::kAccessCodeAlphabet);
    ASSERT_EQ(code.size(), 16u);
    for (char c : code) EXPECT_NE(domain::kAccessCodeAlphabet.find(c), std::string_view::npos) << code;
    EXPECT_TRUE(seen.insert(code).second) << "duplicate code " << code;
  }
}

TEST(PasswordRules, TheShippedListHasTenThousandEntries) {
  EXPECT_EQ(domain::CommonPasswordCount(), 10000u);
  EXPECT_TRUE(domain::IsCommonPassword("password"));
  EXPECT_TRUE(domain::IsCommonPassword("QWERTYUIOP"));  // case does not matter
  EXPECT_FALSE(domain::IsCommonPassword("violet-harbour-engine-42"));
}

TEST(PasswordRules, LengthEmailAndCommonPasswords) {
  EXPECT_TRUE(domain::PasswordProblem("short", "ann@example.com"));
  EXPECT_TRUE(domain::PasswordProblem("ñandú-ñu", "ann@example.com"));  // 8 code points, 11 bytes
  EXPECT_FALSE(domain::PasswordProblem("ñandú-ñu-ok", "ann@example.com"));
  EXPECT_TRUE(domain::PasswordProblem("Ann@Example.com", "ann@example.com"));
  EXPECT_TRUE(domain::PasswordProblem("annabelle.lee@example.com", "annabelle.lee@example.com"));
  EXPECT_TRUE(domain::PasswordProblem("1234567890", "ann@example.com"));
  EXPECT_TRUE(domain::PasswordProblem("qwertyuiop", "ann@example.com"));
  EXPECT_FALSE(domain::PasswordProblem("violet-harbour-engine-42", "ann@example.com"));
  EXPECT_TRUE(domain::PasswordProblem(std::string(2000, 'x'), "ann@example.com"));
}

// ---- storage ----

class TokenStorageTest : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  void SetUp() override {
    InitCrypto();
    if (GetParam() == storage::Dialect::kPostgres) {
      auto url = test_support::FreshPostgres("onboard");
      if (url.empty()) GTEST_SKIP() << "PORTICO_TEST_PG_URL is not set";
      db_ = storage::OpenDatabase(url, 6);
    } else {
      path_ = std::filesystem::temp_directory_path() / ("portico-onboarding-" + std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path_);
      db_ = storage::OpenDatabase("sqlite://" + path_.string(), 6);
    }
    EXPECT_GE(db_->Migrate(), 13);
    auto tx = db_->Write();
    tx->conn().ExecuteScript(
        "INSERT INTO tenants (id, slug, name, branding, created_at, updated_at) VALUES (1, 't', 'T', '{}', 0, 0),"
        " (2, 'u', 'U', '{}', 0, 0);"
        "INSERT INTO customers (id, tenant_id, name, created_at, updated_at) VALUES (10, 1, 'Acme', 0, 0);");
    tx->Commit();
  }
  void TearDown() override {
    db_.reset();
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::int64_t Insert(const std::string& secret, UnixSeconds expires_at, std::int64_t max_uses = 1) {
    storage::SingleUseTokenRecord t;
    t.tenant = TenantId(1);
    t.purpose = TokenPurpose::kInvitation;
    t.customer = CustomerId(10);
    t.email = "ann@example.com";
    t.access = "viewer";
    t.max_uses = max_uses;
    t.created_at = 100;
    t.expires_at = expires_at;
    auto tx = db_->Write();
    auto id = storage::InsertSingleUseToken(tx->conn(), t, HashToken(secret));
    tx->Commit();
    return id;
  }

  std::unique_ptr<storage::Database> db_;
  std::filesystem::path path_;
};

TEST_P(TokenStorageTest, OnlyTheHashIsStoredAndFindsByPurpose) {
  const std::string secret = RandomToken(32);
  Insert(secret, 1000);
  auto tx = db_->Read();
  static constexpr storage::Sql kRaw{"test_raw_tokens", "SELECT token_hash FROM single_use_tokens"};
  auto rows = tx->conn().Query(kRaw);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), HashToken(secret));
  EXPECT_EQ(rows[0].Text(0).find(secret), std::string::npos);
  auto found = storage::FindSingleUseToken(tx->conn(), TokenPurpose::kInvitation, HashToken(secret));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->customer_name, "Acme");
  EXPECT_FALSE(storage::FindSingleUseToken(tx->conn(), TokenPurpose::kPasswordReset, HashToken(secret)));
  EXPECT_FALSE(storage::FindSingleUseToken(tx->conn(), TokenPurpose::kInvitation, HashToken(secret + "x")));
}

TEST_P(TokenStorageTest, ConsumedOnceEvenByConcurrentConsumers) {
  auto id = Insert("secret", 1000);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto tx = db_->Write();
      if (storage::ConsumeSingleUseToken(tx->conn(), id, 500)) ++won;
      tx->Commit();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  auto tx = db_->Read();
  auto t = storage::FindSingleUseTokenById(tx->conn(), TenantId(1), id);
  EXPECT_EQ(t->uses, 1);
  EXPECT_EQ(DecideTokenUse(t->use(), 500), TokenVerdict::kUsedUp);
}

TEST_P(TokenStorageTest, ExpiredAndRevokedTokensAreNotConsumed) {
  auto expired = Insert("a", 1000);
  auto revoked = Insert("b", 1000);
  auto multi = Insert("c", 1000, 2);
  auto tx = db_->Write();
  EXPECT_FALSE(storage::ConsumeSingleUseToken(tx->conn(), expired, 1000));
  EXPECT_FALSE(storage::RevokeSingleUseToken(tx->conn(), TenantId(2), revoked, 10));  // another tenant's
  EXPECT_TRUE(storage::RevokeSingleUseToken(tx->conn(), TenantId(1), revoked, 10));
  EXPECT_FALSE(storage::ConsumeSingleUseToken(tx->conn(), revoked, 20));
  EXPECT_TRUE(storage::ConsumeSingleUseToken(tx->conn(), multi, 20));
  EXPECT_TRUE(storage::ConsumeSingleUseToken(tx->conn(), multi, 21));
  EXPECT_FALSE(storage::ConsumeSingleUseToken(tx->conn(), multi, 22));
  tx->Commit();
}

TEST_P(TokenStorageTest, DomainsBelongToOneTenant) {
  auto tx = db_->Write();
  storage::ReplaceTenantDomains(tx->conn(), TenantId(1), {"portal.acme.example"}, 1);
  EXPECT_EQ(storage::FindTenantByDomain(tx->conn(), "portal.acme.example"), TenantId(1));
  EXPECT_THROW(storage::ReplaceTenantDomains(tx->conn(), TenantId(2), {"portal.acme.example"}, 1), Error);
}

INSTANTIATE_TEST_SUITE_P(Databases, TokenStorageTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         [](const auto& info) { return info.param == storage::Dialect::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace portico

namespace portico::services {
namespace {

TEST(AccountMail, LinksUseTheCustomDomainElseThePublicUrlWithTheSlug) {
  EXPECT_EQ(PortalBase("https://portal.example/", "127.0.0.1:8080", "acme", {}), "https://portal.example/t/acme");
  EXPECT_EQ(PortalBase("", "127.0.0.1:8080", "acme", {}), "http://127.0.0.1:8080/t/acme");
  EXPECT_EQ(PortalBase("https://portal.example", "x", "acme", {"repairs.acme.example"}), "https://repairs.acme.example");
}

TEST(AccountMail, InTheRecipientsLanguageWithTheTenantsNameAndColour) {
  storage::TenantRecord tenant;
  tenant.id = TenantId(1);
  tenant.name = "Kibray";
  tenant.branding.colors.primary = "#123456";
  auto en = AccountMail(AccountMailKind::kPasswordReset, tenant, "en", "a@b.test", "Ana", "", "https://x/reset/T", 1);
  EXPECT_EQ(en.subject, "Reset your Kibray password");
  EXPECT_NE(en.body_text.find("https://x/reset/T"), std::string::npos);
  EXPECT_NE(en.body_html.find("#123456"), std::string::npos);
  auto es = AccountMail(AccountMailKind::kInvitation, tenant, "es", "a@b.test", "Ana", "Flota <Norte>", "https://x/invite/T", 168);
  EXPECT_EQ(es.subject, "Kibray le invita a su portal de reparaciones");
  EXPECT_NE(es.body_text.find("Hola Ana"), std::string::npos);
  EXPECT_NE(es.body_text.find("168 horas"), std::string::npos);
  EXPECT_NE(es.body_html.find("Flota &lt;Norte&gt;"), std::string::npos) << "names are escaped in HTML";
  EXPECT_EQ(MailLanguage(std::nullopt), "en");
  EXPECT_EQ(MailLanguage(std::string("es")), "es");
}

TEST(AccountMail, WithoutALanguageTheTenantsDefault) {
  EXPECT_EQ(MailLanguage(std::nullopt, "es"), "es");
  EXPECT_EQ(MailLanguage(std::string("en"), "es"), "en") << "the recipient's own language wins";
  EXPECT_EQ(MailLanguage(std::string("fr"), "es"), "es");
  EXPECT_EQ(MailLanguage(std::nullopt, "xx"), "en");
}

TEST(Branding, TenantDefaultLanguageIsValidatedAndStored) {
  auto b = domain::DefaultBranding("Acme");
  EXPECT_EQ(b.default_language, "en");
  EXPECT_TRUE(domain::ValidateBranding(b).empty());
  b.default_language = "fr";
  EXPECT_TRUE(domain::ValidateBranding(b).contains("default_language"));
  b.default_language = "es";
  EXPECT_EQ(domain::BrandingFromJson(domain::BrandingToJson(b)).default_language, "es");
  EXPECT_EQ(domain::BrandingFromJson(boost::json::object{}).default_language, "en") << "stored before issue 13";
}

}  // namespace
}  // namespace portico::services
