// Cci: commodity channel index of the typical price (TA-Lib CCI).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// CCI = (TP - SMA(TP)) / (0.015 * mean deviation), TP = (H+L+C)/3, the mean deviation taken
// around the window's own SMA; 0 when either is zero by TA-Lib's test. Lookback period-1.
// Column "cci_<period>".
//
// The one indicator here that is O(period) per bar, not O(1): the mean absolute deviation
// around a moving mean has no exact running update (every |x - mean| changes when the mean
// moves), and TA-Lib rescans the window too. It is a branch-free pass over `period` doubles.
class Cci final : public StreamingIndicator {
 public:
  explicit Cci(int period);  // period >= 2

 private:
  void on_bar(const IndicatorBar& bar) override;
  double period_;
  RollingSum window_;
};

}  // namespace cephalo
