// What one exchange simulator serves: the replayed markets, the account, fees, limits and filters.
// Thread-safety: plain values; built once before the simulator starts, then read-only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "exchange_sim/sim_amount.hpp"
#include "model/result.hpp"

namespace cephalo::exchange_sim {

// The Binance symbol filters the simulator enforces (PRICE_FILTER, LOT_SIZE, NOTIONAL,
// PERCENT_PRICE_BY_SIDE).
struct SymbolFilters {
  Units tick_size = 1;  // 0.00000001 quote
  Units min_price = 1;
  Units max_price = 100'000 * kUnitsPerWhole;
  Units step_size = 100'000;  // 0.001 base
  Units min_qty = 100'000;
  Units max_qty = 900'000 * kUnitsPerWhole;
  Units min_notional = 10'000;  // 0.0001 quote
  // PERCENT_PRICE_BY_SIDE, the same band for both sides: a limit price within [down, up] x the
  // average price (filters.md); as multipliers in units (1.0 = kUnitsPerWhole).
  Units multiplier_up = 5 * kUnitsPerWhole;
  Units multiplier_down = kUnitsPerWhole / 5;
  // The average price of PERCENT_PRICE_BY_SIDE and of a MARKET order's NOTIONAL check: the
  // volume-weighted price of this many minutes (GET /api/v3/avgPrice answers it).
  int64_t avg_price_mins = 5;
};

// One replayed market: Binance's symbol name, its two assets and its candles.
struct SimMarket {
  std::string symbol;  // "ETHBTC"
  std::string base;    // "ETH"
  std::string quote;   // "BTC"
  std::vector<OhlcvBar> bars;
  SymbolFilters filters;
};

struct SimConfig {
  std::vector<SimMarket> markets;
  std::string interval = "5m";
  int64_t interval_ms = 300'000;
  // Candle i closes i*interval/speed of wall time after the start. 0 = manual: the clock moves
  // only on POST /sim/advance, so tests can step it one candle at a time.
  double speed = 1;
  int64_t history_candles = 0;  // candles already closed at start (for warm-up and backfill)
  int port = 0;                 // 0 picks a free port
  std::string api_key;
  std::string api_secret;  // HMAC keys: the secret signatures are checked with
  // Ed25519 / RSA keys: the PEM public key signatures are checked with instead (--api-public-key).
  std::string api_public_key_pem;
  // false: a read-only key; TRADE requests (orders, cancels, order tests) answer -2015.
  bool api_key_can_trade = true;
  // exchangeInfo `status` of every symbol (enums.md "Symbol status"); orders need TRADING.
  std::string symbol_status = "TRADING";
  std::map<std::string, Units> balances;  // asset -> free amount at start
  double commission_rate = 0.001;         // charged in the asset received (Binance's default)
  // A fill takes at most this share of a candle's volume; the rest waits for later candles.
  double max_volume_share = 0.1;
  int64_t weight_limit_per_minute = 6000;  // REQUEST_WEIGHT per minute, as Binance's default
  int64_t ban_seconds = 120;               // 418 length after requests sent past a 429
  int64_t ws_idle_timeout_seconds = 60;    // a client silent this long is dropped; ping at half
  std::string faults_json;                 // applied at start, same format as POST /sim/faults
  // PEM files: when both are set, every connection is TLS (https:// and wss:// on the one port,
  // same routes); when neither is, plain http:// and ws://. The key must match the certificate.
  std::string tls_cert_file;  // the server certificate, optionally followed by its chain
  std::string tls_key_file;   // its private key, unencrypted
};

// "BTC=1,ETH=0.5" -> {BTC: 1e8, ETH: 5e7}; names the bad entry otherwise.
Result<std::map<std::string, Units>> parse_balances(const std::string& text);
// Loads each file (the core candle loader, rejecting bad rows) as the market of the symbol at the
// same position; base and quote come from the file name ("ETH_BTC-5m.csv") or, failing that, a
// known quote suffix of the symbol ("ETHBTC" -> ETH, BTC).
Result<std::vector<SimMarket>> load_markets(const std::vector<std::string>& files,
                                            const std::vector<std::string>& symbols,
                                            int64_t interval_ms);

}  // namespace cephalo::exchange_sim
