// Sma: simple moving average of the close (TA-Lib SMA).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// Lookback period-1. Column "sma_<period>". Exactly the price on a flat window.
class Sma final : public StreamingIndicator {
 public:
  explicit Sma(int period);  // period >= 1

  // Exactly what update() does with a bar of this close, without the virtual call: the indicator
  // service feeds SMAs, the most asked-for indicator, through it on every candle.
  void update_close(double close) {
    push(close);
    count_bar();
  }

 private:
  void on_bar(const IndicatorBar& bar) override { push(bar.close); }
  void push(double close) {
    window_.push(close);
    // sum / n, never sum * (1/n): the values stay those of TA-Lib.
    if (window_.full()) set_value(0, window_.mean());
  }
  RollingSum window_;
};

}  // namespace cephalo
