// BollingerBands: SMA of the close plus/minus k population standard deviations.
// Thread-safety: see bollinger_bands.hpp.
#include "indicators/bollinger_bands.hpp"

#include <cmath>

namespace cephalo {

namespace {

std::vector<std::string> band_columns(int period, const std::string& k_text) {
  const std::string suffix = std::to_string(period) + "_" + k_text;
  return {"bb_upper_" + suffix, "bb_middle_" + suffix, "bb_lower_" + suffix};
}

}  // namespace

BollingerBands::BollingerBands(int period, double k, const std::string& k_text)
    : StreamingIndicator(static_cast<size_t>(period - 1), band_columns(period, k_text)),
      k_(k),
      window_(static_cast<size_t>(period), /*track_squares=*/true) {}

void BollingerBands::on_bar(const IndicatorBar& bar) {
  window_.push(bar.close);
  if (!window_.full()) return;
  const double middle = window_.mean();
  const double width = std::sqrt(window_.variance()) * k_;
  set_value(0, middle + width);
  set_value(1, middle);
  set_value(2, middle - width);
}

}  // namespace cephalo
