// Secrets: random tokens, their hashes, and password hashing (argon2id through libsodium).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace portico {

/// Initialises libsodium; call once at start-up before any other function here. Throws Error on failure.
void InitCrypto();

/// `bytes` random bytes (default 32 = 256 bits) as unpadded base64url text.
std::string RandomToken(std::size_t bytes = 32);

/// `length` characters drawn uniformly (libsodium's randombytes_uniform) from `alphabet` (at most 256
/// characters): codes people type, such as access codes.
std::string RandomCode(std::size_t length, std::string_view alphabet);

/// SHA-256 of a token as 64 lower-case hex characters; what the database stores instead of the token.
std::string HashToken(std::string_view token);

/// Argon2id cost. kInteractive is libsodium's INTERACTIVE limits (production); kMin is its minimum,
/// for tests only (config `auth.password_hash = "min"`).
enum class PasswordHashCost { kInteractive, kMin };

/// An argon2id hash string in libsodium's crypt format ("$argon2id$v=19$..."). Throws Error(kInternal)
/// when memory for hashing cannot be had.
std::string HashPassword(std::string_view password, PasswordHashCost cost);

/// True if `password` matches `hash` (any argon2id cost). A malformed hash is false.
bool VerifyPassword(std::string_view hash, std::string_view password);

/// Constant-time equality of two strings of equal length (false for different lengths).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace portico
