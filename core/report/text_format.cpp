#include "report/text_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <system_error>

namespace cephalo::report_text {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  // to_chars, not printf: the decimal point must not follow the process locale.
  char buffer[400];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed,
                                    std::clamp(decimals, 0, 12));
  if (result.ec != std::errc()) return "n/a";
  std::string text(buffer, result.ptr);
  // "-0.00" would read as a loss that is not there.
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "n/a";
  return format_fixed(fraction * 100.0, decimals) + "%";
}

std::string format_optional(const std::optional<double>& value, int decimals) {
  return value ? format_fixed(*value, decimals) : "n/a";
}

std::string format_optional_percent(const std::optional<double>& fraction, int decimals) {
  return fraction ? format_percent(*fraction, decimals) : "n/a";
}

int amount_decimals(double reference) {
  const double magnitude = std::abs(reference);
  if (!(magnitude > 0) || !std::isfinite(magnitude)) return 2;
  return std::clamp(5 - static_cast<int>(std::floor(std::log10(magnitude))), 2, 10);
}

std::string format_price(double price) {
  const double magnitude = std::abs(price);
  if (!(magnitude > 0) || !std::isfinite(magnitude)) return format_fixed(price, 2);
  return format_fixed(price,
                      std::clamp(5 - static_cast<int>(std::floor(std::log10(magnitude))), 0, 10));
}

std::string format_time_utc(int64_t time_ns) {
  // Floor division, so times before 1970 land on the right second.
  int64_t seconds = time_ns / 1'000'000'000;
  if (time_ns % 1'000'000'000 < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  if (gmtime_r(&t, &utc) == nullptr) return "n/a";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &utc);
  return buffer;
}

std::string format_duration(int64_t duration_ns) {
  const bool negative = duration_ns < 0;
  const int64_t seconds = (negative ? -duration_ns : duration_ns) / 1'000'000'000;
  const int64_t days = seconds / 86400, hours = seconds % 86400 / 3600,
                minutes = seconds % 3600 / 60;
  std::string text = negative ? "-" : "";
  if (days > 0)
    return text + std::to_string(days) + "d " + std::to_string(hours) + "h " +
           std::to_string(minutes) + "m";
  if (hours > 0) return text + std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  if (minutes > 0)
    return text + std::to_string(minutes) + "m " + std::to_string(seconds % 60) + "s";
  return text + std::to_string(seconds) + "s";
}

}  // namespace cephalo::report_text
