// Ema: exponential moving average of the close (TA-Lib EMA), and the EmaState MACD reuses.
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// The recursion ((x - prev) * k) + prev in TA-Lib's operation order, with one addition: when a
// step can no longer move the average (the input sits a few ulps away and the step rounds to
// nothing) the average takes the input. TA-Lib would stay those few ulps off forever on a flat
// market; the difference is below 1e-15 relative, and a flat market now reads exactly flat.
class EmaState {
 public:
  explicit EmaState(double k) : k_(k) {}
  void seed(double value) { value_ = value; }
  double step(double x) {
    const double next = (x - value_) * k_ + value_;
    value_ = (next == value_ && x != value_) ? x : next;
    return value_;
  }
  double value() const { return value_; }

 private:
  double k_;
  double value_ = 0;
};

// Seeded with the SMA of the first `period` closes (TA-Lib's default), k = 2/(period+1).
// Lookback period-1. Column "ema_<period>".
class Ema final : public StreamingIndicator {
 public:
  explicit Ema(int period);  // period >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  int period_;
  double seed_sum_ = 0;
  EmaState state_;
};

}  // namespace cephalo
