// Atr: Wilder's average true range.
// Thread-safety: see atr.hpp.
#include "indicators/atr.hpp"

#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Atr::Atr(int period)
    : StreamingIndicator(static_cast<size_t>(period), {"atr_" + std::to_string(period)}),
      period_(period) {}

void Atr::on_bar(const IndicatorBar& bar) {
  const uint64_t i = bar_index();
  const double previous_close = previous_close_;
  previous_close_ = bar.close;
  if (i == 0) return;
  const double range = true_range(bar.high, bar.low, previous_close);
  const auto period = static_cast<uint64_t>(period_);
  if (i < period) {
    average_ += range;  // the seed sum, left to right as TA-Lib
    return;
  }
  if (i == period) {
    average_ = (average_ + range) / period_;
  } else {
    average_ *= period_ - 1;
    average_ += range;
    average_ /= period_;
  }
  set_value(0, average_);
}

}  // namespace cephalo
