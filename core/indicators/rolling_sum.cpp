// RollingSum: the latest N values with their compensated sum and mean, exact on flats.
// Thread-safety: see rolling_sum.hpp.
#include "indicators/rolling_sum.hpp"

#include <cmath>

namespace cephalo {

RollingSum::RollingSum(size_t length, bool track_squares)
    : ring_(length == 0 ? 1 : length, 0.0), track_squares_(track_squares) {}

void RollingSum::push(double x) {
  const size_t length = ring_.size();
  if (count_ == length) {
    const double old = ring_[next_];
    sum_.add(-old);
    if (track_squares_) squares_.add_product(-old, old);
  } else {
    ++count_;
  }
  ring_[next_] = x;
  next_ = next_ + 1 == length ? 0 : next_ + 1;

  run_ = (run_ > 0 && x == last_) ? run_ + 1 : 1;
  last_ = x;
  if (run_ >= length) {
    // A flat window: restart the sums from it so no residue of the past survives.
    const auto n = static_cast<double>(length);
    sum_.assign_product(x, n);
    if (track_squares_) {
      // x*x = square + error exactly; both parts times n are added exactly.
      const double square = x * x;
      squares_.assign_product(square, n);
      squares_.add_product(std::fma(x, x, -square), n);
    }
  } else {
    sum_.add(x);
    if (track_squares_) squares_.add_product(x, x);
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
