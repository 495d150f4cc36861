#include "data/timeframe.hpp"

#include <array>
#include <utility>

namespace cephalo {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

constexpr std::array<std::pair<std::string_view, int64_t>, 14> kTimeframes{{
    {"1m", kMinuteMs},
    {"3m", 3 * kMinuteMs},
    {"5m", 5 * kMinuteMs},
    {"15m", 15 * kMinuteMs},
    {"30m", 30 * kMinuteMs},
    {"1h", kHourMs},
    {"2h", 2 * kHourMs},
    {"4h", 4 * kHourMs},
    {"6h", 6 * kHourMs},
    {"8h", 8 * kHourMs},
    {"12h", 12 * kHourMs},
    {"1d", kDayMs},
    {"3d", 3 * kDayMs},
    {"1w", 7 * kDayMs},
}};

}  // namespace

int64_t timeframe_to_ms(std::string_view timeframe) {
  for (const auto& [name, ms] : kTimeframes) {
    if (name == timeframe) return ms;
  }
  return 0;
}

std::optional<std::string> timeframe_from_filename(const std::filesystem::path& file) {
  const std::string stem = file.stem().string();
  std::optional<std::string> found;
  std::string_view rest = stem;
  while (true) {
    const size_t dash = rest.find('-');
    const std::string_view part = rest.substr(0, dash);
    if (timeframe_to_ms(part) != 0) found = std::string(part);
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  return found;
}

}  // namespace cephalo
