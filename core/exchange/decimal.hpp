// Exact venue decimals: prices and quantities as integers of 1e-8, parsed and printed without
// floats. Thread-safety: plain values and pure functions.
//
// Binance sends and expects decimal strings with at most 8 fractional digits. Holding them as a
// scaled int64 makes tick/step rounding exact and printing free of `1e-05` or
// `0.30000000000000004`. The range (about ±9.2e10) covers every spot price and quantity; anything
// larger is refused, not wrapped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo::exchange {

struct Decimal {
  static constexpr int kScale = 8;
  static constexpr int64_t kOne = 100'000'000;  // 10^kScale
  int64_t units = 0;                            // value * 10^8

  friend constexpr bool operator==(Decimal a, Decimal b) { return a.units == b.units; }
  friend constexpr auto operator<=>(Decimal a, Decimal b) { return a.units <=> b.units; }
  bool is_zero() const { return units == 0; }
  double to_double() const { return static_cast<double>(units) / static_cast<double>(kOne); }
};

// Strict: optional '-', digits, optional '.' and digits. No exponent, no spaces, no "NaN"/"Inf",
// at most 8 significant fractional digits (trailing zeros beyond are fine), no overflow.
// `what` names the field in the error ("price", "executionReport.L").
Result<Decimal> parse_decimal(std::string_view text, std::string_view what);
// Non-allocating variant for hot paths: false on any of the errors above.
bool parse_decimal_fast(std::string_view text, Decimal& out_value);

// A double from the engine to the nearest 1e-8; NaN, Inf and out-of-range are refused.
Result<Decimal> decimal_from_double(double value, std::string_view what);

// Plain positional form, trailing zeros trimmed: 0.00001 → "0.00001", 25 → "25", 1.50 → "1.5".
std::string format_decimal(Decimal value);
// Appends the same text to `out` (no temporary string).
void append_decimal(std::string& out, Decimal value);

// Integer rounding to a multiple of `step` (step > 0): down (towards -inf) or up (towards +inf).
Decimal round_down_to(Decimal value, Decimal step);
Decimal round_up_to(Decimal value, Decimal step);

// price * quantity in quote units of 1e-8, exact in 128-bit arithmetic; false on overflow.
bool multiply(Decimal price, Decimal quantity, Decimal& out_notional);

}  // namespace cephalo::exchange
