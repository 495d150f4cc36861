// Fuzz target: the Binance REST answer parsers (core/exchange/binance_json): every public
// parse_* on each input, since a venue, a proxy or a fault can put any body behind any request.
// Thread-safety: libFuzzer calls it from one thread.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "exchange/binance/binance_json.hpp"
#include "fuzz_check.hpp"

namespace ex = cephalo::exchange;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)ex::parse_server_time(body);
  (void)ex::parse_exchange_info(body);
  (void)ex::parse_order(body);
  (void)ex::parse_cancel_order(body);
  (void)ex::parse_orders(body);
  (void)ex::parse_account(body);
  (void)ex::parse_account_balances(body);
  (void)ex::parse_my_trades(body);
  (void)ex::parse_error_body(body);
  // What the strict parsers promise (binance_json.hpp): an accepted kline has its fields in
  // order; every failure says why.
  const auto klines = ex::parse_klines(body, "ETHBTC", "5m");
  if (klines.ok()) {
    for (const auto& bar : klines.value()) {
      FUZZ_CHECK(bar.symbol == "ETHBTC" && bar.interval == "5m");
    }
  } else {
    FUZZ_CHECK(!klines.error().empty());
  }
  return 0;
}
