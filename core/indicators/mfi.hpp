// Mfi: money flow index (TA-Lib MFI).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// Typical price TP = (H+L+C)/3, money flow = TP * volume, counted as positive when TP rose from
// the previous bar, negative when it fell, and not at all when it did not move (within upstream
// TA-Lib's scaled dead-zone of 1e-14 * (|TP| + |previous TP|)). MFI = 100 * pos / (pos + neg)
// over the last `period` flows; 0 when there was no flow at all (zero volume). Lookback period.
// Column "mfi_<period>".
//
// TA-Lib 0.4.0 instead printed 0 whenever pos + neg < 1.0, a threshold in quote-currency units
// that upstream TA-Lib has since dropped (its issue #244); this follows upstream.
class Mfi final : public StreamingIndicator {
 public:
  explicit Mfi(int period);  // period >= 2

 private:
  void on_bar(const IndicatorBar& bar) override;
  double previous_typical_ = 0;
  RollingSum positive_;
  RollingSum negative_;
};

}  // namespace cephalo
