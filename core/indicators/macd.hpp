// Macd: MACD line, signal and histogram of the close (TA-Lib MACD).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/ema.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// As TA-Lib: both EMAs start together at bar slow-1, the slow one seeded with the SMA of the
// first `slow` closes and the fast one with the SMA of the last `fast` of those; the signal EMA
// is seeded with the SMA of the first `signal` MACD values. Lookback (slow-1) + (signal-1).
// Columns macd_F_S_G, macd_signal_F_S_G, macd_hist_F_S_G (hist = macd - signal).
class Macd final : public StreamingIndicator {
 public:
  Macd(int fast, int slow, int signal);  // 2 <= fast < slow, signal >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  uint64_t fast_;
  uint64_t slow_;
  uint64_t signal_;
  double fast_seed_sum_ = 0;
  double slow_seed_sum_ = 0;
  double signal_seed_sum_ = 0;
  EmaState fast_ema_;
  EmaState slow_ema_;
  EmaState signal_ema_;
};

}  // namespace cephalo
