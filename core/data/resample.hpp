// resample: candles of one timeframe merged into a longer one (1m -> 5m, 5m -> 1h).
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "model/result.hpp"

namespace cephalo {

struct ResampleOptions {
  // Buckets missing some source candles (the first and last of a file, gaps) are emitted from
  // the candles they have by default, as exchanges do for a quiet minute. complete_only drops
  // them, for callers that must match an exchange's own longer candles exactly.
  bool complete_only = false;
};

// Buckets start at epoch multiples of to_interval_ms (UTC-aligned: 5m at :00, :05, ...; 1d at
// 00:00 UTC). Each: open of the first candle, max high, min low, close of the last, sum of
// volumes (added oldest first, so the sum is the same on every run). Empty buckets are not
// emitted: a gap stays a gap. A bucket is complete when it holds to/from candles.
// Errors: intervals not positive, to not a multiple of from, bars not strictly increasing.
Result<std::vector<OhlcvBar>> resample(std::span<const OhlcvBar> bars, int64_t from_interval_ms,
                                       int64_t to_interval_ms, ResampleOptions options = {});

}  // namespace cephalo
