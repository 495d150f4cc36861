// Binance request signing: the query string as sent, and hex(HMAC-SHA256(secret, query)).
// Thread-safety: QueryString is a plain value; a RequestSigner is used by one thread at a time
// (it keeps scratch digest contexts), construct one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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

class RequestSigner {
 public:
  // The secret is hashed into the HMAC's inner and outer states once; it is not kept.
  explicit RequestSigner(std::string_view secret);
  ~RequestSigner();
  RequestSigner(const RequestSigner&) = delete;
  RequestSigner& operator=(const RequestSigner&) = delete;

  // hex(HMAC-SHA256(secret, message)), as Binance's `signature` parameter.
  std::string signature(std::string_view message);
  // Appends `recvWindow`, `timestamp` and then `signature` over everything before it.
  void sign(QueryString& query, int64_t timestamp_ms, int64_t recv_window_ms);

 private:
  struct Contexts;
  std::unique_ptr<Contexts> contexts_;
};

}  // namespace cephalo::exchange
