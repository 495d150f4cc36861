// Thread-safety: see candle_history.hpp.
#include "host/candle_history.hpp"

#include <algorithm>

namespace cephalo {

std::vector<const Candle*> CandleHistory::in_delivery_order() const {
  std::vector<const Candle*> candles;
  for (const auto& [key, series] : series_) {
    for (const Candle& candle : series) candles.push_back(&candle);
  }
  // Time order across series, as the loop delivered them; ties keep a fixed series order.
  std::stable_sort(candles.begin(), candles.end(), [](const Candle* a, const Candle* b) {
    if (a->open_time_ns != b->open_time_ns) return a->open_time_ns < b->open_time_ns;
    if (a->symbol != b->symbol) return a->symbol.view() < b->symbol.view();
    return a->timeframe.view() < b->timeframe.view();
  });
  return candles;
}

}  // namespace cephalo
