// The replayed market: which candle is forming and which tick of it is the latest.
#include "exchange_sim/market_replay.hpp"

#include <algorithm>
#include <array>

namespace cephalo::exchange_sim {

MarketReplay::MarketReplay(const std::vector<SimMarket>& markets, int64_t history_candles)
    : markets_(markets), history_(history_candles) {}

// One clock for every market: they all form the same candle index (shorter files end sooner).
int64_t MarketReplay::forming_candle(size_t /*market*/) const {
  return history_ + quarters_ / 4;
}

int64_t MarketReplay::closed_candles(size_t market) const {
  return std::min<int64_t>(forming_candle(market),
                           static_cast<int64_t>(markets_[market].bars.size()));
}

bool MarketReplay::finished() const {
  for (size_t i = 0; i < markets_.size(); ++i) {
    if (forming_candle(i) < static_cast<int64_t>(markets_[i].bars.size())) return false;
  }
  return true;
}

std::optional<double> MarketReplay::last_price(size_t market) const {
  const int64_t candle = forming_candle(market);
  const auto& bars = markets_[market].bars;
  if (bars.empty()) return std::nullopt;
  if (candle >= static_cast<int64_t>(bars.size())) return bars.back().close;
  return tick_of(market, candle, static_cast<int>(quarters_ % 4)).price;
}

std::optional<MarketReplay::AveragePrice> MarketReplay::average_price(size_t market,
                                                                     int64_t window_ms,
                                                                     int64_t interval_ms) const {
  const auto& bars = markets_[market].bars;
  if (bars.empty()) return std::nullopt;
  // The newest tick played: the forming candle's latest quarter, or the last candle's close.
  int64_t candle = forming_candle(market);
  int tick = static_cast<int>(quarters_ % 4);
  if (candle >= static_cast<int64_t>(bars.size())) {
    candle = static_cast<int64_t>(bars.size()) - 1;
    tick = 3;
  }
  const auto tick_ms = [&](int64_t c, int t) {
    return bars[static_cast<size_t>(c)].open_time_ms + t * interval_ms / 4;
  };
  const int64_t newest_ms = tick_ms(candle, tick);
  double value = 0, volume = 0;
  bool newest = true;
  // Back from the newest tick while ticks are inside the window (the newest always counts).
  for (int64_t c = candle, t = tick;
       c >= 0 && (newest || tick_ms(c, static_cast<int>(t)) > newest_ms - window_ms);
       newest = false) {
    const double quarter_volume = bars[static_cast<size_t>(c)].volume / 4;
    value += tick_of(market, c, static_cast<int>(t)).price * quarter_volume;
    volume += quarter_volume;
    if (--t < 0) {
      t = 3;
      --c;
    }
  }
  AveragePrice average;
  average.last_trade_ms = newest_ms;
  average.price = volume > 0 ? value / volume : tick_of(market, candle, tick).price;
  return average;
}

MarketStep MarketReplay::tick_of(size_t market, int64_t candle, int tick) const {
  const OhlcvBar& bar = markets_[market].bars[static_cast<size_t>(candle)];
  const bool rising = bar.close >= bar.open;
  const std::array<double, 4> path = {bar.open, rising ? bar.low : bar.high,
                                      rising ? bar.high : bar.low, bar.close};
  MarketStep step;
  step.market = market;
  step.candle = candle;
  step.tick = tick;
  step.price = path[static_cast<size_t>(tick)];
  step.forming = bar;
  step.forming.high = *std::max_element(path.begin(), path.begin() + tick + 1);
  step.forming.low = *std::min_element(path.begin(), path.begin() + tick + 1);
  step.forming.close = step.price;
  step.forming.volume = bar.volume * (tick + 1) / 4;
  step.trades = tick + 1;
  return step;
}

std::vector<MarketStep> MarketReplay::step() {
  std::vector<MarketStep> steps;
  if (finished()) return steps;
  ++quarters_;
  const int tick = static_cast<int>(quarters_ % 4);
  for (size_t i = 0; i < markets_.size(); ++i) {
    const auto& bars = markets_[i].bars;
    const int64_t candle = forming_candle(i);
    if (tick == 0 && candle - 1 < static_cast<int64_t>(bars.size())) {
      MarketStep close;
      close.market = i;
      close.candle = candle - 1;
      close.tick = 4;
      close.forming = bars[static_cast<size_t>(candle - 1)];
      close.price = close.forming.close;
      close.trades = 4;
      steps.push_back(close);
    }
    if (candle < static_cast<int64_t>(bars.size())) steps.push_back(tick_of(i, candle, tick));
  }
  return steps;
}

}  // namespace cephalo::exchange_sim
