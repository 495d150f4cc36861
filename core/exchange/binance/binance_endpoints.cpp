// Binance spot base URLs per environment, with where each is documented.
// Thread-safety: pure functions over constant data.
#include "exchange/binance/binance_endpoints.hpp"

namespace cephalo::exchange {
namespace {

// binance/binance-spot-api-docs (master, 2026-07-21):
// - live: rest-api.md "General API Information" (https://api.binance.com), web-socket-streams.md
//   "General WSS information" (wss://stream.binance.com:9443), web-socket-api.md "General API
//   Information" (wss://ws-api.binance.com:443/ws-api/v3);
// - testnet: testnet/rest-api.md (https://testnet.binance.vision/api), testnet/CHANGELOG.md
//   (wss://stream.testnet.binance.vision/ws, wss://ws-api.testnet.binance.vision/ws-api/v3 are
//   the primary URLs; the testnet.binance.vision ones were removed in May 2025);
// - demo: demo-mode/general-info.md (https://demo-api.binance.com/api,
//   wss://demo-stream.binance.com:9443/ws, wss://demo-ws-api.binance.com/ws-api/v3).
constexpr BinanceEndpoints kEndpoints[] = {
    {"live", "https://api.binance.com", "wss://stream.binance.com:9443",
     "wss://ws-api.binance.com:443/ws-api/v3"},
    {"testnet", "https://testnet.binance.vision", "wss://stream.testnet.binance.vision",
     "wss://ws-api.testnet.binance.vision/ws-api/v3"},
    {"demo", "https://demo-api.binance.com", "wss://demo-stream.binance.com:9443",
     "wss://demo-ws-api.binance.com/ws-api/v3"},
};

}  // namespace

std::optional<BinanceEndpoints> binance_endpoints(std::string_view environment) {
  for (const BinanceEndpoints& endpoints : kEndpoints) {
    if (environment == endpoints.environment) return endpoints;
  }
  return std::nullopt;
}

}  // namespace cephalo::exchange
