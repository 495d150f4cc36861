// What loading a candle file gives back: the bars kept, the problems found and the gaps in time.
// Thread-safety: plain values; safe to share read-only between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/data_problem.hpp"
#include "data/ohlcv_bar.hpp"

namespace cephalo {

// What to do with a row that fails validation. Gaps in time are never a row problem: exchanges
// really do skip candles (no trades, maintenance), so they are reported, not refused or filled.
enum class BadRowPolicy {
  kReject,  // any bad row fails the whole load; every problem is listed so one edit fixes them all
  kSkip,    // bad rows are dropped, each with one warning in `problems`
};

// Candles absent between two consecutive bars that were kept.
struct GapInfo {
  int64_t after_ms = 0;          // open time of the last bar before the gap, epoch ms UTC
  int64_t first_missing_ms = 0;  // open time of the first absent candle (after_ms + interval)
  int64_t missing_bars = 0;      // how many candles are absent, >= 1
};

struct OhlcvLoadResult {
  std::vector<OhlcvBar> bars;  // strictly increasing open times; empty unless ok
  // kReject: the errors. kSkip: one warning per dropped row. Either way, whole-file problems
  // (missing file, bad header, no candles) make the load fail.
  std::vector<DataProblem> problems;
  std::vector<GapInfo> gaps;  // empty when no interval was given
  size_t dropped_rows = 0;    // rows that failed validation (kSkip drops them; kReject fails)
  bool ok = false;
};

// A file in the wrong format can make every row a problem; past this many the rest are only
// counted (one final problem says how many), so a 10M-row mistake cannot exhaust memory.
inline constexpr size_t kMaxListedDataProblems = 1000;

}  // namespace cephalo
