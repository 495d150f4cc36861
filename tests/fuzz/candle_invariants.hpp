// What every candle reader promises of a load it reports as ok, checked on each fuzz input.
// Thread-safety: stateless.
#pragma once

#include <algorithm>
#include <cmath>

#include "data/ohlcv_load_result.hpp"
#include "fuzz_check.hpp"

namespace cephalo::fuzz {

inline void check_candle_load(const OhlcvLoadResult& result, int64_t interval_ms,
                              BadRowPolicy policy) {
  FUZZ_CHECK(result.problems.size() <= kMaxListedDataProblems + 2);
  if (!result.ok) {
    FUZZ_CHECK(result.bars.empty());
    FUZZ_CHECK(!result.problems.empty());
    return;
  }
  FUZZ_CHECK(!result.bars.empty());
  if (policy == BadRowPolicy::kReject) FUZZ_CHECK(result.dropped_rows == 0);
  const int64_t latest = kMaxCandleTimeMs - std::max<int64_t>(interval_ms, 0);
  for (size_t i = 0; i < result.bars.size(); ++i) {
    const OhlcvBar& bar = result.bars[i];
    FUZZ_CHECK(bar.open_time_ms >= 0 && bar.open_time_ms <= latest);
    if (i > 0) FUZZ_CHECK(bar.open_time_ms > result.bars[i - 1].open_time_ms);
    if (interval_ms > 0)
      FUZZ_CHECK(bar.open_time_ms % interval_ms == result.bars[0].open_time_ms % interval_ms);
    for (const double value : {bar.open, bar.high, bar.low, bar.close, bar.volume}) {
      FUZZ_CHECK(std::isfinite(value));
    }
    FUZZ_CHECK(bar.open > 0 && bar.close > 0 && bar.low > 0 && bar.volume >= 0);
    FUZZ_CHECK(bar.high >= std::max(bar.open, bar.close));
    FUZZ_CHECK(bar.low <= std::min(bar.open, bar.close));
  }
  for (const GapInfo& gap : result.gaps) {
    FUZZ_CHECK(gap.missing_bars >= 1);
    FUZZ_CHECK(gap.first_missing_ms == gap.after_ms + interval_ms);
  }
}

}  // namespace cephalo::fuzz
