// OpenSSL EVP_DigestSign/Verify for Ed25519 and RSA keys.
// Thread-safety: see key_signature.hpp.
#include "crypto/key_signature.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <vector>

namespace cephalo {
namespace {

std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using KeyPointer = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// Ed25519 signs the message itself (no digest); RSA signs SHA-256 of it.
const EVP_MD* digest_for(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kRsa ? EVP_sha256() : nullptr;
}

Result<KeyAlgorithm> algorithm_of(EVP_PKEY* key, const char* what) {
  switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_ED25519:
      return KeyAlgorithm::kEd25519;
    case EVP_PKEY_RSA:
      return KeyAlgorithm::kRsa;
    default:
      return Error{std::string(what) + ": a " + OBJ_nid2sn(EVP_PKEY_base_id(key)) +
                   " key; Binance API keys are HMAC, Ed25519 or RSA"};
  }
}

template <class Read>
Result<KeyPointer> read_pem(std::string_view pem, Read read, const char* what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Error{std::string(what) + ": out of memory"};
  KeyPointer key(read(bio.get()));
  if (!key) {
    return Error{std::string(what) + ": not a readable unencrypted PEM key (" + openssl_reason() +
                 ")"};
  }
  return key;
}

}  // namespace

const char* key_algorithm_name(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kRsa ? "RSA" : "Ed25519";
}

struct PrivateKey::Handle {
  KeyPointer key;
};
struct PublicKey::Handle {
  KeyPointer key;
};

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  auto key = read_pem(
      pem, [](BIO* bio) { return PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr); },
      "private key");
  if (!key) return key.status();
  auto algorithm = algorithm_of(key->get(), "private key");
  if (!algorithm) return algorithm.status();
  PrivateKey out;
  out.algorithm_ = *algorithm;
  out.key_ = std::make_shared<Handle>(Handle{std::move(key).value()});
  return out;
}

Result<std::string> PrivateKey::sign_base64(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                   &EVP_MD_CTX_free);
  size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, digest_for(algorithm_), nullptr, key_->key.get()) !=
          1 ||
      EVP_DigestSign(context.get(), nullptr, &length, bytes, message.size()) != 1) {
    return Error{std::string("signing with the ") + key_algorithm_name(algorithm_) +
                 " key failed: " + openssl_reason()};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     bytes, message.size()) != 1) {
    return Error{std::string("signing with the ") + key_algorithm_name(algorithm_) +
                 " key failed: " + openssl_reason()};
  }
  signature.resize(length);
  return base64_encode(signature);
}

Result<PublicKey> PublicKey::from_pem(std::string_view pem) {
  auto key = read_pem(
      pem, [](BIO* bio) { return PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr); },
      "public key");
  if (!key) return key.status();
  auto algorithm = algorithm_of(key->get(), "public key");
  if (!algorithm) return algorithm.status();
  PublicKey out;
  out.algorithm_ = *algorithm;
  out.key_ = std::make_shared<Handle>(Handle{std::move(key).value()});
  return out;
}

bool PublicKey::verify_base64(std::string_view message, std::string_view signature_base64) const {
  std::string signature;
  if (!base64_decode(signature_base64, signature)) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                   &EVP_MD_CTX_free);
  const bool ok =
      context &&
      EVP_DigestVerifyInit(context.get(), nullptr, digest_for(algorithm_), nullptr,
                           key_->key.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string base64_encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(static_cast<size_t>(written));
  return text;
}

bool base64_decode(std::string_view text, std::string& out_bytes) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool body = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '+' || c == '/';
    const bool padding = c == '=' && i + 2 >= text.size();
    if (!body && !padding) return false;
  }
  std::vector<unsigned char> bytes(text.size() / 4 * 3);
  const int written = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return false;
  size_t length = static_cast<size_t>(written);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (text.back() == '=') --length;
  if (text[text.size() - 2] == '=') --length;
  out_bytes.assign(reinterpret_cast<const char*>(bytes.data()), length);
  return true;
}

}  // namespace cephalo
