// OhlcvBar: one candle exactly as a data file stores it.
// Thread-safety: a plain value; safe to share read-only between threads.
#pragma once

#include <cstdint>

namespace cephalo {

// The last millisecond whose nanosecond time fits in int64 (2262-04-11T23:47:16.854Z). Every
// candle reader refuses a time past it (minus the interval, so the close fits) or before 1970.
inline constexpr int64_t kMaxCandleTimeMs = INT64_MAX / 1'000'000;

// Time stays in epoch milliseconds UTC, as in the files, so a loaded bar can be compared with its
// source row; the core converts to ns when it turns bars into events. Prices (quote currency) and
// volume (base currency) are doubles because the files hold the shortest round-trip text of IEEE
// doubles: nothing exact is lost, and candles feed indicators, never account balances.
struct OhlcvBar {
  int64_t open_time_ms = 0;  // candle open, epoch ms UTC
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;

  friend bool operator==(const OhlcvBar&, const OhlcvBar&) = default;
};

}  // namespace cephalo
