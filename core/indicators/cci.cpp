// Cci: commodity channel index of the typical price.
// Thread-safety: see cci.hpp.
#include "indicators/cci.hpp"

#include <cmath>
#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Cci::Cci(int period)
    : StreamingIndicator(static_cast<size_t>(period - 1), {"cci_" + std::to_string(period)}),
      period_(period),
      window_(static_cast<size_t>(period)) {}

void Cci::on_bar(const IndicatorBar& bar) {
  const double typical = (bar.high + bar.low + bar.close) / 3;
  window_.push(typical);
  if (!window_.full()) return;
  const double mean = window_.mean();
  double deviation_sum = 0;
  for (const double x : window_.values()) deviation_sum += std::fabs(x - mean);
  const double distance = typical - mean;
  const bool defined = !ta_is_zero(distance) && !ta_is_zero(deviation_sum);
  set_value(0, defined ? distance / (0.015 * (deviation_sum / period_)) : 0.0);
}

}  // namespace cephalo
