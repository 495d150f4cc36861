// Binance error answers mapped to what the caller must do about them.
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cephalo::exchange {

enum class VenueErrorKind {
  kNone,
  kNotSent,         // refused locally (filters, rate limit, ban): nothing left this process
  kUnknownOutcome,  // timeout, 5xx, broken connection after sending: the order may exist
  kRejected,        // the venue answered and refused (e.g. insufficient balance, -1013)
  kDuplicateOrder,  // -2010 "Duplicate order sent.": the client id is already in use
  kOrderNotFound,   // -2013 / -2011: the venue does not know the order (yet)
  kTimestamp,       // -1021: outside recvWindow; the server-time offset must be refreshed
  kSignature,       // -1022
  kUnauthorized,    // -2014 / -2015: API key missing, invalid or without permission
  kRateLimited,     // 429 / -1003
  kBanned,          // 418
  kMalformed,       // the answer broke the protocol (bad JSON, NaN, overflow, missing field)
  kTransport,       // could not connect; for reads only (a send that may have left is unknown)
};

struct VenueError {
  VenueErrorKind kind = VenueErrorKind::kNone;
  int http_status = 0;
  int code = 0;  // Binance's error code, 0 when none
  std::string message;
};

const char* venue_error_kind_name(VenueErrorKind kind);

// Maps an HTTP status and Binance's {"code","msg"} to a kind. `is_order_placement` turns
// ambiguous answers (5xx, -1007 "timeout waiting for response") into kUnknownOutcome.
VenueErrorKind classify_venue_error(int http_status, int code, std::string_view message,
                                    bool is_order_placement);

// Either a value or a VenueError. Result<T> carries only text; callers here must branch on the
// kind (an unknown placement is resolved by a query, a rejected one is final), hence this type.
template <class T>
struct VenueResult {
  std::optional<T> value;
  VenueError error;

  static VenueResult success(T v) { return VenueResult{std::move(v), {}}; }
  static VenueResult failure(VenueError e) { return VenueResult{std::nullopt, std::move(e)}; }
  bool ok() const { return value.has_value(); }
};

}  // namespace cephalo::exchange
