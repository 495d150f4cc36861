// WilliamsR: Williams %R.
// Thread-safety: see williams_r.hpp.
#include "indicators/williams_r.hpp"

#include <string>

namespace cephalo {

WilliamsR::WilliamsR(int period)
    : StreamingIndicator(static_cast<size_t>(period - 1), {"willr_" + std::to_string(period)}),
      highest_(static_cast<size_t>(period)),
      lowest_(static_cast<size_t>(period)),
      period_(static_cast<uint64_t>(period)) {}

void WilliamsR::on_bar(const IndicatorBar& bar) {
  highest_.push(bar.high);
  lowest_.push(bar.low);
  if (bar_index() + 1 < period_) return;
  const double highest = highest_.value();
  // TA-Lib's form: divide by the range over -100, and a zero range reads 0.
  const double range_percent = (highest - lowest_.value()) / -100.0;
  set_value(0, range_percent != 0.0 ? (highest - bar.close) / range_percent : 0.0);
}

}  // namespace cephalo
