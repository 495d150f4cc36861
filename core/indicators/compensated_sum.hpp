// CompensatedSum: a running sum that carries its own rounding error (Neumaier), so add/remove
// for millions of bars does not drift.
// Thread-safety: a plain value; single-threaded use.
#pragma once

#include <cmath>

namespace cephalo {

// A moving sum kept as `sum += new - old` loses a little at every step and the losses pile up:
// after a volatile stretch a flat market no longer averages to its own price, and two averages
// that should be equal cross on rounding noise. Keeping the lost low-order part in `low_` makes
// value() as accurate as a sum computed in twice the precision.
class CompensatedSum {
 public:
  void add(double x) {
    // Knuth's TwoSum: the exact rounding error of high_ + x whichever operand is larger. Same
    // error as Neumaier's branch on the magnitudes, without a branch the CPU mispredicts on
    // every other bar of a moving sum.
    const double t = high_ + x;
    const double x_part = t - high_;
    const double high_part = t - x_part;
    low_ += (high_ - high_part) + (x - x_part);
    high_ = t;
  }
  // Adds a*b without rounding the product (its exact error goes into the compensation).
  void add_product(double a, double b) {
    const double p = a * b;
    add(p);
    low_ += std::fma(a, b, -p);
  }
  // Restarts from exactly a*b: drops any residue the history left behind.
  void assign_product(double a, double b) {
    high_ = a * b;
    low_ = std::fma(a, b, -high_);
  }

  double value() const { return high_ + low_; }
  double high() const { return high_; }
  double low() const { return low_; }

 private:
  double high_ = 0;
  double low_ = 0;
};

}  // namespace cephalo
