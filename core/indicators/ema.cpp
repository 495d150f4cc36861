// Ema: exponential moving average of the close.
// Thread-safety: see ema.hpp.
#include "indicators/ema.hpp"

#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Ema::Ema(int period)
    : StreamingIndicator(static_cast<size_t>(period - 1), {"ema_" + std::to_string(period)}),
      period_(period),
      state_(ema_factor(period)) {}

void Ema::on_bar(const IndicatorBar& bar) {
  const uint64_t i = bar_index();
  const auto period = static_cast<uint64_t>(period_);
  if (i < period) {
    // The seed is a plain left-to-right sum, as TA-Lib's: a one-off, so nothing drifts.
    seed_sum_ += bar.close;
    if (i + 1 == period) {
      state_.seed(seed_sum_ / period_);
      set_value(0, state_.value());
    }
    return;
  }
  set_value(0, state_.step(bar.close));
}

}  // namespace cephalo
