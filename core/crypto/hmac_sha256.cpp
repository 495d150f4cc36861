// OpenSSL's one-shot HMAC: a vetted implementation instead of our own.
// Thread-safety: pure functions.
#include "crypto/hmac_sha256.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cephalo {

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  Sha256Digest digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &length);
  return digest;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const Sha256Digest digest = hmac_sha256(key, message);
  return to_hex(digest.data(), digest.size());
}

std::string to_hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return text;
}

}  // namespace cephalo
