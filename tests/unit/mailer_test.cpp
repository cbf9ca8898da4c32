// Unit tests of the notification e-mail rendering (src/services/mailer.cpp).
#include <gtest/gtest.h>

#include "services/mailer.h"

namespace portico::services {
namespace {

MailMessage Sample() {
  MailMessage m;
  m.from_name = "Acme Glass";
  m.from_address = "portico@acme.example";
  m.to_name = "Ann Approver";
  m.to_address = "ann@customer.example";
  m.subject = "Your approval is wanted for repair #4";
  m.text = "Hello Ann,\n\nA line.\n";
  m.html = "<p>Hello</p>";
  return m;
}

TEST(MailerTest, RendersHeadersAndBothParts) {
  auto text = RenderMail(Sample(), "b0undary", "id@acme.example", "Sat, 21 Nov 2026 12:00:00 +0000");
  EXPECT_NE(text.find("From: \"Acme Glass\" <portico@acme.example>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: \"Ann Approver\" <ann@customer.example>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: Your approval is wanted for repair #4\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: multipart/alternative; boundary=\"b0undary\""), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(text.find("--b0undary--\r\n"), std::string::npos);
  EXPECT_NE(text.find("Hello Ann,\r\n\r\nA line.\r\n"), std::string::npos);
}

TEST(MailerTest, NoHeaderInjectionThroughNamesOrSubjects) {
  auto m = Sample();
  m.subject = "Hi\r\nBcc: victim@example.com";
  m.to_name = "Eve\"\nBcc: x@y";
  auto text = RenderMail(m, "b", "id@x", "date");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(text.find("\nBcc:"), std::string::npos);
}

TEST(MailerTest, NonAsciiIsEncoded) {
  auto m = Sample();
  m.from_name = "Glas Müller";
  m.text = "Grüße = 100%";
  auto text = RenderMail(m, "b", "id@x", "date");
  EXPECT_NE(text.find("From: \"=?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find("Gr=C3=BC=C3=9Fe =3D 100%"), std::string::npos);
}

TEST(MailerTest, LongLinesAreSoftWrapped) {
  auto m = Sample();
  m.text = std::string(200, 'a');
  auto text = RenderMail(m, "b", "id@x", "date");
  auto start = text.find("aaaa");
  auto first_break = text.find("=\r\n", start);
  ASSERT_NE(first_break, std::string::npos);
  EXPECT_LE(first_break - start, 76u);
}

TEST(MailerTest, NotificationMailLinksToThePortalOrTheShop) {
  storage::OutgoingEmail e;
  e.notification.title = "Repair #7 is now completed";
  e.notification.repair = RepairId(7);
  e.to_name = "Ann";
  e.to_email = "ann@customer.example";
  e.tenant_name = "Acme Glass";
  e.tenant_slug = "acme";
  auto m = NotificationMail(e, "https://portal.example", "portico@acme.example");
  EXPECT_EQ(m.from_name, "Acme Glass");
  EXPECT_EQ(m.subject, "Repair #7 is now completed");
  EXPECT_NE(m.text.find("https://portal.example/t/acme/portal/repairs/7"), std::string::npos);
  e.to_staff = true;
  m = NotificationMail(e, "https://portal.example", "portico@acme.example");
  EXPECT_NE(m.html.find("https://portal.example/t/acme/shop/repairs/7"), std::string::npos);
}

}  // namespace
}  // namespace portico::services

// ---- issue 18: the recipient is checked again at send time ----

#include <filesystem>

#include "storage/db.h"

namespace portico::services {
namespace {

TEST(MailWorkerTest, SkipsRecipientsWhoMayNoLongerReadTheRecord) {
  auto path = std::filesystem::temp_directory_path() /
              ("portico-mailer-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".db");
  std::filesystem::remove(path);
  {
    auto db = storage::OpenDatabase("sqlite://" + path.string(), 2);
    db->Migrate();
    {
      auto tx = db->Write();
      tx->conn().ExecuteScript(
          "INSERT INTO tenants (id, slug, name, branding, created_at, updated_at) VALUES (1, 't', 'T', '{}', 0, 0);"
          "INSERT INTO customers (id, tenant_id, name, created_at, updated_at) VALUES (10, 1, 'A', 0, 0), (20, 1, 'B', 0, 0);"
          "INSERT INTO units (id, tenant_id, customer_id, unit_number, created_at, updated_at) VALUES (1, 1, 10, 'U', 0, 0);"
          "INSERT INTO repairs (id, tenant_id, customer_id, unit_id, status, repair_date, created_at, updated_at) "
          "  VALUES (1, 1, 10, 1, 'PENDING', '2026-01-01', 0, 0);"
          "INSERT INTO users (id, tenant_id, email, name, role, password_hash, is_active, created_at, updated_at) VALUES "
          "  (5, 1, 'moved@x.test', 'Moved', 'customer', 'x', 1, 0, 0),"      // access to 20 only now
          "  (6, 1, 'still@x.test', 'Still', 'customer', 'x', 1, 0, 0),"      // access to 10
          "  (7, 1, 'gone@x.test', 'Gone', 'manager', 'x', 0, 0, 0);"         // deactivated staff
          "INSERT INTO customer_access (customer_id, user_id, tenant_id, access, created_at) VALUES "
          "  (20, 5, 1, 'approver', 0), (10, 6, 1, 'approver', 0);"
          "INSERT INTO notifications (id, tenant_id, user_id, event_id, type, repair_id, title, email_state, email_next_at, created_at) VALUES "
          "  (1, 1, 5, 1, 'approval_wanted', 1, 't', 'pending', 0, 0),"
          "  (2, 1, 6, 1, 'approval_wanted', 1, 't', 'pending', 0, 0),"
          "  (3, 1, 7, 1, 'status_changed', 1, 't', 'pending', 0, 0);");
      tx->Commit();
    }
    Config config;
    config.smtp_host = "127.0.0.1";
    config.smtp_port = 1;  // nothing listens: the entitled recipient's attempt fails and is retried
    config.smtp_timeout_seconds = 2;
    FakeClock clock(1000);
    MailWorker worker(Deps{*db, clock, config});
    EXPECT_EQ(worker.RunOnce(), 0);
    static constexpr storage::Sql kStates{"test_states",
                                          "SELECT id, email_state, email_attempts FROM notifications ORDER BY id"};
    auto tx = db->Read();
    auto rows = tx->conn().Query(kStates);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].Text(1), "skipped");  // lost access to the repair's customer
    EXPECT_EQ(rows[0].Int(2), 0);
    EXPECT_EQ(rows[1].Text(1), "pending");  // still entitled: tried, to be retried
    EXPECT_EQ(rows[1].Int(2), 1);
    EXPECT_EQ(rows[2].Text(1), "skipped");  // deactivated
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace portico::services
