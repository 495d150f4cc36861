// The faults a test can switch on in the simulator, as real venues produce them.
// Thread-safety: not thread-safe; read and changed on the simulator's I/O thread only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "model/result.hpp"

namespace cephalo::exchange_sim {

// Switched by `--faults JSON` at start and `POST /sim/faults` (same JSON) at run time. Keys:
//   "drop_websockets": true        close every WebSocket connection now (no close frame)
//   "silence_ms": N                send no WebSocket data for N ms (sockets stay open; what
//                                  would have been sent is lost, as on a stalled venue)
//   "order_5xx": N                 the next N accepted orders reply 503 (the order exists)
//   "order_5xx_status": S          the status those replies use (default 503)
//   "http_429": N, "http_418": N   the next N REST requests answer 429 / 418 with Retry-After
//                                  (418: --ban-seconds); both hold like real ones: a request
//                                  before Retry-After passes, or during the ban, is banned
//   "http_429_retry_after_s": N    Retry-After of those 429s (0, default: the rest of the minute)
//   "duplicate_order": N           the next N accepted orders reply -2010 "Duplicate order sent."
//                                  (the order exists, as when a request reached the venue twice
//                                  and the answer to the first was lost)
//   "clock_skew_ms": N             server time is wall time + N (signed); -1021 for clients that
//                                  do not track the offset
//   "order_query_hidden_ms": N     GET /api/v3/order answers -2013 for an order younger than N ms
//   "reject_websockets": bool      WebSocket upgrades are answered 503 and closed while true
//   "reset_rate_limit": true       forget used weight and any ban
//   "terminate_user_streams": true end every WebSocket API user data subscription with
//                                  eventStreamTerminated (the connection stays open)
//   "server_shutdown": true        send serverShutdown on every WebSocket API connection
//   "clear": true                  everything back to normal (applied before the other keys)
struct FaultState {
  int64_t silent_until_ms = 0;  // wall ms
  int64_t order_5xx_left = 0;
  int order_5xx_status = 503;
  int64_t http_429_left = 0;
  int64_t http_418_left = 0;
  int64_t http_429_retry_after_s = 0;
  int64_t duplicate_order_left = 0;
  int64_t clock_skew_ms = 0;
  int64_t order_query_hidden_ms = 0;
  bool reject_websockets = false;
};

// What applying a faults document asks for beyond the lasting state.
struct FaultActions {
  bool drop_websockets = false;
  bool reset_rate_limit = false;
  bool terminate_user_streams = false;
  bool server_shutdown = false;
};

// Applies `document` at wall time now_ms; unknown keys or wrong types are refused whole, so a
// typo in a test never silently leaves a fault off.
Result<FaultActions> apply_faults(FaultState& faults, const nlohmann::json& document,
                                  int64_t now_ms);
nlohmann::json faults_json(const FaultState& faults, int64_t now_ms);

}  // namespace cephalo::exchange_sim
