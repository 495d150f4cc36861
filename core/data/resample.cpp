#include "data/resample.hpp"

#include <algorithm>
#include <string>

#include "data/utc_time.hpp"

namespace cephalo {
namespace {

// Floor division: a bar before 1970 (negative time) still belongs to the bucket at or before it.
int64_t bucket_start(int64_t time_ms, int64_t interval_ms) {
  int64_t remainder = time_ms % interval_ms;
  if (remainder < 0) remainder += interval_ms;
  return time_ms - remainder;
}

}  // namespace

Result<std::vector<OhlcvBar>> resample(std::span<const OhlcvBar> bars, int64_t from_interval_ms,
                                       int64_t to_interval_ms, ResampleOptions options) {
  if (from_interval_ms <= 0 || to_interval_ms <= 0) {
    return Error{"resample: intervals must be positive, got from " +
                 std::to_string(from_interval_ms) + " ms to " + std::to_string(to_interval_ms) +
                 " ms"};
  }
  if (to_interval_ms % from_interval_ms != 0) {
    return Error{"resample: the target interval " + std::to_string(to_interval_ms) +
                 " ms is not a multiple of the source interval " +
                 std::to_string(from_interval_ms) + " ms"};
  }
  const int64_t per_bucket = to_interval_ms / from_interval_ms;
  std::vector<OhlcvBar> out;
  out.reserve(bars.size() / static_cast<size_t>(per_bucket) + 2);

  OhlcvBar current;
  int64_t count = 0;
  const auto flush = [&] {
    if (count > 0 && (!options.complete_only || count == per_bucket)) out.push_back(current);
  };
  for (size_t i = 0; i < bars.size(); ++i) {
    const OhlcvBar& bar = bars[i];
    if (i > 0 && bar.open_time_ms <= bars[i - 1].open_time_ms) {
      return Error{"resample: bar " + std::to_string(i) + " at " + format_utc_ms(bar.open_time_ms) +
                   " is not after the bar before it at " + format_utc_ms(bars[i - 1].open_time_ms) +
                   "; bars must be strictly increasing in time"};
    }
    const int64_t start = bucket_start(bar.open_time_ms, to_interval_ms);
    if (count > 0 && start == current.open_time_ms) {
      current.high = std::max(current.high, bar.high);
      current.low = std::min(current.low, bar.low);
      current.close = bar.close;
      current.volume += bar.volume;
      ++count;
      continue;
    }
    flush();
    current = OhlcvBar{start, bar.open, bar.high, bar.low, bar.close, bar.volume};
    count = 1;
  }
  flush();
  return out;
}

}  // namespace cephalo
