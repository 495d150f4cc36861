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

 private:
  void on_bar(const IndicatorBar& bar) override;
  RollingSum window_;
};

}  // namespace cephalo
