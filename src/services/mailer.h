// E-mail for notifications (issue 5): a worker sends notifications marked 'pending' over SMTP (libcurl;
// STARTTLS when the server offers it, unless configured otherwise), from the tenant's name, with a
// plain-text and an HTML part. A failure is retried with backoff (30 s, 2 min, 10 min, 1 h, 6 h) and
// then given up ('failed'); sending never blocks a request. Off while [smtp] host is unset.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "services/deps.h"
#include "storage/notifications_repository.h"

namespace portico::services {

/// One message, ready to send.
struct MailMessage {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string subject;
  std::string text;
  std::string html;
};

/// The RFC 5322 text of a message: headers, multipart/alternative with text/plain and text/html (UTF-8,
/// quoted-printable), CRLF line ends. `boundary` and `message_id` are given so tests are repeatable.
std::string RenderMail(const MailMessage& m, const std::string& boundary, const std::string& message_id,
                       const std::string& date);

/// The message for one notification e-mail.
MailMessage NotificationMail(const storage::OutgoingEmail& e, const std::string& public_url,
                             const std::string& from_address);

/// Sends through the configured SMTP server. Throws Error(kUnavailable) with the reason on failure.
void SendMail(const Config& config, const MailMessage& m);

class MailWorker {
 public:
  explicit MailWorker(Deps deps) : deps_(deps) {}
  ~MailWorker();
  void Start();
  void Stop();
  /// Sends what is due now; returns how many were sent.
  int RunOnce();
  /// Sends the account e-mails of the outbox that are due (issue 13; services/outbox_sender.cpp).
  int RunOutboxOnce();

 private:
  Deps deps_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portico::services
