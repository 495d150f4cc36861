// Roc: rate of change of the close in percent.
// Thread-safety: see roc.hpp.
#include "indicators/roc.hpp"

#include <string>

namespace cephalo {

Roc::Roc(int period)
    : StreamingIndicator(static_cast<size_t>(period), {"roc_" + std::to_string(period)}),
      closes_(static_cast<size_t>(period), 0.0) {}

void Roc::on_bar(const IndicatorBar& bar) {
  const double old = closes_[next_];
  closes_[next_] = bar.close;
  next_ = next_ + 1 == closes_.size() ? 0 : next_ + 1;
  if (bar_index() < closes_.size()) return;
  set_value(0, old != 0.0 ? ((bar.close / old) - 1.0) * 100.0 : 0.0);
}

}  // namespace cephalo
