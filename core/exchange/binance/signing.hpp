// Binance request signing: the query string as sent (percent-encoded, CHANGELOG 2025-12-17), and
// its signature with the API key's type: hex(HMAC-SHA256(secret, payload)) for HMAC keys,
// base64(Ed25519) or base64(RSA-SHA256) for asymmetric keys (rest-api.md "SIGNED Endpoint
// Examples for POST /api/v3/order"; web-socket-api.md "SIGNED request security").
// Thread-safety: QueryString is a plain value; a RequestSigner is used by one thread at a time
// (it keeps scratch digest contexts), construct one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <utility>
#include <vector>

#include "crypto/key_signature.hpp"
#include "exchange/decimal.hpp"

namespace cephalo::exchange {

// Builds `key=value&key=value` in insertion order. Values are percent-encoded except for
// RFC 3986 unreserved characters; the signature covers exactly these bytes, so the venue sees
// the same text it verifies.
class QueryString {
 public:
  QueryString& add(std::string_view key, std::string_view value);
  QueryString& add(std::string_view key, Decimal value);
  QueryString& add(std::string_view key, int64_t value);
  const std::string& text() const { return text_; }
  void clear() { text_.clear(); }
  void reserve(size_t bytes) { text_.reserve(bytes); }

 private:
  void key(std::string_view name);
  std::string text_;
};

enum class ApiKeyType { kHmac, kEd25519, kRsa };
const char* api_key_type_name(ApiKeyType type);  // "HMAC", "Ed25519", "RSA"

class RequestSigner {
 public:
  // HMAC: the secret is hashed into the HMAC's inner and outer states once; it is not kept.
  explicit RequestSigner(std::string_view secret);
  // Ed25519 or RSA: the API key's private key.
  explicit RequestSigner(PrivateKey key);
  ~RequestSigner();
  RequestSigner(const RequestSigner&) = delete;
  RequestSigner& operator=(const RequestSigner&) = delete;

  ApiKeyType key_type() const { return type_; }
  // The `signature` value for `payload`: lower-case hex for HMAC, base64 for Ed25519 and RSA
  // (not yet percent-encoded: a WebSocket API request carries it as a JSON string).
  std::string signature(std::string_view payload);
  // REST: appends `recvWindow`, `timestamp` and then `signature` over everything before it
  // (percent-encoded, since base64 has '+', '/' and '=').
  void sign(QueryString& query, int64_t timestamp_ms, int64_t recv_window_ms);

 private:
  struct Contexts;
  ApiKeyType type_ = ApiKeyType::kHmac;
  std::unique_ptr<Contexts> contexts_;
  std::optional<PrivateKey> private_key_;
};

// WebSocket API signature payload: every param but `signature`, sorted by name, as
// `name=value&...` with the values' UTF-8 bytes as they are (web-socket-api.md "SIGNED request
// example": no percent-encoding there, unlike REST).
std::string websocket_signature_payload(std::vector<std::pair<std::string, std::string>> params);

}  // namespace cephalo::exchange
