// Roc: rate of change of the close in percent (TA-Lib ROC).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include <vector>

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// ROC = (C / C[period bars ago] - 1) * 100; 0 when that old close is 0, as TA-Lib.
// Lookback period. Column "roc_<period>".
class Roc final : public StreamingIndicator {
 public:
  explicit Roc(int period);  // period >= 1

 private:
  void on_bar(const IndicatorBar& bar) override;
  std::vector<double> closes_;  // ring of the last `period` closes
  size_t next_ = 0;
};

}  // namespace cephalo
