// The account e-mails of issue 13 (invitation, verification, password reset) wait in the outbox
// (storage mail_outbox) and are sent by the mail worker like notification e-mails: claimed for a while so
// one instance sends each, retried with the same backoff, then given up.
#include <spdlog/spdlog.h>

#include <array>

#include "core/error.h"
#include "services/mailer.h"
#include "storage/accounts_repository.h"
#include "storage/self_service_repository.h"

namespace portico::services {

int MailWorker::RunOutboxOnce() {
  constexpr std::array<UnixSeconds, 5> kBackoffSeconds = {30, 120, 600, 3600, 21600};
  constexpr UnixSeconds kLeaseSeconds = 300;
  std::vector<storage::OutboxMail> due;
  {
    auto tx = deps_.db.Write();
    due = storage::DueOutboxMail(tx->conn(), deps_.clock.Now(), 20);
    for (const auto& m : due) storage::LeaseOutboxMail(tx->conn(), m.id, deps_.clock.Now() + kLeaseSeconds);
    tx->Commit();
  }
  int sent = 0;
  for (const auto& m : due) {
    MailMessage msg;
    {
      auto tx = deps_.db.Read();
      auto tenant = storage::FindTenant(tx->conn(), m.tenant);
      msg.from_name = tenant ? (tenant->branding.company.display_name.empty() ? tenant->name
                                                                               : tenant->branding.company.display_name)
                             : "Portico";
    }
    msg.from_address = deps_.config.smtp_from;
    msg.to_name = m.to_name;
    msg.to_address = m.to_address;
    msg.subject = m.subject;
    msg.text = m.body_text;
    msg.html = m.body_html;
    bool ok = true;
    try {
      SendMail(deps_.config, msg);
    } catch (const Error& err) {
      ok = false;
      spdlog::warn("account e-mail {} failed (attempt {}): {}", m.id, m.attempts + 1, err.internal());
    }
    auto tx = deps_.db.Write();
    if (ok) {
      storage::MarkOutboxSent(tx->conn(), m.id, deps_.clock.Now());
      ++sent;
    } else {
      const std::int64_t attempts = m.attempts + 1;
      std::optional<UnixSeconds> next;
      if (attempts <= static_cast<std::int64_t>(kBackoffSeconds.size())) {
        next = deps_.clock.Now() + kBackoffSeconds[static_cast<std::size_t>(attempts - 1)];
      }
      storage::MarkOutboxRetry(tx->conn(), m.id, attempts, next);
    }
    tx->Commit();
  }
  return sent;
}

}  // namespace portico::services
