// IndicatorService: the core's streaming indicators offered to tentacles (ABI 1.1 `indicator`).
// Thread-safety: loop thread only.
//
// An indicator is created the first time a tentacle asks for it on a series and from then on sees
// every candle of that series before any tentacle does, so a value never includes a later candle.
// One created after the series started is warmed up from the candle history the core keeps;
// EMA-family values then differ from a from-the-start computation until their seed washes out,
// which is why built-in tentacles ask on every candle from the first.
#pragma once

#include <cephalo/tentacle.h>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "indicators/streaming_indicator.hpp"
#include "model/market.hpp"

namespace cephalo {

class IndicatorService {
 public:
  // Feeds the candle to every indicator on its series.
  void on_candle(const Candle& candle);

  // The fast path: latest values of an indicator already asked for with these very pointers (a
  // tentacle passes the candle's interned symbol and its own spec buffer). False on a miss.
  bool cached_values(const char* symbol, const char* timeframe, const char* spec,
                     double* out_values, uint32_t capacity, uint32_t* out_count,
                     cephalo_status& status) const;

  // Latest values of `spec` on symbol/timeframe. `history` is the series so far (oldest first,
  // ending with the current candle), used to warm up a new indicator. On a bad spec returns
  // CEPHALO_INVALID_ARGUMENT with `error` set.
  cephalo_status values(Name symbol, Name timeframe, const char* spec,
                        const std::deque<Candle>* history, double* out_values, uint32_t capacity,
                        uint32_t* out_count, std::string& error);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Name symbol;
    Name timeframe;
    std::string spec;
    std::unique_ptr<StreamingIndicator> indicator;
  };
  // Tentacles pass the same spec buffer and the same interned symbol on every call, so the last
  // pointers seen resolve most calls without hashing a string.
  struct CacheKey {
    const char* spec;
    const char* symbol;
    const char* timeframe;
    Entry* entry;
  };

  static cephalo_status copy_values(const Entry& entry, double* out_values, uint32_t capacity,
                                    uint32_t* out_count);
  Entry* find_or_create(Name symbol, Name timeframe, const char* spec,
                        const std::deque<Candle>* history, std::string& error);

  std::vector<std::unique_ptr<Entry>> entries_;
  std::unordered_map<std::string, Entry*> by_key_;                  // "symbol|timeframe|spec"
  std::unordered_map<const void*, std::vector<Entry*>> by_series_;  // keyed by the symbol's text
  std::vector<CacheKey> cache_;
  // The previous candle's pair and its indicators: a run of one pair finds them without hashing.
  const void* recent_symbol_ = nullptr;
  const std::vector<Entry*>* recent_entries_ = nullptr;
};

}  // namespace cephalo
