// The names of market data health events (venue_connection.hpp).
// Thread-safety: pure.
#include "exchange/venue_connection.hpp"

namespace cephalo::exchange {

const char* market_health_name(MarketHealthKind kind) {
  switch (kind) {
    case MarketHealthKind::kConnected:
      return "connected";
    case MarketHealthKind::kStale:
      return "stale";
    case MarketHealthKind::kFallback:
      return "fallback";
    case MarketHealthKind::kRecovered:
      return "recovered";
    case MarketHealthKind::kError:
      return "error";
  }
  return "?";
}

}  // namespace cephalo::exchange
