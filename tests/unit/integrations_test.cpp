// CSV writer (RFC 4180, formula neutralisation, UTF-8) and the webhook rules: signature, retry schedule,
// SSRF address checks, URL parsing. Sources: API.md, "Exports and invoices" and "Webhooks".
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "domain/csv_writer.h"
#include "domain/webhook_rules.h"

namespace portico::domain {
namespace {

TEST(CsvWriterTest, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(CsvField("abc"), "abc");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("50.00"), "50.00");
}

TEST(CsvWriterTest, QuotesCommasQuotesAndNewlines) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvField("line1\r\nline2"), "\"line1\r\nline2\"");
  EXPECT_EQ(CsvField(" padded "), "\" padded \"");
}

TEST(CsvWriterTest, NeutralisesFormulas) {
  EXPECT_EQ(CsvField("=SUM(A1:A2)"), "'=SUM(A1:A2)");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@cmd"), "'@cmd");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_FALSE(LooksLikeFormula("x-1"));
}

TEST(CsvWriterTest, KeepsUtf8) {
  EXPECT_EQ(CsvField("Peña José – ü"), "Peña José – ü");
  EXPECT_EQ(CsvField("é,ñ"), "\"é,ñ\"");
}

TEST(CsvWriterTest, RowsEndWithCrLf) {
  std::string out;
  AppendCsvRow(out, {"id", "a,b", ""});
  AppendCsvRow(out, {"1"});
  EXPECT_EQ(out, "id,\"a,b\",\r\n1\r\n");
}

TEST(WebhookRulesTest, SignatureIsHmacSha256OfTimestampDotBody) {
  ASSERT_GE(sodium_init(), 0);
  // RFC 4231 style check computed independently: HMAC-SHA256("secret", "1700000000.{}").
  // python3 -c 'import hmac,hashlib;print(hmac.new(b"secret",b"1700000000.{}",hashlib.sha256).hexdigest())'
  EXPECT_EQ(WebhookSignature("secret", 1700000000, "{}"),
            "v1=" + std::string("b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"));
}

TEST(WebhookRulesTest, RetryScheduleDoublesWithJitter) {
  EXPECT_GE(WebhookRetryDelaySeconds(1, 0.0), 15);
  EXPECT_LT(WebhookRetryDelaySeconds(1, 0.999), 60);
  EXPECT_EQ(WebhookRetryDelaySeconds(1, 0.5), 30);
  EXPECT_EQ(WebhookRetryDelaySeconds(2, 0.5), 60);
  EXPECT_EQ(WebhookRetryDelaySeconds(3, 0.5), 120);
  EXPECT_EQ(WebhookRetryDelaySeconds(30, 0.5), 4 * 60 * 60);
  EXPECT_EQ(WebhookRetryDelaySeconds(1000, 0.0), 2 * 60 * 60);
  std::int64_t elapsed = 0;
  int retries = 0;
  while (WebhookMayRetry(0, elapsed + WebhookRetryDelaySeconds(retries + 1, 0.5))) {
    elapsed += WebhookRetryDelaySeconds(++retries, 0.5);
  }
  EXPECT_GT(retries, 8);
  EXPECT_LE(elapsed, kWebhookRetryWindowSeconds);
  EXPECT_GT(elapsed, kWebhookRetryWindowSeconds - 4 * 60 * 60);
}

TEST(WebhookRulesTest, RefusesNonPublicAddresses) {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "10.0.0.1", "10.255.255.255", "172.16.0.1",
                        "172.31.255.255", "192.168.1.1", "169.254.169.254", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1", "::ffff:169.254.169.254", "fc00::1", "fd12:3456::1", "fe80::1",
                        "febf::1", "0.0.0.0", "::", "224.0.0.1", "239.255.255.250", "ff02::1",
                        "255.255.255.255", "100.64.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "fe80::1%eth0",
                        "not-an-address", ""}) {
    EXPECT_FALSE(IsPublicAddress(a)) << a;
  }
}

TEST(WebhookRulesTest, AllowsPublicAddresses) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.15.0.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111",
                        "::ffff:8.8.8.8", "64:ff9b::808:808", "100.128.0.1"}) {
    EXPECT_TRUE(IsPublicAddress(a)) << a;
  }
}

TEST(WebhookRulesTest, ParsesUrls) {
  auto t = ParseWebhookUrl("https://Hooks.Example.com/x?y=1");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->https);
  EXPECT_EQ(t->host, "hooks.example.com");
  EXPECT_EQ(t->port, 443);
  t = ParseWebhookUrl("http://127.0.0.1:8081/hook");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->https);
  EXPECT_EQ(t->port, 8081);
  t = ParseWebhookUrl("https://[::1]:9000/");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 9000);
  for (const char* bad : {"ftp://x", "https://", "https://user@host/", "https://host:0/", "https://host:99999/",
                          "https://ho st/", "javascript:alert(1)", "https://[::1/"}) {
    EXPECT_FALSE(ParseWebhookUrl(bad)) << bad;
  }
}

}  // namespace
}  // namespace portico::domain
