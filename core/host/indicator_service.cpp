// Creation, warm-up and lookup of the indicators tentacles ask for.
// Thread-safety: loop thread only.
#include "host/indicator_service.hpp"

#include <cmath>
#include <cstring>

#include "indicators/indicator_spec.hpp"

namespace cephalo {

namespace {

IndicatorBar bar_of(const Candle& candle) {
  return IndicatorBar{candle.open, candle.high, candle.low, candle.close, candle.volume};
}

}  // namespace

void IndicatorService::on_candle(const Candle& candle) {
  if (candle.symbol.c_str() != recent_symbol_ && !switch_series(candle.symbol)) return;
  for (const Feed& feed : *recent_feeds_) {
    if (!(feed.timeframe == candle.timeframe)) continue;
    if (feed.sma != nullptr) {
      feed.sma->update_close(candle.close);
    } else {
      feed.indicator->update(bar_of(candle));
    }
  }
}

bool IndicatorService::switch_series(Name symbol) {
  const auto found = by_series_.find(symbol.c_str());
  if (found == by_series_.end()) return false;
  recent_symbol_ = symbol.c_str();
  recent_feeds_ = &found->second;  // node-based map: stays valid as entries are added
  return true;
}

IndicatorService::Entry* IndicatorService::find_or_create(Name symbol, Name timeframe,
                                                          const char* spec,
                                                          const CandleRing* history,
                                                          std::string& error) {
  std::string text = std::string(symbol.view()) + "|" + std::string(timeframe.view()) + "|" + spec;
  Entry* entry = nullptr;
  if (const auto found = by_key_.find(text); found != by_key_.end()) {
    entry = found->second;
  } else {
    auto made = make_indicator(spec);
    if (!made.ok()) {
      error = made.error();
      return nullptr;
    }
    auto created = std::make_unique<Entry>(
        Entry{entries_.size() + 1, symbol, timeframe, spec, std::move(made.value())});
    if (history != nullptr) {
      for (const Candle& candle : *history) created->indicator->update(bar_of(candle));
    }
    entry = created.get();
    StreamingIndicator* indicator = created->indicator.get();
    entries_.push_back(std::move(created));
    by_handle_.push_back(indicator);
    by_key_.emplace(std::move(text), entry);
    by_series_[symbol.c_str()].push_back(Feed{timeframe, indicator, dynamic_cast<Sma*>(indicator)});
  }
  constexpr size_t kCacheSize = 16;
  if (cache_.size() >= kCacheSize) cache_.erase(cache_.begin());
  cache_.push_back(CacheKey{spec, symbol.c_str(), timeframe.c_str(), entry});
  return entry;
}

uint64_t IndicatorService::handle(Name symbol, Name timeframe, const char* spec,
                                  const CandleRing* history, std::string& error) {
  const Entry* entry = find_or_create(symbol, timeframe, spec, history, error);
  return entry == nullptr ? 0 : entry->handle;
}

cephalo_status IndicatorService::values(Name symbol, Name timeframe, const char* spec,
                                        const CandleRing* history, double* out_values,
                                        uint32_t capacity, uint32_t* out_count,
                                        std::string& error) {
  Entry* entry = find_or_create(symbol, timeframe, spec, history, error);
  if (entry == nullptr) return CEPHALO_INVALID_ARGUMENT;
  return copy_values(*entry, out_values, capacity, out_count);
}

}  // namespace cephalo
