// Rsi: Wilder's relative strength index of the close (TA-Lib RSI).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// Average gain and loss are seeded with the simple averages of the first `period` changes, then
// Wilder-smoothed (avg = (avg*(N-1) + today)/N). RSI = 100*gain/(gain+loss); no movement at all
// (gain+loss zero by TA-Lib's test) gives 0, as TA-Lib. Lookback period. Column "rsi_<period>".
class Rsi final : public StreamingIndicator {
 public:
  explicit Rsi(int period);  // period >= 2

 private:
  void on_bar(const IndicatorBar& bar) override;
  void add_change(double change);
  void publish();
  double period_;
  double previous_close_ = 0;
  double gain_ = 0;
  double loss_ = 0;
};

}  // namespace cephalo
