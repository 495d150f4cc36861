// Atr: Wilder's average true range (TA-Lib ATR).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// The first bar has no previous close, so its true range is not used: the first ATR (bar
// `period`) is the mean of the true ranges of bars 1..period, then avg = (avg*(N-1) + TR)/N.
// Period 1 is the plain true range. Lookback period. Column "atr_<period>".
class Atr final : public StreamingIndicator {
 public:
  explicit Atr(int period);  // period >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  double period_;
  double previous_close_ = 0;
  double average_ = 0;
};

}  // namespace cephalo
