// The e-mails of self-service accounts (issue 13): invitation, sign-up verification and password reset,
// in the recipient's language (English or Spanish), with the tenant's name and colour, and a link on the
// tenant's custom domain if it has one, else on the public URL under /t/{slug}/.
#pragma once

#include <string>
#include <vector>

#include "storage/records.h"
#include "storage/self_service_repository.h"

namespace portico::services {

enum class AccountMailKind { kInvitation, kVerification, kPasswordReset };

/// The language of an account e-mail: `language` (the recipient's, or the one asked for) when it is "en" or
/// "es", else the tenant's default (branding `default_language`; "en" unless it is "es").
std::string MailLanguage(const std::optional<std::string>& language, const std::string& tenant_default = "en");

/// Where a tenant's portal is reached: "scheme://first-custom-domain" when it has one (scheme of
/// `public_url`, http when that is empty), else `public_url` (or "http://" + listen) + "/t/{slug}".
/// No trailing slash.
std::string PortalBase(const std::string& public_url, const std::string& listen, const std::string& slug,
                       const std::vector<std::string>& domains);

/// The message for one account e-mail. `link` is the full URL with the token; `customer_name` names the
/// customer organisation for invitations; `hours` how long the link stays valid.
storage::OutboxMail AccountMail(AccountMailKind kind, const storage::TenantRecord& tenant, const std::string& language,
                                const std::string& to_address, const std::string& to_name,
                                const std::string& customer_name, const std::string& link, std::int64_t hours);

}  // namespace portico::services
