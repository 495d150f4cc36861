// Exact venue decimals: prices, quantities, balances and volumes as 128-bit integers of 1e-8,
// parsed and printed without floats. Thread-safety: plain values and pure functions.
//
// Binance sends and expects decimal strings with at most 8 fractional digits. Holding them as a
// scaled integer makes tick/step rounding exact and printing free of `1e-05` or
// `0.30000000000000004`. The integer is 128 bits wide because int64 at 1e-8 stops at about
// 9.2e10, and real values pass that: a BTTC balance of 150,000,000,000 (about 100 USD), a PEPE
// candle volume of 2.1e11, LOT_SIZE maxQty 9e13 on such symbols. 128 bits hold ±1.7e30 whole
// units; the parser bounds values to 1e28 so sums of many never wrap, and products are checked.
// Anything larger is refused, not wrapped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo::exchange {

// -Wpedantic: __int128 is a GCC/Clang extension (the only compilers the build supports).
__extension__ typedef __int128 DecimalUnits;

struct Decimal {
  static constexpr int kScale = 8;
  static constexpr int64_t kOne = 100'000'000;  // 10^kScale
  // The largest magnitude parsed or produced: 10^28 whole units (in units: 10^36).
  static constexpr DecimalUnits kMaxUnits =
      static_cast<DecimalUnits>(1'000'000'000'000'000'000) * 1'000'000'000'000'000'000;
  DecimalUnits units = 0;  // value * 10^8

  friend constexpr bool operator==(Decimal a, Decimal b) { return a.units == b.units; }
  friend constexpr auto operator<=>(Decimal a, Decimal b) { return a.units <=> b.units; }
  bool is_zero() const { return units == 0; }
  double to_double() const { return static_cast<double>(units) / static_cast<double>(kOne); }
};

// Strict: optional '-', digits, optional '.' and digits. No exponent, no spaces, no "NaN"/"Inf",
// at most 8 significant fractional digits (trailing zeros beyond are fine), magnitude at most
// 1e28.
// `what` names the field in the error ("price", "executionReport.L").
Result<Decimal> parse_decimal(std::string_view text, std::string_view what);
// Non-allocating variant for hot paths: false on any of the errors above.
bool parse_decimal_fast(std::string_view text, Decimal& out_value);

// A double from the engine to the nearest 1e-8; NaN, Inf and out-of-range are refused.
// (The ABI's portfolio view is double: exact to 1e-8 up to about 9e7, which is why the books
// themselves stay in Decimal.)
Result<Decimal> decimal_from_double(double value, std::string_view what);

// Plain positional form, trailing zeros trimmed: 0.00001 → "0.00001", 25 → "25", 1.50 → "1.5".
std::string format_decimal(Decimal value);
// Appends the same text to `out` (no temporary string).
void append_decimal(std::string& out, Decimal value);

// Integer rounding to a multiple of `step` (step > 0): down (towards -inf) or up (towards +inf).
Decimal round_down_to(Decimal value, Decimal step);
Decimal round_up_to(Decimal value, Decimal step);

// price * quantity in quote units of 1e-8 (rounded towards zero); false when the result would
// exceed kMaxUnits.
bool multiply(Decimal price, Decimal quantity, Decimal& out_notional);

}  // namespace cephalo::exchange
