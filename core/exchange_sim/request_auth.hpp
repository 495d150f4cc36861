// The checks Binance makes on SIGNED and USER_STREAM requests: API key, signature, timestamp.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "exchange_sim/query_params.hpp"
#include "exchange_sim/sim_error.hpp"

namespace cephalo::exchange_sim {

// X-MBX-APIKEY: missing or malformed -> -2014, not the simulator's key -> -2015 (HTTP 401).
std::optional<ApiError> check_api_key(const std::string* header, const std::string& expected);
// signature = hex(HMAC-SHA256(secret, totalParams without the signature)) -> else -1022;
// then Binance's timing rule: accepted when timestamp < serverTime + 1000 and
// serverTime - timestamp <= recvWindow (default 5000, at most 60000) -> else -1021.
std::optional<ApiError> check_signed(const QueryParams& params, const std::string& secret,
                                     int64_t server_time_ms);

}  // namespace cephalo::exchange_sim
