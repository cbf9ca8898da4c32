#include "services/mailer.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>

#include "core/crypto.h"
#include "core/error.h"
#include "policy/policy.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::services {
namespace {

constexpr std::array<UnixSeconds, 5> kBackoffSeconds = {30, 120, 600, 3600, 21600};

/// Quoted-printable (RFC 2045) with soft line breaks at 76 characters, CRLF line ends.
std::string QuotedPrintable(const std::string& text) {
  std::string out;
  std::size_t line = 0;
  auto put = [&](const std::string& piece) {
    if (line + piece.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      line = 0;
    } else if (c == '\r') {
      continue;
    } else if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' && i + 1 < text.size() && text[i + 1] != '\n')) {
      put(std::string(1, static_cast<char>(c)));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "=%02X", c);
      put(buf);
    }
  }
  return out;
}

/// RFC 2047 encoded word for a header value that is not plain ASCII.
std::string HeaderText(const std::string& v) {
  bool ascii = true;
  for (unsigned char c : v) ascii = ascii && c >= 32 && c < 127;
  if (ascii) return v;
  std::string b64(((v.size() + 2) / 3) * 4 + 1, '\0');
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < v.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(v[i]) << 16;
    if (i + 1 < v.size()) n |= static_cast<unsigned char>(v[i + 1]) << 8;
    if (i + 2 < v.size()) n |= static_cast<unsigned char>(v[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < v.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < v.size() ? kAlphabet[n & 63] : '=';
  }
  return "=?UTF-8?B?" + out + "?=";
}

std::string Mailbox(const std::string& name, const std::string& address) {
  std::string n;
  for (char c : name) {
    if (c != '"' && c != '\r' && c != '\n') n += c;
  }
  return n.empty() ? "<" + address + ">" : "\"" + HeaderText(n) + "\" <" + address + ">";
}

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Clean(const std::string& s) {  // no header injection
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

}  // namespace

std::string RenderMail(const MailMessage& m, const std::string& boundary, const std::string& message_id,
                       const std::string& date) {
  std::string out;
  out += "From: " + Mailbox(Clean(m.from_name), Clean(m.from_address)) + "\r\n";
  out += "To: " + Mailbox(Clean(m.to_name), Clean(m.to_address)) + "\r\n";
  out += "Subject: " + HeaderText(Clean(m.subject)) + "\r\n";
  out += "Date: " + date + "\r\n";
  out += "Message-ID: <" + message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += QuotedPrintable(m.text) + "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += QuotedPrintable(m.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

MailMessage NotificationMail(const storage::OutgoingEmail& e, const std::string& public_url,
                             const std::string& from_address) {
  MailMessage m;
  m.from_name = e.tenant_name;
  m.from_address = from_address;
  m.to_name = e.to_name;
  m.to_address = e.to_email;
  m.subject = e.notification.title;
  std::string link;
  const std::string area = e.to_staff ? "/shop" : "/portal";
  if (e.notification.channel) {
    link = public_url + "/t/" + e.tenant_slug + area + "/messages?channel=" + std::to_string(*e.notification.channel);
  } else if (e.notification.repair) {
    link = public_url + "/t/" + e.tenant_slug + (e.to_staff ? "/shop" : "/portal") + "/repairs/" +
           std::to_string(e.notification.repair->value);
  }
  m.text = "Hello " + e.to_name + ",\n\n" + e.notification.title + ".\n" +
           (e.notification.body.empty() ? "" : "\n" + e.notification.body + "\n") +
           (link.empty() ? "" : "\nOpen it: " + link + "\n") + "\n-- \n" + e.tenant_name +
           "\nYou receive this because of your notification preferences.\n";
  m.html = "<!doctype html><html><body style=\"font-family:sans-serif\"><p>Hello " + Html(e.to_name) + ",</p><p><strong>" +
           Html(e.notification.title) + "</strong></p>" +
           (e.notification.body.empty() ? "" : "<p>" + Html(e.notification.body) + "</p>") +
           (link.empty() ? "" : "<p><a href=\"" + Html(link) + "\">" + (e.notification.channel ? "Open the conversation" : "Open the repair") + "</a></p>") + "<p style=\"color:#666\">" +
           Html(e.tenant_name) + "<br>You receive this because of your notification preferences.</p></body></html>";
  return m;
}

void SendMail(const Config& config, const MailMessage& m) {
  CURL* curl = curl_easy_init();
  if (!curl) throw Error(ErrorCode::kUnavailable, "e-mail cannot be sent", "curl_easy_init failed");
  std::string date;
  {
    char buf[64];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    date = buf;
  }
  std::string domain = m.from_address.substr(m.from_address.find('@') + 1);
  std::string data = RenderMail(m, "portico-" + RandomToken(12), RandomToken(16) + "@" + domain, date);
  Upload upload{&data};
  std::string url = "smtp://" + config.smtp_host + ":" + std::to_string(config.smtp_port);
  std::string from = "<" + m.from_address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to_address + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, config.smtp_starttls == "always" ? CURLUSESSL_ALL
                                          : config.smtp_starttls == "never" ? CURLUSESSL_NONE
                                                                            : CURLUSESSL_TRY);
  if (!config.smtp_username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config.smtp_username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config.smtp_password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(config.smtp_timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    throw Error(ErrorCode::kUnavailable, "e-mail could not be sent", std::string("smtp: ") + curl_easy_strerror(rc));
  }
}

MailWorker::~MailWorker() { Stop(); }

void MailWorker::Start() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
        if (stopping_) return;
      }
      try {
        RunOnce();
      } catch (const std::exception& e) {
        spdlog::error("mail worker: {}", e.what());
      }
    }
  });
}

void MailWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

namespace {

/// Whether the recipient may still get this e-mail at send time: still active and, for a notification
/// about a repair, still able to read that repair (access may have been revoked since the event).
bool StillEntitled(storage::Connection& c, const storage::OutgoingEmail& e) {
  auto user = storage::FindUser(c, e.notification.tenant, e.notification.user);
  if (!user || !user->is_active) return false;
  if (!e.notification.repair) return true;
  policy::Actor actor;
  actor.user = user->id;
  actor.tenant = user->tenant;
  actor.role = user->role;
  if (user->role == domain::Role::kCustomer) {
    for (const auto& g : storage::ListAccessOfUser(c, user->id)) {
      actor.customers.push_back({g.customer, g.customer_name, g.access, g.is_primary_contact});
    }
  }
  return storage::FindRepair(c, policy::ScopeOf(actor), *e.notification.repair).has_value();
}

}  // namespace

int MailWorker::RunOnce() {
  std::vector<storage::OutgoingEmail> due;
  {
    // Claimed in a write transaction (one writer across instances): each e-mail is sent by one instance;
    // one that dies while sending leaves its claims to expire, and another instance sends them.
    constexpr UnixSeconds kLeaseSeconds = 300;
    auto tx = deps_.db.Write();
    due = storage::DueEmails(tx->conn(), deps_.clock.Now(), 20);
    for (const auto& e : due) storage::LeaseEmail(tx->conn(), e.notification.id, deps_.clock.Now() + kLeaseSeconds);
    tx->Commit();
  }
  std::string base = deps_.config.public_url.empty() ? "http://" + deps_.config.listen : deps_.config.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  int sent = 0;
  for (const auto& e : due) {
    bool entitled = false;
    {
      auto tx = deps_.db.Read();
      entitled = StillEntitled(tx->conn(), e);
    }
    if (!entitled) {
      spdlog::info("e-mail for notification {} skipped: the recipient may no longer read it", e.notification.id);
      auto tx = deps_.db.Write();
      storage::MarkEmailSkipped(tx->conn(), e.notification.id);
      tx->Commit();
      continue;
    }
    bool ok = true;
    try {
      SendMail(deps_.config, NotificationMail(e, base, deps_.config.smtp_from));
    } catch (const Error& err) {
      ok = false;
      spdlog::warn("e-mail for notification {} to {} failed (attempt {}): {}", e.notification.id, e.to_email,
                   e.attempts + 1, err.internal());
    }
    auto tx = deps_.db.Write();
    if (ok) {
      storage::MarkEmailSent(tx->conn(), e.notification.id);
      ++sent;
    } else {
      std::int64_t attempts = e.attempts + 1;
      std::optional<UnixSeconds> next;
      if (attempts <= static_cast<std::int64_t>(kBackoffSeconds.size())) {
        next = deps_.clock.Now() + kBackoffSeconds[static_cast<std::size_t>(attempts - 1)];
      }
      storage::MarkEmailRetry(tx->conn(), e.notification.id, attempts, next);
    }
    tx->Commit();
  }
  return sent + RunOutboxOnce();
}

}  // namespace portico::services
