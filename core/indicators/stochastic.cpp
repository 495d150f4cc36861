// Stochastic: slow stochastic %K and %D.
// Thread-safety: see stochastic.hpp.
#include "indicators/stochastic.hpp"

#include <string>

namespace cephalo {

namespace {

std::vector<std::string> stoch_columns(int fastk, int slowk, int slowd) {
  const std::string suffix =
      std::to_string(fastk) + "_" + std::to_string(slowk) + "_" + std::to_string(slowd);
  return {"stoch_k_" + suffix, "stoch_d_" + suffix};
}

}  // namespace

Stochastic::Stochastic(int fastk, int slowk, int slowd)
    : StreamingIndicator(static_cast<size_t>(fastk - 1 + slowk - 1 + slowd - 1),
                         stoch_columns(fastk, slowk, slowd)),
      highest_(static_cast<size_t>(fastk)),
      lowest_(static_cast<size_t>(fastk)),
      slow_k_(static_cast<size_t>(slowk)),
      slow_d_(static_cast<size_t>(slowd)),
      fastk_(static_cast<uint64_t>(fastk)) {}

void Stochastic::on_bar(const IndicatorBar& bar) {
  highest_.push(bar.high);
  lowest_.push(bar.low);
  if (bar_index() + 1 < fastk_) return;
  const double lowest = lowest_.value();
  // TA-Lib's form: divide by the range in percent, and a zero range reads 0.
  const double range_percent = (highest_.value() - lowest) / 100.0;
  const double fast_k = range_percent != 0.0 ? (bar.close - lowest) / range_percent : 0.0;
  slow_k_.push(fast_k);
  if (!slow_k_.full()) return;
  const double slow_k = slow_k_.mean();
  slow_d_.push(slow_k);
  if (!slow_d_.full()) return;
  set_value(0, slow_k);
  set_value(1, slow_d_.mean());
}

}  // namespace cephalo
