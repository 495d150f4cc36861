// Hand-made backtests whose metrics are worked out by hand in the tests (see each test's comment).
// Thread-safety: plain functions returning new values.
#pragma once

#include <cstdint>

#include "report/backtest_report.hpp"

namespace cephalo::test {

constexpr int64_t kHourNs = 3'600'000'000'000;
constexpr int64_t kT0Ns = 1'700'000'000'000'000'000;  // 2023-11-14 22:13:20 UTC

// 10 hourly bars starting at kT0Ns, starting cash 1000 USDT, final equity 1200;
// equity 1000 1100 990 1050 1210 1100 968 1000 1250 1200;
// four closed trades (BTC/USDT win, ETH/USDT loss, BTC/USDT win, BTC/USDT breakeven within one
// bar), one ETH/USDT position still open, one rejected order;
// candles: BTC/USDT opens at 100 and closes 100 105 95 110 120 115 90 100 125 130,
// ETH/USDT opens at 50 and closes 50 48 45 47 49 50 46 44 40 42.
BacktestInput sample_backtest();

// The same period with no trades, no candles and equity flat at 1000.
BacktestInput flat_backtest();

CandleSeries make_series(const char* pair, int64_t first_ns, double first_open,
                         const std::vector<double>& closes);

}  // namespace cephalo::test
