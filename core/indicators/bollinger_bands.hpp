// BollingerBands: SMA of the close plus/minus k population standard deviations (TA-Lib BBANDS).
// Thread-safety: single-threaded use, like every StreamingIndicator.
#pragma once

#include <string>

#include "indicators/rolling_sum.hpp"
#include "indicators/streaming_indicator.hpp"

namespace cephalo {

// Middle = SMA(period); upper/lower = middle +/- k * sqrt(mean(x^2) - middle^2), the same k up and
// down (TA-Lib's nbdevup = nbdevdn = k, matype SMA). A flat window gives exactly the price on all
// three. Lookback period-1. Columns bb_upper_P_K, bb_middle_P_K, bb_lower_P_K where K is k as the
// user wrote it ("2", "2.5").
//
// Unlike TA-Lib, a variance is treated as zero only when it is not positive: TA-Lib zeroes any
// variance below an absolute 1e-14 (1e-8 in 0.4.0), in price-squared units, which collapses the
// bands onto the middle for every coin quoted below ~1e-4 (ADA/BTC in the bundled data).
class BollingerBands final : public StreamingIndicator {
 public:
  BollingerBands(int period, double k, const std::string& k_text);  // period >= 2, k > 0

 private:
  void on_bar(const IndicatorBar& bar) override;
  double k_;
  RollingSum window_;
};

}  // namespace cephalo
