// Ed25519 and RSA signatures over PEM keys, in the base64 form Binance's signed requests carry:
// Ed25519 (pure, RFC 8032) and RSA PKCS#1 v1.5 with SHA-256, both deterministic.
// Thread-safety: a PrivateKey/PublicKey may be used by one thread at a time; distinct objects
// are independent.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo {

enum class KeyAlgorithm { kEd25519, kRsa };
const char* key_algorithm_name(KeyAlgorithm algorithm);  // "Ed25519", "RSA"

// A private key read from PEM text (PKCS#8 "BEGIN PRIVATE KEY", unencrypted; Binance accepts
// only PKCS#8 for RSA). Other key types (EC, DSA) are refused with their name.
class PrivateKey {
 public:
  static Result<PrivateKey> from_pem(std::string_view pem);
  KeyAlgorithm algorithm() const { return algorithm_; }
  // base64(signature over `message`'s bytes).
  Result<std::string> sign_base64(std::string_view message) const;

 private:
  struct Handle;
  std::shared_ptr<Handle> key_;
  KeyAlgorithm algorithm_ = KeyAlgorithm::kEd25519;
};

// The matching public key (SubjectPublicKeyInfo "BEGIN PUBLIC KEY"), for the exchange simulator
// that checks what a client signed.
class PublicKey {
 public:
  static Result<PublicKey> from_pem(std::string_view pem);
  KeyAlgorithm algorithm() const { return algorithm_; }
  bool verify_base64(std::string_view message, std::string_view signature_base64) const;

 private:
  struct Handle;
  std::shared_ptr<Handle> key_;
  KeyAlgorithm algorithm_ = KeyAlgorithm::kEd25519;
};

std::string base64_encode(std::string_view bytes);
// Strict standard base64 (with padding); false on anything else.
bool base64_decode(std::string_view text, std::string& out_bytes);

}  // namespace cephalo
