// Text the console and HTML reports share: HTML escaping and human-readable numbers and times.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cephalo::report_text {

// Escapes & < > " ' so the text is safe in element content and in quoted attributes.
std::string html_escape(std::string_view text);

// Fixed-point with `decimals` digits; "n/a" for NaN or infinity so a report never shows "nan".
std::string format_fixed(double value, int decimals);
// A fraction as a percentage: 0.1234 -> "12.34%".
std::string format_percent(double fraction, int decimals = 2);
// "n/a" for an undefined (null) metric.
std::string format_optional(const std::optional<double>& value, int decimals);
std::string format_optional_percent(const std::optional<double>& fraction, int decimals = 2);

// Digits after the point that show an amount of the size of `reference` (the starting cash) to
// about 6 significant digits: 10000 USDT -> 2, 0.5 BTC -> 6. Between 2 and 10.
int amount_decimals(double reference);
// A price to about 6 significant digits without an exponent: 0.0984 -> "0.0984000".
std::string format_price(double price);

// ns since epoch UTC -> "2018-01-10 06:15:00" (UTC).
std::string format_time_utc(int64_t time_ns);
// A span of time, coarse: "3d 4h 5m", "2h 0m", "45s", "0s".
std::string format_duration(int64_t duration_ns);

}  // namespace cephalo::report_text
