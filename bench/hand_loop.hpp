// The yardstick: the reference SMA crossover backtest as one plain C++ loop over the bars.
// Thread-safety: pure function.
//
// No events, no plugins, no risk, no storage: the least work that computes the same trades, so
// the pipeline's cost is measured against it. Rolling sums are plain (not compensated) here:
// the benchmark compares speed, and checks only that both find the same number of trades.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "data/ohlcv_bar.hpp"

namespace cephalo::bench {

struct HandLoopResult {
  double final_equity = 0;
  int64_t trades = 0;
  int64_t rejected = 0;
};

// The reference rules' account, shared by both loops: a market order fills at the next open,
// an entry the cash cannot pay for (with its fee) is rejected, signals act on crossings.
struct HandAccount {
  double cash = 0, quantity = 0, last_nonzero = 0, pending_quantity = 0;
  int pending = 0;  // +1 buy, -1 sell at the next open
  bool previous_ready = false;

  void fill_at_open(double open, double fee, HandLoopResult& result) {
    if (pending == 0) return;
    const double value = pending_quantity * open;
    const double cost = value * fee;
    if (pending > 0) {
      if (value + cost > cash) {
        ++result.rejected;
      } else {
        cash -= value + cost;
        quantity = pending_quantity;
      }
    } else {
      cash += value - cost;
      quantity = 0;
      ++result.trades;
    }
    pending = 0;
  }
  // Called on each bar where both averages exist; difference = fast - slow.
  void decide(double difference, double close, double fraction) {
    if (previous_ready) {
      if (difference > 0 && last_nonzero < 0 && quantity == 0) {
        pending = 1;
        pending_quantity = fraction * cash / close;
      } else if (difference < 0 && last_nonzero > 0 && quantity > 0) {
        pending = -1;
        pending_quantity = quantity;
      }
    }
    if (difference != 0) last_nonzero = difference;
    previous_ready = true;
  }
};

inline HandLoopResult run_hand_loop(std::span<const OhlcvBar> bars, int fast, int slow, double cash,
                                    double fraction, double fee) {
  HandLoopResult result;
  HandAccount account;
  account.cash = cash;
  double fast_sum = 0, slow_sum = 0;
  for (size_t t = 0; t < bars.size(); ++t) {
    const OhlcvBar& bar = bars[t];
    account.fill_at_open(bar.open, fee, result);
    fast_sum += bar.close;
    slow_sum += bar.close;
    if (t >= static_cast<size_t>(fast)) fast_sum -= bars[t - fast].close;
    if (t >= static_cast<size_t>(slow)) slow_sum -= bars[t - slow].close;
    if (t + 1 < static_cast<size_t>(slow)) continue;
    account.decide(fast_sum / fast - slow_sum / slow, bar.close, fraction);
  }
  result.final_equity = account.cash + account.quantity * (bars.empty() ? 0 : bars.back().close);
  return result;
}

// The same trades with the arithmetic the pipeline's report also does on every bar, still as one
// plain loop: drift-free (compensated) moving sums, as the issue requires of the SMAs; the account
// marked to the close; the return, its running mean and variance (Sharpe, Sortino) and the
// running peak and deepest drawdown. A second yardstick: what a hand-written backtester that
// reports the same figures would pay.
struct HandLoopReport {
  HandLoopResult result;
  double max_drawdown = 0;
  double return_mean = 0;
  double return_m2 = 0;
  double squared_downside = 0;
};

inline HandLoopReport run_hand_loop_with_report(std::span<const OhlcvBar> bars, int fast, int slow,
                                                double cash, double fraction, double fee) {
  HandLoopReport report;
  HandLoopResult& result = report.result;
  // Knuth's TwoSum keeps each moving sum's rounding error in a second double.
  struct Sum {
    double high = 0, low = 0;
    void add(double x) {
      const double t = high + x;
      const double x_part = t - high;
      low += (high - (t - x_part)) + (x - x_part);
      high = t;
    }
    double value() const { return high + low; }
  } fast_sum, slow_sum;
  HandAccount account;
  account.cash = cash;
  double last_equity = cash, peak = cash;
  int64_t returns = 0;
  for (size_t t = 0; t < bars.size(); ++t) {
    const OhlcvBar& bar = bars[t];
    account.fill_at_open(bar.open, fee, result);
    const double equity = account.cash + account.quantity * bar.close;
    const double r = last_equity > 0 ? equity / last_equity - 1.0 : 0.0;
    ++returns;
    const double delta = r - report.return_mean;
    report.return_mean += delta / static_cast<double>(returns);
    report.return_m2 += delta * (r - report.return_mean);
    report.squared_downside += r < 0 ? r * r : 0.0;
    last_equity = equity;
    if (equity >= peak) {
      peak = equity;
    } else if (peak > 0) {
      report.max_drawdown = std::max(report.max_drawdown, (peak - equity) / peak);
    }

    fast_sum.add(bar.close);
    slow_sum.add(bar.close);
    if (t >= static_cast<size_t>(fast)) fast_sum.add(-bars[t - fast].close);
    if (t >= static_cast<size_t>(slow)) slow_sum.add(-bars[t - slow].close);
    if (t + 1 < static_cast<size_t>(slow)) continue;
    account.decide(fast_sum.value() / fast - slow_sum.value() / slow, bar.close, fraction);
  }
  result.final_equity = account.cash + account.quantity * (bars.empty() ? 0 : bars.back().close);
  return report;
}

}  // namespace cephalo::bench
