// Rsi: Wilder's relative strength index of the close.
// Thread-safety: see rsi.hpp.
#include "indicators/rsi.hpp"

#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Rsi::Rsi(int period)
    : StreamingIndicator(static_cast<size_t>(period), {"rsi_" + std::to_string(period)}),
      period_(period) {}

void Rsi::on_bar(const IndicatorBar& bar) {
  const uint64_t i = bar_index();
  const double change = bar.close - previous_close_;
  previous_close_ = bar.close;
  if (i == 0) return;

  const auto seed_end = static_cast<uint64_t>(period_);
  if (i < seed_end) {
    add_change(change);
    return;
  }
  if (i == seed_end) {
    add_change(change);
    loss_ /= period_;
    gain_ /= period_;
  } else {
    // TA-Lib's order (multiply, add, divide) keeps the result bit-identical to it.
    loss_ *= period_ - 1;
    gain_ *= period_ - 1;
    add_change(change);
    loss_ /= period_;
    gain_ /= period_;
  }
  publish();
}

void Rsi::add_change(double change) {
  if (change < 0) {
    loss_ -= change;
  } else {
    gain_ += change;
  }
}

void Rsi::publish() {
  const double total = gain_ + loss_;
  set_value(0, ta_is_zero(total) ? 0.0 : 100.0 * (gain_ / total));
}

}  // namespace cephalo
