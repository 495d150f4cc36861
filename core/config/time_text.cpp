// Parsing epoch-millisecond and ISO-8601 UTC times from config values.
// Thread-safety: pure function.
#include "config/time_text.hpp"

#include <charconv>
#include <chrono>

namespace cephalo {
namespace {

constexpr int64_t kNsPerMs = 1'000'000;

// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  const char* first = text.data() + pos;
  const auto [end, error] = std::from_chars(first, first + width, value);
  if (error != std::errc() || end != first + width) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> parse_config_time_ns(std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t ms = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (ms > INT64_MAX / kNsPerMs) return std::nullopt;
    return ms * kNsPerMs;
  }
  // YYYY-MM-DDTHH:MM[:SS]Z
  const bool with_seconds = text.size() == 20;
  if (text.size() != 17 && !with_seconds) return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text.back() != 'Z' || (with_seconds && text[16] != ':')) {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2);
  const auto second = with_seconds ? digits(text, 17, 2) : std::optional<int>(0);
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  const auto seconds = std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(*hour) +
                       std::chrono::minutes(*minute) + std::chrono::seconds(*second);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(seconds).count();
}

}  // namespace cephalo
