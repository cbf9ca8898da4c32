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
