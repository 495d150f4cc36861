// load_ohlcv: reads a candle file (CSV or freqtrade JSON array) into validated bars.
// Thread-safety: reentrant; concurrent loads of different files (or the same file) are safe.
#pragma once

#include <cstdint>
#include <filesystem>

#include "data/data_problem.hpp"
#include "data/ohlcv_bar.hpp"
#include "data/ohlcv_load_result.hpp"
#include "data/timeframe.hpp"

namespace cephalo {

// Format: JSON when the extension is ".json" or the first non-space character is '[', else CSV
// with the header "timestamp,open,high,low,close,volume".
// interval_ms: expected candle spacing (timeframe_to_ms("5m")); 0 skips gap and grid checks.
// Never throws for bad input: a missing, unreadable or malformed file comes back as !ok with
// problems that name the file and row.
OhlcvLoadResult load_ohlcv(const std::filesystem::path& file, int64_t interval_ms,
                           BadRowPolicy policy);

}  // namespace cephalo
