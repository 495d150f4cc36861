// Adx: Wilder's average directional index.
// Thread-safety: see adx.hpp.
#include "indicators/adx.hpp"

#include <cmath>
#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

Adx::Adx(int period)
    : StreamingIndicator(static_cast<size_t>(2 * period - 1), {"adx_" + std::to_string(period)}),
      period_(period) {}

void Adx::on_bar(const IndicatorBar& bar) {
  const uint64_t i = bar_index();
  const double up_move = bar.high - previous_high_;
  const double down_move = previous_low_ - bar.low;
  const double range = true_range(bar.high, bar.low, previous_close_);
  previous_high_ = bar.high;
  previous_low_ = bar.low;
  previous_close_ = bar.close;
  if (i == 0) return;

  const auto period = static_cast<uint64_t>(period_);
  const bool seeding = i < period;  // bars 1..N-1 only add up
  if (!seeding) {
    minus_dm_ -= minus_dm_ / period_;
    plus_dm_ -= plus_dm_ / period_;
  }
  // Only the larger move counts, and only when positive; a tie counts for neither.
  if (down_move > 0 && up_move < down_move) {
    minus_dm_ += down_move;
  } else if (up_move > 0 && up_move > down_move) {
    plus_dm_ += up_move;
  }
  if (seeding) {
    true_range_ += range;
    return;
  }
  true_range_ = true_range_ - true_range_ / period_ + range;

  bool have_dx = false;
  double dx = 0;
  if (!ta_is_zero(true_range_)) {
    const double minus_di = 100.0 * (minus_dm_ / true_range_);
    const double plus_di = 100.0 * (plus_dm_ / true_range_);
    const double di_sum = minus_di + plus_di;
    if (!ta_is_zero(di_sum)) {
      dx = 100.0 * (std::fabs(minus_di - plus_di) / di_sum);
      have_dx = true;
    }
  }

  const uint64_t first_output = 2 * period - 1;
  if (i < first_output) {
    if (have_dx) dx_sum_ += dx;
    return;
  }
  if (i == first_output) {
    if (have_dx) dx_sum_ += dx;
    adx_ = dx_sum_ / period_;
  } else if (have_dx) {
    adx_ = (adx_ * (period_ - 1) + dx) / period_;
  }
  set_value(0, adx_);
}

}  // namespace cephalo
