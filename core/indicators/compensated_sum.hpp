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
    const double t = high_ + x;
    if (std::fabs(high_) >= std::fabs(x)) {
      low_ += (high_ - t) + x;
    } else {
      low_ += (x - t) + high_;
    }
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
