// Mfi: money flow index.
// Thread-safety: see mfi.hpp.
#include "indicators/mfi.hpp"

#include <cmath>
#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Mfi::Mfi(int period)
    : StreamingIndicator(static_cast<size_t>(period), {"mfi_" + std::to_string(period)}),
      positive_(static_cast<size_t>(period)),
      negative_(static_cast<size_t>(period)) {}

void Mfi::on_bar(const IndicatorBar& bar) {
  const double typical = (bar.high + bar.low + bar.close) / 3.0;
  const double change = typical - previous_typical_;
  const double scale = std::fabs(typical) + std::fabs(previous_typical_);
  previous_typical_ = typical;
  if (bar_index() == 0) return;

  const double flow = std::fabs(change) <= kTaLibEpsilon * scale ? 0.0 : typical * bar.volume;
  // A window with no flow on one side holds only zeros, and RollingSum then reads exactly 0.
  positive_.push(change < 0.0 ? 0.0 : flow);
  negative_.push(change < 0.0 ? flow : 0.0);
  if (!positive_.full()) return;

  const double positive = positive_.sum().value();
  const double total = positive + negative_.sum().value();
  if (total <= 0.0) {
    set_value(0, 0.0);
    return;
  }
  // Keeps the index inside [0, 100] even when a near-zero sum rounds slightly negative.
  const double clamped = positive < 0.0 ? 0.0 : (positive > total ? total : positive);
  set_value(0, 100.0 * (clamped / total));
}

}  // namespace cephalo
