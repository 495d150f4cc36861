// Wma: linearly weighted moving average of the close, weights 1..N oldest to newest (TA-Lib WMA).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/compensated_sum.hpp"
#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// O(1) per bar: the weighted sum moves by N*new - (plain sum of the previous window), both kept
// compensated and the product added exactly, so it does not drift. Lookback period-1.
// Column "wma_<period>".
class Wma final : public StreamingIndicator {
 public:
  explicit Wma(int period);  // period >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  double period_;
  double divider_;  // 1 + 2 + ... + period
  RollingSum window_;
  CompensatedSum weighted_;
};

}  // namespace cephalo
