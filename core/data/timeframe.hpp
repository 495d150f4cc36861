// Candle timeframes ("5m", "1h") as milliseconds, and the timeframe named in a data file's name.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cephalo {

// The timeframes exchanges serve: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w. Anything else
// (including "1M": a month has no fixed length) returns 0, which callers treat as "unknown".
int64_t timeframe_to_ms(std::string_view timeframe);

// The last '-'-separated part of the file stem that is a known timeframe:
// "ETH_BTC-5m.csv" -> "5m", "XRP_USDT_USDT-1h-futures.csv" -> "1h", "prices.csv" -> nullopt.
std::optional<std::string> timeframe_from_filename(const std::filesystem::path& file);

}  // namespace cephalo
