// Each indicator's lookback (index of its first value) is TA-Lib's, derived by hand per indicator.
#include <doctest/doctest.h>

#include <cmath>

#include "indicator_test_support.hpp"

namespace cephalo {
namespace {

struct Expected {
  const char* item;
  size_t lookback;
};

// Derivations (N = period):
//   SMA/WMA/BBANDS/CCI/WILLR: a full window of N bars ends at bar N-1.
//   EMA: seeded with the SMA of the first N bars, so also N-1.
//   RSI/ROC/MFI/ATR: N changes (or flows, true ranges) need N+1 bars: N.
//   MACD: the slow EMA starts at slow-1, the signal needs `signal` MACD values: slow-1+signal-1.
//   STOCH: fast %K at fastk-1, each SMA smoothing adds period-1: 13+2+2 for 14,3,3.
//   ADX: N-1 bars of DM/TR seed sums, then N DX values: 2N-1.
//   OBV: starts at the first bar's volume: 0.
constexpr Expected kExpected[] = {
    {"sma:10", 9},        {"sma:50", 49},      {"ema:20", 19}, {"rsi:14", 14},
    {"macd:12:26:9", 33}, {"bbands:20:2", 19}, {"atr:14", 14}, {"stoch:14:3:3", 17},
    {"wma:20", 19},       {"adx:14", 27},      {"cci:20", 19}, {"obv", 0},
    {"mfi:14", 14},       {"willr:14", 13},    {"roc:10", 10}, {"atr:1", 1},
    {"stoch:5:1:1", 4},   {"macd:5:35:1", 34},
};

TEST_CASE("every indicator's first value comes at TA-Lib's lookback") {
  const auto bars = indicator_test::load_bars("ETH_BTC-5m.csv");
  for (const auto& expected : kExpected) {
    CAPTURE(expected.item);
    auto indicator = indicator_test::make(expected.item);
    CHECK(indicator->lookback() == expected.lookback);
    // ready() turns true exactly at bar `lookback` and stays true.
    for (size_t t = 0; t < expected.lookback + 5; ++t) {
      indicator->update(bars[t]);
      CHECK(indicator->ready() == (t >= expected.lookback));
    }
  }
}

TEST_CASE("values are NaN until the lookback has passed") {
  auto indicator = indicator_test::make("macd:12:26:9");
  const auto bars = indicator_test::load_bars("XRP_USDT_USDT-1h-futures.csv");
  for (size_t t = 0; t < 33; ++t) {
    indicator->update(bars[t]);
    for (size_t i = 0; i < 3; ++i) CHECK(std::isnan(indicator->value(i)));
  }
  indicator->update(bars[33]);
  for (size_t i = 0; i < 3; ++i) CHECK(std::isfinite(indicator->value(i)));
}

}  // namespace
}  // namespace cephalo
