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
  if (candle.symbol.c_str() != recent_symbol_) {
    const auto found = by_series_.find(candle.symbol.c_str());
    if (found == by_series_.end()) return;
    recent_symbol_ = candle.symbol.c_str();
    recent_entries_ = &found->second;  // node-based map: stays valid as entries are added
  }
  const IndicatorBar bar = bar_of(candle);
  for (Entry* entry : *recent_entries_) {
    if (entry->timeframe == candle.timeframe) entry->indicator->update(bar);
  }
}

IndicatorService::Entry* IndicatorService::find_or_create(Name symbol, Name timeframe,
                                                          const char* spec,
                                                          const std::deque<Candle>* history,
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
    auto created = std::make_unique<Entry>(Entry{symbol, timeframe, spec, std::move(made.value())});
    if (history != nullptr) {
      for (const Candle& candle : *history) created->indicator->update(bar_of(candle));
    }
    entry = created.get();
    entries_.push_back(std::move(created));
    by_key_.emplace(std::move(text), entry);
    by_series_[symbol.c_str()].push_back(entry);
  }
  constexpr size_t kCacheSize = 16;
  if (cache_.size() >= kCacheSize) cache_.erase(cache_.begin());
  cache_.push_back(CacheKey{spec, symbol.c_str(), timeframe.c_str(), entry});
  return entry;
}

bool IndicatorService::cached_values(const char* symbol, const char* timeframe, const char* spec,
                                     double* out_values, uint32_t capacity, uint32_t* out_count,
                                     cephalo_status& status) const {
  for (const CacheKey& key : cache_) {
    // The spec text is compared too: a tentacle may reuse one buffer for several specs.
    if (key.symbol == symbol && key.timeframe == timeframe && key.spec == spec &&
        key.entry->spec == spec) {
      status = copy_values(*key.entry, out_values, capacity, out_count);
      return true;
    }
  }
  return false;
}

cephalo_status IndicatorService::copy_values(const Entry& entry, double* out_values,
                                             uint32_t capacity, uint32_t* out_count) {
  const StreamingIndicator& indicator = *entry.indicator;
  const auto count = static_cast<uint32_t>(indicator.output_count());
  *out_count = count;
  if (!indicator.ready()) return CEPHALO_NOT_FOUND;
  if (capacity < count) return CEPHALO_BUFFER_TOO_SMALL;
  for (uint32_t i = 0; i < count; ++i) out_values[i] = indicator.value(i);
  return CEPHALO_OK;
}

cephalo_status IndicatorService::values(Name symbol, Name timeframe, const char* spec,
                                        const std::deque<Candle>* history, double* out_values,
                                        uint32_t capacity, uint32_t* out_count,
                                        std::string& error) {
  Entry* entry = find_or_create(symbol, timeframe, spec, history, error);
  if (entry == nullptr) return CEPHALO_INVALID_ARGUMENT;
  return copy_values(*entry, out_values, capacity, out_count);
}

}  // namespace cephalo
