// Exact decimal parsing, printing and step rounding for venue prices and quantities.
// Thread-safety: pure functions.
#include "exchange/decimal.hpp"

#include <cmath>

namespace cephalo::exchange {
namespace {
__extension__ typedef unsigned __int128 UnsignedUnits;
}  // namespace

bool parse_decimal_fast(std::string_view text, Decimal& out_value) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  constexpr DecimalUnits kMaxWhole = Decimal::kMaxUnits / Decimal::kOne;
  DecimalUnits integer = 0;
  size_t integer_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    integer = integer * 10 + (text[i] - '0');
    if (integer > kMaxWhole) return false;  // checked every digit: no wrap before the check
    ++integer_digits;
    ++i;
  }
  int64_t fraction = 0;
  int fraction_digits = 0;
  size_t fraction_seen = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      const int digit = text[i] - '0';
      if (fraction_digits < Decimal::kScale) {
        fraction = fraction * 10 + digit;
        ++fraction_digits;
      } else if (digit != 0) {
        return false;  // more precision than 1e-8: refusing beats silently rounding a venue value
      }
      ++fraction_seen;
      ++i;
    }
    if (fraction_seen == 0) return false;
  }
  if (i != text.size() || integer_digits == 0) return false;
  for (int k = fraction_digits; k < Decimal::kScale; ++k) fraction *= 10;
  const DecimalUnits magnitude = integer * Decimal::kOne + fraction;
  if (magnitude > Decimal::kMaxUnits) return false;
  out_value.units = negative ? -magnitude : magnitude;
  return true;
}

Result<Decimal> parse_decimal(std::string_view text, std::string_view what) {
  Decimal value;
  if (parse_decimal_fast(text, value)) return value;
  std::string shown(text.substr(0, 40));
  if (text.size() > 40) shown += "...";
  return Error{std::string(what) + ": expected a decimal number with at most 8 decimals " +
               "and at most 28 integer digits (like \"0.00012\"), found \"" + shown + "\""};
}

Result<Decimal> decimal_from_double(double value, std::string_view what) {
  if (!std::isfinite(value)) {
    return Error{std::string(what) + ": expected a finite number, found " +
                 (std::isnan(value) ? "NaN" : "infinity")};
  }
  const double scaled = std::round(value * static_cast<double>(Decimal::kOne));
  if (std::fabs(scaled) >= 1e36) {
    return Error{std::string(what) + ": " + std::to_string(value) +
                 " is outside the range a venue decimal can hold (1e28)"};
  }
  return Decimal{static_cast<DecimalUnits>(scaled)};
}

void append_decimal(std::string& out, Decimal value) {
  UnsignedUnits magnitude = value.units < 0 ? UnsignedUnits(0) - static_cast<UnsignedUnits>(value.units)
                                            : static_cast<UnsignedUnits>(value.units);
  if (value.units < 0) out.push_back('-');
  const UnsignedUnits integer = magnitude / static_cast<UnsignedUnits>(Decimal::kOne);
  auto fraction = static_cast<uint64_t>(magnitude % static_cast<UnsignedUnits>(Decimal::kOne));
  char digits[48];
  int n = 0;
  UnsignedUnits rest = integer;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(rest % 10));
    rest /= 10;
  } while (rest != 0);
  while (n > 0) out.push_back(digits[--n]);
  if (fraction == 0) return;
  int width = Decimal::kScale;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --width;
  }
  out.push_back('.');
  char fraction_digits[Decimal::kScale];
  for (int k = width - 1; k >= 0; --k) {
    fraction_digits[k] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.append(fraction_digits, static_cast<size_t>(width));
}

std::string format_decimal(Decimal value) {
  std::string text;
  append_decimal(text, value);
  return text;
}

Decimal round_down_to(Decimal value, Decimal step) {
  if (step.units <= 0) return value;
  DecimalUnits remainder = value.units % step.units;
  if (remainder < 0) remainder += step.units;
  return Decimal{value.units - remainder};
}

Decimal round_up_to(Decimal value, Decimal step) {
  const Decimal down = round_down_to(value, step);
  return down.units == value.units ? down : Decimal{down.units + step.units};
}

bool multiply(Decimal price, Decimal quantity, Decimal& out_notional) {
  DecimalUnits product = 0;
  if (__builtin_mul_overflow(price.units, quantity.units, &product)) return false;
  product /= Decimal::kOne;
  if (product > Decimal::kMaxUnits || product < -Decimal::kMaxUnits) return false;
  out_notional.units = product;
  return true;
}

}  // namespace cephalo::exchange
