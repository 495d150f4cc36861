// RollingSum: the latest N values of a series with their compensated sum and mean, exact on flats.
// Thread-safety: a plain value; single-threaded use.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "indicators/compensated_sum.hpp"

namespace cephalo {

// The window's storage is allocated once here; push() never allocates.
//
// Exactness on flat stretches: when the whole window holds one value the mean is that value, bit
// for bit, and the sums restart from it, so SMA(10) == SMA(50) == price on a long flat market
// whatever came before (a crossover is never triggered by rounding noise).
class RollingSum {
 public:
  // track_squares: also keep the exact sum of squares, for variance().
  explicit RollingSum(size_t length, bool track_squares = false);

  // Adds x; once the window is full, the oldest value leaves it. Inline: every moving average
  // pushes once per candle.
  void push(double x) {
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

    // No run_ > 0 test: before the first push run_ is 0, so run_ + 1 is the 1 it would give.
    run_ = x == last_ ? run_ + 1 : 1;
    last_ = x;
    if (run_ >= length) {
      restart_flat(x);
    } else {
      sum_.add(x);
      if (track_squares_) squares_.add_product(x, x);
    }
  }

  size_t length() const { return ring_.size(); }
  bool full() const { return count_ == ring_.size(); }
  // The window holds length() copies of one value.
  bool uniform() const { return run_ >= ring_.size(); }

  // Precondition for the next three: full().
  double mean() const { return uniform() ? last_ : sum_.value() / static_cast<double>(count_); }
  // Population variance, 0 exactly on a flat window. mean(x^2) - mean^2 loses every digit when
  // the window is nearly flat (a 1-satoshi wiggle at 0.09); it is evaluated in double-double
  // from sums whose squares went in exactly, so it stays accurate there.
  double variance() const;
  const CompensatedSum& sum() const { return sum_; }

  // The stored values in storage order (not time order): for whole-window scans such as a
  // mean deviation, where the order does not matter.
  const std::vector<double>& values() const { return ring_; }
  // The value that the next push() evicts; precondition: full().
  double oldest() const { return ring_[next_]; }

 private:
  // A flat window of x: restarts the sums from it so no residue of the past survives. Out of
  // line: its fma calls would otherwise make every push save and restore registers.
  void restart_flat(double x);

  std::vector<double> ring_;
  size_t next_ = 0;   // slot of the next push = slot of the oldest value once full
  size_t count_ = 0;  // values held, <= length()
  CompensatedSum sum_;
  CompensatedSum squares_;
  bool track_squares_;
  double last_ = 0;
  size_t run_ = 0;  // how many of the latest pushes equal last_
};

}  // namespace cephalo
