// Obv: on-balance volume (TA-Lib OBV).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// Starts at the first bar's volume (OBV[0] = volume[0], as TA-Lib), then adds the volume of an
// up-close bar and subtracts that of a down-close bar. Lookback 0. Column "obv".
class Obv final : public StreamingIndicator {
 public:
  Obv();

 private:
  void on_bar(const IndicatorBar& bar) override;
  double previous_close_ = 0;
  double total_ = 0;
};

}  // namespace cephalo
