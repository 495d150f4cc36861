// TA-Lib's numeric conventions shared by several indicators: its zero test, EMA factor, true range.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cmath>

namespace cephalo {

// TA-Lib turns a 0/0 (RSI with no movement, ADX with no range, CCI with no deviation) into 0
// and tests "zero" against this band. This is upstream TA-Lib's TA_EPSILON; TA-Lib 0.4.0 used
// 1e-8, which zeroes RSI/ADX on coins quoted around 1e-5 (see the report in the indicators tests).
inline constexpr double kTaLibEpsilon = 1e-14;

inline bool ta_is_zero(double v) {
  return -kTaLibEpsilon < v && v < kTaLibEpsilon;
}

// k = 2 / (period + 1), as TA-Lib's PER_TO_K.
inline double ema_factor(int period) {
  return 2.0 / static_cast<double>(period + 1);
}

// Wilder's true range, evaluated in TA-Lib's order (high-low, then the two distances to the
// previous close) so the result is bit-identical to it.
inline double true_range(double high, double low, double previous_close) {
  double greatest = high - low;
  const double to_high = std::fabs(previous_close - high);
  if (to_high > greatest) greatest = to_high;
  const double to_low = std::fabs(previous_close - low);
  if (to_low > greatest) greatest = to_low;
  return greatest;
}

}  // namespace cephalo
