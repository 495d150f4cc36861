// The base URLs of Binance spot's environments (exchange.environment), as the docs give them
// today: REST, market streams and the WebSocket API (the user data stream's only home since
// 2026-02-20). One table; the config's defaults and the docs read it.
// Thread-safety: pure functions over constant data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cephalo::exchange {

struct BinanceEndpoints {
  const char* environment;  // "live", "testnet", "demo"
  const char* rest;         // base of /api/v3/...
  const char* streams;      // base of /ws/<stream> and /stream?streams=
  const char* ws_api;       // the WebSocket API endpoint itself
};

// nullopt for an unknown environment name.
std::optional<BinanceEndpoints> binance_endpoints(std::string_view environment);

}  // namespace cephalo::exchange
