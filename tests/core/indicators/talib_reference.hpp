// A batch reference for every indicator, written from TA-Lib's published algorithms an array at a
// time (like its C functions), independent of the streaming code it checks.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <vector>

namespace cephalo::talib_reference {

// Every function returns columns as long as its input: NaN before the first value (so the first
// non-NaN index is the lookback), then one value per bar. Where TA-Lib sums a window with a
// running add/subtract, this recomputes the window from scratch: the exact value TA-Lib's drifting
// sum approximates, so the streaming code is checked against the truth, not against the drift.
using Column = std::vector<double>;

struct Bars {
  std::vector<double> open, high, low, close, volume;
};

Column sma(const std::vector<double>& in, int period);
Column ema(const std::vector<double>& in, int period);
Column wma(const std::vector<double>& in, int period);
Column rsi(const std::vector<double>& in, int period);
std::vector<Column> macd(const std::vector<double>& in, int fast, int slow, int signal);
std::vector<Column> bbands(const std::vector<double>& in, int period, double k);
Column atr(const Bars& bars, int period);
std::vector<Column> stoch(const Bars& bars, int fastk, int slowk, int slowd);
Column adx(const Bars& bars, int period);
Column cci(const Bars& bars, int period);
Column obv(const Bars& bars);
Column mfi(const Bars& bars, int period);
Column willr(const Bars& bars, int period);
Column roc(const std::vector<double>& in, int period);

}  // namespace cephalo::talib_reference
