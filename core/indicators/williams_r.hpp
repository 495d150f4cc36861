// WilliamsR: Williams %R (TA-Lib WILLR).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/rolling_extreme.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// %R = -100 * (HH - C) / (HH - LL) over `period` bars, in [-100, 0]; 0 when HH == LL, as
// TA-Lib. Lookback period-1. Column "willr_<period>".
class WilliamsR final : public StreamingIndicator {
 public:
  explicit WilliamsR(int period);  // period >= 2

 private:
  void on_bar(const IndicatorBar& bar) override;
  RollingHighest highest_;
  RollingLowest lowest_;
  uint64_t period_;
};

}  // namespace cephalo
