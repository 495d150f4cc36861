// RollingSum: the latest N values with their compensated sum and mean, exact on flats.
// Thread-safety: see rolling_sum.hpp.
#include "indicators/rolling_sum.hpp"

#include <cmath>

namespace cephalo {

RollingSum::RollingSum(size_t length, bool track_squares)
    : ring_(length == 0 ? 1 : length, 0.0), track_squares_(track_squares) {}

void RollingSum::restart_flat(double x) {
  const auto n = static_cast<double>(ring_.size());
  sum_.assign_product(x, n);
  if (track_squares_) {
    // x*x = square + error exactly; both parts times n are added exactly.
    const double square = x * x;
    squares_.assign_product(square, n);
    squares_.add_product(std::fma(x, x, -square), n);
  }
}

double RollingSum::variance() const {
  if (uniform()) return 0.0;
  const auto n = static_cast<double>(count_);
  // sum^2 / n as the double-double (square_high + square_low) / n.
  const double h1 = sum_.high();
  const double square_high = h1 * h1;
  const double square_low = std::fma(h1, h1, -square_high) + 2.0 * h1 * sum_.low();
  const double quotient_high = square_high / n;
  const double remainder = std::fma(-quotient_high, n, square_high);  // exact
  const double quotient_low = (remainder + square_low) / n;
  // The high parts nearly cancel exactly when the window is nearly flat (Sterbenz): no loss.
  const double scaled = (squares_.high() - quotient_high) + (squares_.low() - quotient_low);
  return scaled > 0.0 ? scaled / n : 0.0;
}

}  // namespace cephalo
