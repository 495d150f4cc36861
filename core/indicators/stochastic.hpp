// Stochastic: slow stochastic %K and %D (TA-Lib STOCH with SMA smoothing, its defaults).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/rolling_extreme.hpp"
#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// fast %K = 100*(C - LL)/(HH - LL) over `fastk` bars (0 when HH == LL, as TA-Lib);
// slow %K = SMA(fast %K, slowk); slow %D = SMA(slow %K, slowd).
// Lookback (fastk-1) + (slowk-1) + (slowd-1). Columns stoch_k_F_K_D, stoch_d_F_K_D.
class Stochastic final : public StreamingIndicator {
 public:
  Stochastic(int fastk, int slowk, int slowd);  // each >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  RollingHighest highest_;
  RollingLowest lowest_;
  RollingSum slow_k_;
  RollingSum slow_d_;
  uint64_t fastk_;
};

}  // namespace cephalo
