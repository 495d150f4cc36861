// Exact decimal parsing, printing and step rounding for venue prices and quantities.
// Thread-safety: pure functions.
#include "exchange/decimal.hpp"

#include <cmath>
#include <limits>

namespace cephalo::exchange {
namespace {
// -Wpedantic: __int128 is a GCC/Clang extension; it keeps price * quantity exact.
__extension__ typedef __int128 Int128;
}  // namespace

bool parse_decimal_fast(std::string_view text, Decimal& out_value) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  // Accumulate in unsigned 64-bit with an explicit bound: the magnitude limit is INT64_MAX units.
  constexpr uint64_t kLimit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t integer = 0;
  size_t integer_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    integer = integer * 10 + static_cast<uint64_t>(text[i] - '0');
    if (integer > kLimit / Decimal::kOne) return false;
    ++integer_digits;
    ++i;
  }
  uint64_t fraction = 0;
  int fraction_digits = 0;
  size_t fraction_seen = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      const auto digit = static_cast<uint64_t>(text[i] - '0');
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
  const uint64_t magnitude = integer * static_cast<uint64_t>(Decimal::kOne) + fraction;
  if (magnitude > kLimit) return false;
  out_value.units = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

Result<Decimal> parse_decimal(std::string_view text, std::string_view what) {
  Decimal value;
  if (parse_decimal_fast(text, value)) return value;
  std::string shown(text.substr(0, 40));
  if (text.size() > 40) shown += "...";
  return Error{std::string(what) + ": expected a decimal number with at most 8 decimals " +
               "(like \"0.00012\"), found \"" + shown + "\""};
}

Result<Decimal> decimal_from_double(double value, std::string_view what) {
  if (!std::isfinite(value)) {
    return Error{std::string(what) + ": expected a finite number, found " +
                 (std::isnan(value) ? "NaN" : "infinity")};
  }
  const double scaled = std::round(value * static_cast<double>(Decimal::kOne));
  // 9.2e18 is the int64 bound; stay clear of the double rounding right at the edge.
  if (std::fabs(scaled) >= 9.2e18) {
    return Error{std::string(what) + ": " + std::to_string(value) +
                 " is outside the range a venue decimal can hold (about ±9.2e10)"};
  }
  return Decimal{static_cast<int64_t>(scaled)};
}

void append_decimal(std::string& out, Decimal value) {
  uint64_t magnitude =
      value.units < 0 ? 0 - static_cast<uint64_t>(value.units) : static_cast<uint64_t>(value.units);
  if (value.units < 0) out.push_back('-');
  const uint64_t integer = magnitude / static_cast<uint64_t>(Decimal::kOne);
  uint64_t fraction = magnitude % static_cast<uint64_t>(Decimal::kOne);
  char digits[24];
  int n = 0;
  uint64_t rest = integer;
  do {
    digits[n++] = static_cast<char>('0' + rest % 10);
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
  int64_t remainder = value.units % step.units;
  if (remainder < 0) remainder += step.units;
  return Decimal{value.units - remainder};
}

Decimal round_up_to(Decimal value, Decimal step) {
  const Decimal down = round_down_to(value, step);
  return down.units == value.units ? down : Decimal{down.units + step.units};
}

bool multiply(Decimal price, Decimal quantity, Decimal& out_notional) {
  const Int128 product = static_cast<Int128>(price.units) * quantity.units / Decimal::kOne;
  if (product > std::numeric_limits<int64_t>::max() ||
      product < std::numeric_limits<int64_t>::min()) {
    return false;
  }
  out_notional.units = static_cast<int64_t>(product);
  return true;
}

}  // namespace cephalo::exchange
