// IndicatorBar: the one candle an indicator sees per update.
// Thread-safety: a plain value; safe to share read-only between threads.
#pragma once

namespace cephalo {

// Prices in quote currency, volume in base currency, as the candle files hold them. Doubles are
// safe here: indicators are signals, never balances, and TA-Lib (the reference) works in doubles.
struct IndicatorBar {
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
};

}  // namespace cephalo
