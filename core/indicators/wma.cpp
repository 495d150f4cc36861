// Wma: linearly weighted moving average of the close.
// Thread-safety: see wma.hpp.
#include "indicators/wma.hpp"

#include <string>

namespace cephalo {

Wma::Wma(int period)
    : StreamingIndicator(static_cast<size_t>(period - 1), {"wma_" + std::to_string(period)}),
      period_(period),
      divider_(static_cast<double>(period) * (period + 1) / 2.0),
      window_(static_cast<size_t>(period)) {}

void Wma::on_bar(const IndicatorBar& bar) {
  const double x = bar.close;
  if (window_.full()) {
    // Every older value loses one unit of weight: subtract the previous window's sum.
    weighted_.add(-window_.sum().high());
    weighted_.add(-window_.sum().low());
    weighted_.add_product(x, period_);
  } else {
    // Warm-up: the k-th value (1-based) takes weight k.
    weighted_.add_product(x, static_cast<double>(bar_index() + 1));
  }
  window_.push(x);
  if (!window_.full()) return;
  if (window_.uniform()) {
    weighted_.assign_product(x, divider_);
    set_value(0, x);
  } else {
    set_value(0, weighted_.value() / divider_);
  }
}

}  // namespace cephalo
