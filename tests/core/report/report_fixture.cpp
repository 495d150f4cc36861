#include "report_fixture.hpp"

#include <algorithm>

namespace cephalo::test {

CandleSeries make_series(const char* pair, int64_t first_ns, double first_open,
                         const std::vector<double>& closes) {
  CandleSeries series;
  series.pair = pair;
  series.timeframe = "1h";
  double open = first_open;
  for (size_t i = 0; i < closes.size(); ++i) {
    series.open_time_ns.push_back(first_ns + static_cast<int64_t>(i) * kHourNs);
    series.open.push_back(open);
    series.high.push_back(std::max(open, closes[i]) * 1.01);
    series.low.push_back(std::min(open, closes[i]) * 0.99);
    series.close.push_back(closes[i]);
    series.volume.push_back(10);
    open = closes[i];
  }
  return series;
}

BacktestInput sample_backtest() {
  BacktestInput input;
  input.strategy_name = "sma_crossover";
  input.config_file = "config/examples/backtest.yaml";
  input.quote_currency = "USDT";
  input.starting_cash = 1000;
  input.final_equity = 1200;
  input.bars = 20;
  input.start_time_ns = kT0Ns;
  input.end_time_ns = kT0Ns + 9 * kHourNs;
  input.bar_interval_ns = kHourNs;
  const double equity[] = {1000, 1100, 990, 1050, 1210, 1100, 968, 1000, 1250, 1200};
  for (int i = 0; i < 10; ++i) input.equity.push_back({kT0Ns + i * kHourNs, equity[i]});
  auto trade = [](const char* pair, int entry_h, int exit_h, double entry, double exit,
                  double quantity, double fees, double pnl, const char* reason) {
    return ClosedTrade{pair,  kT0Ns + entry_h * kHourNs,
                       entry, kT0Ns + exit_h * kHourNs,
                       exit,  quantity,
                       fees,  pnl,
                       reason};
  };
  input.trades = {trade("BTC/USDT", 1, 3, 100, 110, 1, 1.0, 9.0, "signal"),
                  trade("ETH/USDT", 2, 6, 50, 45, 2, 0.5, -10.5, "stop_loss"),
                  trade("BTC/USDT", 7, 8, 100, 125, 2, 1.5, 48.5, "take_profit"),
                  trade("BTC/USDT", 8, 8, 120, 120, 1, 0.0, 0.0, "signal")};
  input.open_positions = {OpenPosition{"ETH/USDT", kT0Ns + 9 * kHourNs, 40, 1, 0.2, 42, 1.8}};
  input.rejected_orders = {
      RejectedOrder{"ETH/USDT", kT0Ns + 4 * kHourNs, "buy", 100, 49, "insufficient cash"}};
  input.candles = {
      make_series("BTC/USDT", kT0Ns, 100, {100, 105, 95, 110, 120, 115, 90, 100, 125, 130}),
      make_series("ETH/USDT", kT0Ns, 50, {50, 48, 45, 47, 49, 50, 46, 44, 40, 42})};
  return input;
}

BacktestInput flat_backtest() {
  BacktestInput input;
  input.strategy_name = "idle";
  input.quote_currency = "USDT";
  input.starting_cash = 1000;
  input.final_equity = 1000;
  input.bars = 10;
  input.start_time_ns = kT0Ns;
  input.end_time_ns = kT0Ns + 9 * kHourNs;
  input.bar_interval_ns = kHourNs;
  for (int i = 0; i < 10; ++i) input.equity.push_back({kT0Ns + i * kHourNs, 1000});
  return input;
}

}  // namespace cephalo::test
