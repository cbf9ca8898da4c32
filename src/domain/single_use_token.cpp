#include "domain/single_use_token.h"

#include <cctype>

namespace portico::domain {

std::string_view ToString(TokenPurpose purpose) {
  switch (purpose) {
    case TokenPurpose::kInvitation:
      return "invitation";
    case TokenPurpose::kAccessCode:
      return "access_code";
    case TokenPurpose::kEmailVerification:
      return "email_verification";
    case TokenPurpose::kPasswordReset:
      return "password_reset";
    case TokenPurpose::kCalendarFeed:
      return "calendar_feed";
  }
  return "invitation";
}

std::optional<TokenPurpose> ParseTokenPurpose(std::string_view text) {
  for (auto p : {TokenPurpose::kInvitation, TokenPurpose::kAccessCode, TokenPurpose::kEmailVerification,
                 TokenPurpose::kPasswordReset, TokenPurpose::kCalendarFeed}) {
    if (ToString(p) == text) return p;
  }
  return std::nullopt;
}

UnixSeconds DefaultLifetime(TokenPurpose purpose) {
  constexpr UnixSeconds kHour = 3600;
  constexpr UnixSeconds kDay = 24 * kHour;
  switch (purpose) {
    case TokenPurpose::kInvitation:
      return 7 * kDay;
    case TokenPurpose::kAccessCode:
      return kMaxAccessCodeDays * kDay;
    case TokenPurpose::kEmailVerification:
      return kDay;
    case TokenPurpose::kPasswordReset:
      return kHour;
    case TokenPurpose::kCalendarFeed:
      return 365 * kDay;
  }
  return kHour;
}

TokenVerdict DecideTokenUse(const TokenUse& token, UnixSeconds now) {
  if (token.revoked_at) return TokenVerdict::kRevoked;
  if (token.uses >= token.max_uses) return TokenVerdict::kUsedUp;
  if (now >= token.expires_at) return TokenVerdict::kExpired;
  return TokenVerdict::kUsable;
}

std::string_view TokenStatus(const TokenUse& token, UnixSeconds now) {
  switch (DecideTokenUse(token, now)) {
    case TokenVerdict::kUsable:
      return "pending";
    case TokenVerdict::kRevoked:
      return "revoked";
    case TokenVerdict::kUsedUp:
      return "accepted";
    case TokenVerdict::kExpired:
      return "expired";
  }
  return "expired";
}

std::string_view AccessCodeStatus(const TokenUse& token, UnixSeconds now) {
  switch (DecideTokenUse(token, now)) {
    case TokenVerdict::kUsable:
      return "active";
    case TokenVerdict::kRevoked:
      return "revoked";
    case TokenVerdict::kUsedUp:
      return "used";
    case TokenVerdict::kExpired:
      return "expired";
  }
  return "expired";
}

std::string NormaliseAccessCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string FormatAccessCode(std::string_view code) {
  std::string out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(code[i]);
  }
  return out;
}

}  // namespace portico::domain
