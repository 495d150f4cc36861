// Exact decimal amounts: parsing and formatting 1e-8 units.
#include "exchange_sim/sim_amount.hpp"

#include <cmath>

namespace cephalo::exchange_sim {

namespace {
__extension__ typedef unsigned __int128 UnsignedUnits;

std::string digits_of(UnsignedUnits value) {
  std::string text;
  do {
    text.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return {text.rbegin(), text.rend()};
}
}  // namespace

std::optional<Units> parse_units(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Units whole = 0;
  Units fraction = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (const char c : text) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    const int digit = c - '0';
    if (seen_point) {
      if (++fraction_digits > 8) {
        if (digit != 0) return std::nullopt;  // trailing zeros past 1e-8 change nothing
        --fraction_digits;
        continue;
      }
      fraction = fraction * 10 + digit;
    } else {
      whole = whole * 10 + digit;
      if (whole > kMaxUnits / kUnitsPerWhole) return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  for (int i = fraction_digits; i < 8; ++i) fraction *= 10;
  return whole * kUnitsPerWhole + fraction;
}

std::string format_units(Units units) {
  const bool negative = units < 0;
  const UnsignedUnits magnitude = negative ? UnsignedUnits{0} - static_cast<UnsignedUnits>(units)
                                           : static_cast<UnsignedUnits>(units);
  std::string fraction = digits_of(magnitude % kUnitsPerWhole);
  fraction.insert(0, 8 - fraction.size(), '0');
  return (negative ? "-" : "") + digits_of(magnitude / kUnitsPerWhole) + "." + fraction;
}

Units units_from_double(double value) {
  // std::round, not llround: 2.1e11 whole units is 2.1e19 units, past int64.
  return static_cast<Units>(std::round(value * static_cast<double>(kUnitsPerWhole)));
}

double units_to_double(Units units) {
  return static_cast<double>(units) / static_cast<double>(kUnitsPerWhole);
}

Units mul_units_floor(Units quantity, Units price) {
  // Orders passed the filters first (maxQty, maxPrice), so the product stays far below 2^127.
  return quantity * price / kUnitsPerWhole;
}

Units mul_units_ceil(Units quantity, Units price) {
  return (quantity * price + kUnitsPerWhole - 1) / kUnitsPerWhole;
}

}  // namespace cephalo::exchange_sim
