// What a finished backtest hands to the report writers: the run's records, candles and extras.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/backtest_records.hpp"
#include "model/equity_curve.hpp"
#include "model/problems.hpp"

namespace cephalo {

// One pair's candles on the main timeframe, column-wise (all vectors have the same length).
// Times are candle open times in ns since epoch UTC; prices in quote currency, volume in base.
struct CandleSeries {
  std::string pair;
  std::string timeframe;
  std::vector<int64_t> open_time_ns;
  std::vector<double> open, high, low, close, volume;
};

struct BacktestInput {
  std::string strategy_name;
  std::string config_file;
  std::string quote_currency;
  double starting_cash = 0;  // quote currency
  double final_equity = 0;   // quote currency, cash + open positions at their last close
  int64_t bars = 0;          // candles processed, all pairs together
  int64_t start_time_ns = 0;
  int64_t end_time_ns = 0;
  int64_t bar_interval_ns = 0;  // of the main timeframe; annualises Sharpe and Sortino
  std::vector<ClosedTrade> trades;
  std::vector<OpenPosition> open_positions;
  std::vector<RejectedOrder> rejected_orders;
  // One point per bar time, in time order; a run's curve is downsampled beyond
  // EquityCurve::kDefaultMaxPoints (each kept point the last of its bucket of consecutive points).
  std::vector<EquityPoint> equity;
  // A run's figures streamed over every point (exact whatever the downsampling); null when the
  // input is built by hand, and the metrics then stream `equity` themselves.
  std::optional<EquityStats> equity_stats;
  // With equity_stats: per point of `equity`, the deepest drawdown within its bucket.
  std::vector<double> equity_drawdown;
  std::vector<CandleSeries> candles;  // one per pair, for the charts and buy-and-hold
  // What went wrong without stopping the run (quarantines, rolled-back swaps, dropped events).
  // Empty for a clean run, and then absent from every report, so a clean report stays as it was.
  std::vector<Problem> problems;
  // Sections other parts add (e.g. "risk": {...}, "slots": [...]). An object (or null); its keys
  // are copied as-is to the top level of the JSON report and must not reuse a report key.
  nlohmann::json extra;
};

}  // namespace cephalo
