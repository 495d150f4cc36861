// CandleHistory: the latest candles of every series the pipeline has seen, for tentacles'
// candle_history calls, indicators computed on demand, ATR stops, warm-ups after a hot swap and
// the `candles` query.
// Thread-safety: loop thread only (the pipeline's).
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "model/candle_ring.hpp"
#include "model/market.hpp"

namespace cephalo {

class CandleHistory {
 public:
  // Each series keeps its latest `limit` candles.
  explicit CandleHistory(size_t limit) : limit_(limit) {}

  // Appends to the candle's series. Inline: once per candle of a run; a run of one pair finds
  // its series without hashing.
  void add(const Candle& candle) {
    const SeriesKey key{candle.symbol, candle.timeframe};
    if (recent_ == nullptr || !(key == recent_key_)) {
      recent_ = &series_.try_emplace(key, limit_).first->second;
      recent_key_ = key;
    }
    recent_->push_back(candle);
  }

  // The series' candles, oldest first; null when none arrived.
  const CandleRing* find(Name symbol, Name timeframe) const {
    const auto found = series_.find(SeriesKey{symbol, timeframe});
    return found == series_.end() ? nullptr : &found->second;
  }

  // Every candle held, in the order the loop delivered them (time, then a fixed series order):
  // what a warm-up replays, and what a smoke test feeds a new build.
  std::vector<const Candle*> in_delivery_order() const;

  // Every series, in no particular order: visit(symbol, timeframe, ring).
  template <class Visit>
  void for_each_series(Visit&& visit) const {
    for (const auto& [key, series] : series_) visit(key.symbol, key.timeframe, series);
  }

 private:
  struct SeriesKey {
    Name symbol;
    Name timeframe;
    bool operator==(const SeriesKey& other) const {
      return symbol == other.symbol && timeframe == other.timeframe;
    }
  };
  struct SeriesKeyHash {
    size_t operator()(const SeriesKey& key) const {
      return key.symbol.hash() * 31 + key.timeframe.hash();
    }
  };

  size_t limit_;
  std::unordered_map<SeriesKey, CandleRing, SeriesKeyHash> series_;
  // The series of the previous candle (node-based map: the address stays valid).
  SeriesKey recent_key_{};
  CandleRing* recent_ = nullptr;
};

}  // namespace cephalo
