// Exact decimal amounts for the exchange simulator: prices, quantities and balances in 1e-8 units.
// Thread-safety: pure functions on plain values; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cephalo::exchange_sim {

// Balances must add up exactly (tests compare the bot's books with the simulator's to the last
// unit), so every amount is an integer count of 1e-8, the precision Binance quotes spot assets in.
// 128 bits: int64 would stop at 9.2e10 whole units, and real accounts and candles pass that (a
// 1.5e11 BTTC balance, a 2.1e11 PEPE candle volume). Values are bounded to 1e28 whole units.
__extension__ typedef __int128 Units;  // -Wpedantic: a GCC/Clang extension
inline constexpr Units kMaxUnits =
    static_cast<Units>(1'000'000'000'000'000'000) * 1'000'000'000'000'000'000;  // 1e28 whole
inline constexpr Units kUnitsPerWhole = 100'000'000;

// "0.0984", "1", "12.50000000" -> units; nullopt for a sign, more than 8 decimals, an exponent,
// garbage or more than 1e28 (the wire format is plain decimal strings, as Binance sends and accepts).
std::optional<Units> parse_units(std::string_view text);
// Always 8 decimals, as Binance formats prices and quantities: 9840000 -> "0.09840000".
std::string format_units(Units units);
// A candle price from a data file (shortest round-trip double) rounded to the nearest unit.
Units units_from_double(double value);
double units_to_double(Units units);
// quantity * price / 1e8 without overflow: the quote amount of a fill, rounded down (the buyer's
// cost is then rounded up with mul_units_ceil so the exchange never loses a unit to rounding).
Units mul_units_floor(Units quantity, Units price);
Units mul_units_ceil(Units quantity, Units price);

}  // namespace cephalo::exchange_sim
