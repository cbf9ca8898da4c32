#include "core/crypto.h"

#include <sodium.h>

#include <vector>

#include "core/error.h"

namespace portico {

void InitCrypto() {
  if (sodium_init() < 0) throw Error::Internal("libsodium could not be initialised");
}

std::string RandomToken(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string RandomCode(std::size_t length, std::string_view alphabet) {
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
  }
  return out;
}

std::string HashToken(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string HashPassword(std::string_view password, PasswordHashCost cost) {
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops =
      cost == PasswordHashCost::kMin ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  std::size_t mem = cost == PasswordHashCost::kMin ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::Internal("argon2id hashing ran out of memory");
  }
  return out;
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  std::string h(hash);  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace portico
