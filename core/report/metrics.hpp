// Performance metrics of a finished backtest, computed from its equity curve, trades and candles.
// Thread-safety: pure functions of their arguments; safe to call from any thread.
//
// No metric is NaN or infinite. A value that is undefined for the run (for instance a profit
// factor without a losing trade) is an empty optional, which the JSON report writes as null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/backtest_report.hpp"

namespace cephalo {

struct PairStats {
  std::string pair;
  int64_t trades = 0;
  int64_t wins = 0;     // trades with pnl > 0
  double win_rate = 0;  // wins / trades, 0 without trades
  double pnl = 0;       // quote currency, after fees
  double fees = 0;      // quote currency
};

struct ExitReasonStats {
  std::string reason;
  int64_t count = 0;
  double pnl = 0;  // quote currency, after fees
};

// One pair's leg of the buy-and-hold comparison: bought at its first open, valued at its last
// close.
struct BuyAndHoldPair {
  std::string pair;
  double entry_price = 0;  // first bar's open; 0 when the pair has no usable candle
  double exit_price = 0;   // last bar's close
  double quantity = 0;     // base units bought with this pair's share of the cash
  double final_value = 0;  // quote currency
  double total_return = 0;
};

// Holding every pair from the first open to the last close, before fees: what the strategy is
// measured against.
struct BuyAndHold {
  double final_value = 0;   // quote currency
  double total_return = 0;  // final_value / starting_cash - 1
  double max_drawdown = 0;  // fraction of peak, of the combined value after each bar's close
  std::vector<BuyAndHoldPair> pairs;
};

struct Metrics {
  double total_return = 0;     // final_equity / starting_cash - 1; 0 without starting cash
  std::optional<double> cagr;  // null when the period is empty or the figure overflows
  // Annualised; null with fewer than 2 returns, no bar interval, or an unbounded ratio (a zero
  // deviation with a non-zero mean). A flat curve gives 0. Formulas in metrics.cpp.
  std::optional<double> sharpe;
  std::optional<double> sortino;
  std::optional<double> calmar;  // cagr / max_drawdown; null when unbounded or cagr is null

  double max_drawdown = 0;  // deepest fall below a running peak, as a fraction of that peak
  int64_t max_drawdown_peak_time_ns = 0;    // where the deepest drawdown started (0 if none)
  int64_t max_drawdown_trough_time_ns = 0;  // and where it bottomed out
  int64_t max_drawdown_duration_ns = 0;     // longest stretch from a peak to regaining it
  int64_t max_drawdown_duration_bars = 0;   // the same stretch in equity points

  int64_t trade_count = 0;
  int64_t wins = 0;    // pnl > 0
  int64_t losses = 0;  // pnl < 0; a trade with pnl exactly 0 is neither
  double win_rate = 0;
  double gross_profit = 0;              // quote currency, sum of winning pnl
  double gross_loss = 0;                // quote currency, minus the sum of losing pnl (so >= 0)
  std::optional<double> profit_factor;  // gross_profit / gross_loss; null without losses
  double net_pnl = 0;                   // quote currency, sum of closed trades' pnl
  double total_fees = 0;                // quote currency, closed trades and open positions
  double expectancy = 0;                // quote currency per trade; 0 without trades
  double expectancy_fraction = 0;       // mean pnl / entry notional per trade; 0 without trades
  double exposure = 0;                  // fraction of equity points with a position open
  int64_t average_holding_ns = 0;       // mean exit - entry over closed trades; 0 without trades

  std::vector<PairStats> per_pair;               // sorted by pair
  std::vector<ExitReasonStats> per_exit_reason;  // sorted by reason
  BuyAndHold buy_and_hold;
};

Metrics compute_metrics(const BacktestInput& input);

// Depth below the running peak (a fraction >= 0) at each equity point, the running peak starting
// at starting_cash: the drawdown chart and max_drawdown agree by construction.
std::vector<double> drawdown_curve(const BacktestInput& input);

// Value of the buy-and-hold portfolio after each distinct candle open time of any pair, in quote
// currency, in time order. Empty without candles.
std::vector<EquityPoint> buy_and_hold_curve(const BacktestInput& input);

}  // namespace cephalo
