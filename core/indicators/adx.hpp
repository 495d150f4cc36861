// Adx: Wilder's average directional index (TA-Lib ADX).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// +DM/-DM and TR are Wilder sums (the first N-1 added, then sum - sum/N + today); DX =
// 100*|-DI - +DI|/(-DI + +DI); the first ADX (bar 2N-1) is the mean of the first N DX, then
// adx = (adx*(N-1) + DX)/N. A bar whose TR sum or DI sum is zero (TA-Lib's test) leaves the ADX
// unchanged, as TA-Lib. Lookback 2N-1. Column "adx_<period>".
class Adx final : public StreamingIndicator {
 public:
  explicit Adx(int period);  // period >= 2

 private:
  void on_bar(const IndicatorBar& bar) override;
  double period_;
  double previous_high_ = 0;
  double previous_low_ = 0;
  double previous_close_ = 0;
  double plus_dm_ = 0;
  double minus_dm_ = 0;
  double true_range_ = 0;
  double dx_sum_ = 0;
  double adx_ = 0;
};

}  // namespace cephalo
