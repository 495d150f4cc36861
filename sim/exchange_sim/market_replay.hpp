// The replayed market: real candles played back as a live feed, a quarter of a candle at a time.
// Thread-safety: not thread-safe; the simulator drives it from its single I/O thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "exchange_sim/sim_config.hpp"

namespace cephalo::exchange_sim {

// A candle shows four prices, not the path between them. The replay trades them in the usual
// OHLC order: open, then the extreme on the far side of the close (low first in a rising candle,
// high first in a falling one), then the other extreme, then the close; one "tick" per quarter of
// the candle, each a quarter of its volume. A tick is published as a trade, a book ticker (bid =
// the tick price, ask = bid + tickSize, each size = the tick's volume) and a forming kline
// (x=false) that covers the ticks so far. The candle's close (x=true) comes when the next one
// opens.
struct MarketStep {
  size_t market = 0;   // index into SimConfig::markets
  int64_t candle = 0;  // index into that market's bars
  int tick = 0;        // 0..3: a tick of the forming candle; 4: the candle closed
  double price = 0;    // the tick's price (ticks only)
  OhlcvBar forming;    // the candle so far (ticks) or the whole candle (close)
  int trades = 0;      // trades in `forming`
};

class MarketReplay {
 public:
  MarketReplay(const std::vector<SimMarket>& markets, int64_t history_candles);

  // Quarter-candles played so far; the clock maps wall time to a target and the caller steps up
  // to it. Before the first step the first candle after the history has opened (tick 0 played).
  int64_t quarters_played() const { return quarters_; }
  // The steps of the next quarter for every market that still has candles; empty at the end.
  std::vector<MarketStep> step();
  bool finished() const;

  int64_t forming_candle(size_t market) const;
  int64_t closed_candles(size_t market) const;  // candles closed so far (including history)
  std::optional<double> last_price(size_t market) const;
  // GET /api/v3/avgPrice (CHANGELOG "Explanation for the average price calculation"): the
  // volume-weighted price of the ticks traded in the `window_ms` before the newest one (history
  // candles included), or the newest tick alone when none is; its price and market time (ms).
  // `interval_ms` is the candle length (a tick trades a quarter of it after the previous one).
  struct AveragePrice {
    double price = 0;
    int64_t last_trade_ms = 0;
  };
  std::optional<AveragePrice> average_price(size_t market, int64_t window_ms,
                                            int64_t interval_ms) const;

 private:
  MarketStep tick_of(size_t market, int64_t candle, int tick) const;

  const std::vector<SimMarket>& markets_;
  int64_t history_;
  int64_t quarters_ = 0;
};

}  // namespace cephalo::exchange_sim
