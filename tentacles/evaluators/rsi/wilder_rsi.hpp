// Streaming Wilder RSI (TA-Lib seeding) and its mapping to an evaluation in [-1, 1].
// Thread-safety: plain value types; one WilderRsi per series, used from one thread at a time.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace cephalo::tentacles {

// O(1) per close and no history kept, so a hot swap only has to hand over these few numbers.
class WilderRsi {
 public:
  // Everything needed to resume the series exactly, e.g. after save_state / load_state.
  struct State {
    int64_t closes_seen = 0;  // closes fed so far; saturates once warm to avoid overflow
    double previous_close = 0;
    double average_gain = 0;  // while warming up: the running sum of gains instead
    double average_loss = 0;  // while warming up: the running sum of losses instead
  };

  explicit WilderRsi(int64_t period) : period_(period) {
    if (period < 2) throw std::invalid_argument("RSI period must be at least 2");
  }
  WilderRsi(int64_t period, const State& state) : WilderRsi(period) {
    if (state.closes_seen < 0 || !std::isfinite(state.previous_close) ||
        !std::isfinite(state.average_gain) || !std::isfinite(state.average_loss) ||
        state.average_gain < 0 || state.average_loss < 0) {
      throw std::invalid_argument("invalid saved RSI state");
    }
    state_ = state;
    state_.closes_seen = std::min(state_.closes_seen, period_ + 1);
  }

  // Feeds the next close; returns the RSI in [0, 100] from the (period+1)-th close on.
  std::optional<double> update(double close) {
    if (state_.closes_seen == 0) {
      state_.previous_close = close;
      state_.closes_seen = 1;
      return std::nullopt;
    }
    const double change = close - state_.previous_close;
    const double gain = change > 0 ? change : 0.0;
    const double loss = change < 0 ? -change : 0.0;
    state_.previous_close = close;
    const auto period = static_cast<double>(period_);
    if (state_.closes_seen <= period_) {
      // TA-Lib seeds with the simple average of the first `period` changes.
      state_.average_gain += gain;
      state_.average_loss += loss;
      ++state_.closes_seen;
      if (state_.closes_seen <= period_) return std::nullopt;
      state_.average_gain /= period;
      state_.average_loss /= period;
    } else {
      state_.average_gain = (state_.average_gain * (period - 1) + gain) / period;
      state_.average_loss = (state_.average_loss * (period - 1) + loss) / period;
    }
    return rsi();
  }

  bool warm() const { return state_.closes_seen > period_; }
  int64_t period() const { return period_; }
  const State& state() const { return state_; }

 private:
  double rsi() const {
    const double total = state_.average_gain + state_.average_loss;
    // TA-Lib answers 0 for a perfectly flat market; 50 says "no opinion", which is what a flat
    // market means to the evaluation built on top.
    if (total <= 0) return 50.0;
    return 100.0 * state_.average_gain / total;
  }

  int64_t period_;
  State state_;
};

struct RsiOpinion {
  double value;       // [-1, 1], positive = bullish
  double confidence;  // [0, 1]
};

// Oversold is bullish (mean reversion): the value is linear from 0 at RSI 50 to +1 at `oversold`
// and to -1 at `overbought`, saturating beyond them. Confidence is |RSI - 50| / 50, so it keeps
// growing past the thresholds where the value is already saturated.
inline RsiOpinion rsi_opinion(double rsi, double oversold, double overbought) {
  const double distance = 50.0 - rsi;
  const double span = distance >= 0 ? 50.0 - oversold : overbought - 50.0;
  return {std::clamp(distance / span, -1.0, 1.0), std::clamp(std::fabs(distance) / 50.0, 0.0, 1.0)};
}

}  // namespace cephalo::tentacles
