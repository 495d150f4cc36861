// The checks Binance makes on SIGNED and USER_STREAM requests: API key, signature, timestamp.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange_sim/query_params.hpp"
#include "exchange_sim/sim_error.hpp"

namespace cephalo::exchange_sim {

// X-MBX-APIKEY: missing or malformed -> -2014, not the simulator's key -> -2015 (HTTP 401).
std::optional<ApiError> check_api_key(const std::string* header, const std::string& expected);
// Whether `signature` signs `payload` with the account's key (HMAC hex, or base64 Ed25519/RSA).
using SignatureCheck = std::function<bool(std::string_view payload, std::string_view signature)>;

// signature over totalParams without the signature (REST: the percent-encoded text as sent)
// -> else -1022; then Binance's timing rule (check_timing).
std::optional<ApiError> check_signed(const QueryParams& params, const SignatureCheck& valid,
                                     int64_t server_time_ms);
// Accepted when timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow
// (default 5000, at most 60000) -> else -1021 (or -1131 for a bad recvWindow).
std::optional<ApiError> check_timing(int64_t timestamp_ms, int64_t recv_window_ms,
                                     int64_t server_time_ms);
// The WebSocket API's signature payload: params sorted by name, `name=value` joined by '&',
// values as they are (web-socket-api.md "SIGNED request example"), signature left out.
std::string websocket_payload(std::vector<std::pair<std::string, std::string>> params);

}  // namespace cephalo::exchange_sim
