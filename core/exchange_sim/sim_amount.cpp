// Exact decimal amounts: parsing and formatting 1e-8 units.
#include "exchange_sim/sim_amount.hpp"

#include <cmath>
#include <limits>

namespace cephalo::exchange_sim {

namespace {
// -Wpedantic refuses a bare __int128; __extension__ says it is meant (GCC and Clang both have it).
__extension__ typedef __int128 WideUnits;
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
      if (whole > (std::numeric_limits<Units>::max() / kUnitsPerWhole - digit) / 10) {
        return std::nullopt;
      }
      whole = whole * 10 + digit;
    }
  }
  if (!seen_digit) return std::nullopt;
  for (int i = fraction_digits; i < 8; ++i) fraction *= 10;
  return whole * kUnitsPerWhole + fraction;
}

std::string format_units(Units units) {
  const bool negative = units < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string fraction = std::to_string(magnitude % kUnitsPerWhole);
  fraction.insert(0, 8 - fraction.size(), '0');
  return (negative ? "-" : "") + std::to_string(magnitude / kUnitsPerWhole) + "." + fraction;
}

Units units_from_double(double value) {
  return static_cast<Units>(std::llround(value * static_cast<double>(kUnitsPerWhole)));
}

double units_to_double(Units units) {
  return static_cast<double>(units) / static_cast<double>(kUnitsPerWhole);
}

Units mul_units_floor(Units quantity, Units price) {
  const WideUnits product = static_cast<WideUnits>(quantity) * price;
  return static_cast<Units>(product / kUnitsPerWhole);
}

Units mul_units_ceil(Units quantity, Units price) {
  const WideUnits product = static_cast<WideUnits>(quantity) * price;
  return static_cast<Units>((product + kUnitsPerWhole - 1) / kUnitsPerWhole);
}

}  // namespace cephalo::exchange_sim
