#include "services/account_mail.h"

namespace portico::services {
namespace {

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

/// The texts of one e-mail in one language; "{shop}", "{customer}" and "{hours}" are filled in.
struct MailText {
  const char* subject;
  const char* intro;
  const char* action;
  const char* validity;
  const char* ignore;
};

MailText Texts(AccountMailKind kind, bool spanish) {
  switch (kind) {
    case AccountMailKind::kInvitation:
      return spanish ? MailText{"{shop} le invita a su portal de reparaciones",
                                "{shop} le invita a seguir las reparaciones de {customer} en su portal.",
                                "Aceptar la invitación", "El enlace sirve una sola vez durante {hours} horas.",
                                "Si no esperaba esta invitación, ignore este mensaje."}
                     : MailText{"{shop} invites you to its repair portal",
                                "{shop} invites you to follow the repairs of {customer} in its portal.",
                                "Accept the invitation", "The link works once, for {hours} hours.",
                                "If you did not expect this invitation, ignore this message."};
    case AccountMailKind::kVerification:
      return spanish ? MailText{"Confirme su dirección de correo para {shop}",
                                "Confirme esta dirección para terminar de crear su cuenta en el portal de {shop}.",
                                "Confirmar mi dirección", "El enlace sirve una sola vez durante {hours} horas.",
                                "Si no se registró, ignore este mensaje: no se creará ninguna cuenta."}
                     : MailText{"Confirm your e-mail address for {shop}",
                                "Confirm this address to finish creating your account on the {shop} portal.",
                                "Confirm my address", "The link works once, for {hours} hours.",
                                "If you did not sign up, ignore this message: no account will be created."};
    case AccountMailKind::kPasswordReset:
      return spanish ? MailText{"Restablecer su contraseña de {shop}",
                                "Alguien pidió restablecer la contraseña de su cuenta en el portal de {shop}.",
                                "Elegir una contraseña nueva", "El enlace sirve una sola vez durante {hours} hora(s).",
                                "Si no lo pidió usted, ignore este mensaje: su contraseña no cambia."}
                     : MailText{"Reset your {shop} password",
                                "Someone asked to reset the password of your account on the {shop} portal.",
                                "Choose a new password", "The link works once, for {hours} hour(s).",
                                "If it was not you, ignore this message: your password stays as it is."};
  }
  return Texts(AccountMailKind::kInvitation, spanish);
}

std::string Fill(std::string text, const std::string& shop, const std::string& customer, std::int64_t hours) {
  auto replace = [&text](const std::string& key, const std::string& value) {
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + value.size())) {
      text.replace(pos, key.size(), value);
    }
  };
  replace("{shop}", shop);
  replace("{customer}", customer);
  replace("{hours}", std::to_string(hours));
  return text;
}

}  // namespace

std::string MailLanguage(const std::optional<std::string>& language, const std::string& tenant_default) {
  if (language && (*language == "es" || *language == "en")) return *language;
  return tenant_default == "es" ? "es" : "en";
}

std::string PortalBase(const std::string& public_url, const std::string& listen, const std::string& slug,
                       const std::vector<std::string>& domains) {
  std::string base = public_url.empty() ? "http://" + listen : public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!domains.empty()) {
    std::string scheme = base.starts_with("https://") ? "https://" : "http://";
    return scheme + domains.front();
  }
  return base + "/t/" + slug;
}

storage::OutboxMail AccountMail(AccountMailKind kind, const storage::TenantRecord& tenant, const std::string& language,
                                const std::string& to_address, const std::string& to_name,
                                const std::string& customer_name, const std::string& link, std::int64_t hours) {
  const bool spanish = language == "es";
  const MailText t = Texts(kind, spanish);
  const std::string shop =
      tenant.branding.company.display_name.empty() ? tenant.name : tenant.branding.company.display_name;
  const std::string color = tenant.branding.colors.primary.empty() ? "#1f4e79" : tenant.branding.colors.primary;
  auto fill = [&](const char* s) { return Fill(s, shop, customer_name, hours); };
  const std::string hello = spanish ? "Hola" : "Hello";
  const std::string greeting = to_name.empty() ? hello + "," : hello + " " + to_name + ",";
  storage::OutboxMail m;
  m.tenant = tenant.id;
  m.to_address = to_address;
  m.to_name = to_name;
  m.subject = fill(t.subject);
  m.body_text = greeting + "\n\n" + fill(t.intro) + "\n\n" + fill(t.action) + ": " + link + "\n\n" + fill(t.validity) +
                "\n" + fill(t.ignore) + "\n\n-- \n" + shop + "\n";
  m.body_html = "<!doctype html><html lang=\"" + std::string(spanish ? "es" : "en") +
                "\"><body style=\"font-family:sans-serif\"><h2 style=\"color:" + Html(color) + "\">" + Html(shop) +
                "</h2><p>" + Html(greeting) + "</p><p>" + Html(fill(t.intro)) + "</p><p><a href=\"" + Html(link) +
                "\" style=\"background:" + Html(color) +
                ";color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none\">" + Html(fill(t.action)) +
                "</a></p><p>" + Html(fill(t.validity)) + "<br>" + Html(fill(t.ignore)) +
                "</p><p style=\"color:#666\">" + Html(shop) + "</p></body></html>";
  return m;
}

}  // namespace portico::services
