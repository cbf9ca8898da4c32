// Single-use secrets (issue 13): one mechanism for invitations, access codes, e-mail verification, password
// reset and calendar feeds. A token is random (libsodium), stored only as its SHA-256, carries a purpose, an
// expiry, a use count with a maximum and a revocation time. This file holds the pure rules: which purposes
// exist, how long each lives, and whether a stored token may still be used (services/single_use_tokens
// issues, finds and consumes them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace portico::domain {

enum class TokenPurpose { kInvitation, kAccessCode, kEmailVerification, kPasswordReset, kCalendarFeed };

/// "invitation", "access_code", "email_verification", "password_reset", "calendar_feed" (the stored names).
std::string_view ToString(TokenPurpose purpose);
std::optional<TokenPurpose> ParseTokenPurpose(std::string_view text);

/// The default lifetime in seconds (PRODUCT.md "Self-service accounts"): invitation 7 days, password reset
/// 1 hour, e-mail verification 24 hours, access code 30 days (the most API.md allows), calendar feed 1 year.
UnixSeconds DefaultLifetime(TokenPurpose purpose);

/// The longest an access code may live: API.md, "expires_in_days" <= 30.
inline constexpr std::int64_t kMaxAccessCodeDays = 30;

/// What is stored about one token, as far as its usability goes.
struct TokenUse {
  UnixSeconds expires_at = 0;
  std::int64_t uses = 0;
  std::int64_t max_uses = 1;
  std::optional<UnixSeconds> revoked_at;
};

enum class TokenVerdict { kUsable, kRevoked, kUsedUp, kExpired };

/// Whether a token may be used at `now` (Unix seconds, UTC). Revocation wins over use, use over expiry;
/// a token is expired from its `expires_at` second on. Callers answer every verdict but kUsable alike
/// (API.md: unknown, used, revoked or expired give the same 404 / 400).
TokenVerdict DecideTokenUse(const TokenUse& token, UnixSeconds now);

/// A status for listing (invitations): "pending", "accepted", "revoked" or "expired".
std::string_view TokenStatus(const TokenUse& token, UnixSeconds now);

/// A status for listing access codes: "active", "used", "revoked" or "expired" (the same verdicts).
std::string_view AccessCodeStatus(const TokenUse& token, UnixSeconds now);

/// An access code as people type it: upper-cased, spaces and dashes removed (what is hashed and compared).
std::string NormaliseAccessCode(std::string_view code);

/// Groups a code of 16 characters as XXXX-XXXX-XXXX-XXXX for display.
std::string FormatAccessCode(std::string_view code);

/// The alphabet of access codes: Crockford's base32 (no I, L, O, U), 5 bits a character.
inline constexpr std::string_view kAccessCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace portico::domain
