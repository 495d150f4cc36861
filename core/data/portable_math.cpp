#include "data/portable_math.hpp"

#include <cmath>

namespace cephalo {
namespace {

// ln 2 split so that k * kLn2High is exact for |k| < 2^11 (the low bits of kLn2High are zero).
constexpr double kLn2High = 6.93147180369123816490e-01;
constexpr double kLn2Low = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;

}  // namespace

double portable_exp(double x) {
  // x = k ln2 + r with |r| <= ln2 / 2, then e^x = 2^k e^r; ldexp is exact.
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2High) - k * kLn2Low;
  // Taylor series to r^14 / 14!: the next term is below 1e-17 relative for |r| <= 0.35.
  double sum = 1.0;
  for (int n = 14; n >= 1; --n) sum = 1.0 + sum * r / static_cast<double>(n);
  return std::ldexp(sum, static_cast<int>(k));
}

double portable_log(double x) {
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)), then ln x = e ln2 + ln m, and
  // ln m = 2 atanh(f) = 2 (f + f^3/3 + f^5/5 + ...) with f = (m - 1) / (m + 1), |f| <= 0.172.
  int exponent = 0;
  double m = std::frexp(x, &exponent);
  if (m < kSqrtHalf) {
    m *= 2.0;
    --exponent;
  }
  const double f = (m - 1.0) / (m + 1.0);
  const double f2 = f * f;
  // 12 terms: f2^12 / 25 is below 1e-19.
  double series = 1.0 / 25.0;
  for (int n = 11; n >= 0; --n) series = 1.0 / static_cast<double>(2 * n + 1) + f2 * series;
  const double e = static_cast<double>(exponent);
  return e * kLn2High + (2.0 * f * series + e * kLn2Low);
}

}  // namespace cephalo
