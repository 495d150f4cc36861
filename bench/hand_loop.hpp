// The yardstick: the reference SMA crossover backtest as one plain C++ loop over the bars.
// Thread-safety: pure function.
//
// No events, no plugins, no risk, no storage: the least work that computes the same trades, so
// the pipeline's cost is measured against it. Rolling sums are plain (not compensated) here:
// the benchmark compares speed, and checks only that both find the same number of trades.
#pragma once

#include <cstdint>
#include <span>

#include "data/ohlcv_bar.hpp"

namespace cephalo::bench {

struct HandLoopResult {
  double final_equity = 0;
  int64_t trades = 0;
  int64_t rejected = 0;
};

inline HandLoopResult run_hand_loop(std::span<const OhlcvBar> bars, int fast, int slow, double cash,
                                    double fraction, double fee) {
  HandLoopResult result;
  double fast_sum = 0, slow_sum = 0, quantity = 0, last_nonzero = 0;
  int pending = 0;  // +1 buy, -1 sell at the next open
  double pending_quantity = 0;
  bool previous_ready = false;
  for (size_t t = 0; t < bars.size(); ++t) {
    const OhlcvBar& bar = bars[t];
    if (pending != 0) {
      const double value = pending_quantity * bar.open;
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
    fast_sum += bar.close;
    slow_sum += bar.close;
    if (t >= static_cast<size_t>(fast)) fast_sum -= bars[t - fast].close;
    if (t >= static_cast<size_t>(slow)) slow_sum -= bars[t - slow].close;
    if (t + 1 < static_cast<size_t>(slow)) continue;
    const double difference = fast_sum / fast - slow_sum / slow;
    if (previous_ready) {
      if (difference > 0 && last_nonzero < 0 && quantity == 0) {
        pending = 1;
        pending_quantity = fraction * cash / bar.close;
      } else if (difference < 0 && last_nonzero > 0 && quantity > 0) {
        pending = -1;
        pending_quantity = quantity;
      }
    }
    if (difference != 0) last_nonzero = difference;
    previous_ready = true;
  }
  result.final_equity = cash + quantity * (bars.empty() ? 0 : bars.back().close);
  return result;
}

}  // namespace cephalo::bench
