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

#include "indicators/sma.hpp"
#include "indicators/streaming_indicator.hpp"
#include "model/candle_ring.hpp"
#include "model/market.hpp"

namespace cephalo {

class IndicatorService {
 public:
  // Feeds the candle to every indicator on its series.
  void on_candle(const Candle& candle);

  // The fast path: latest values of an indicator already asked for with these very pointers (a
  // tentacle passes the candle's interned symbol and its own spec buffer). False on a miss.
  // Inline: it answers two or more calls per candle from every strategy.
  bool cached_values(const char* symbol, const char* timeframe, const char* spec,
                     double* out_values, uint32_t capacity, uint32_t* out_count,
                     cephalo_status& status) const {
    for (const CacheKey& key : cache_) {
      // The spec text is compared too: a tentacle may reuse one buffer for several specs.
      if (key.symbol == symbol && key.timeframe == timeframe && key.spec == spec &&
          same_text(key.entry->spec.c_str(), spec)) {
        status = copy_values(*key.entry, out_values, capacity, out_count);
        return true;
      }
    }
    return false;
  }

  // Latest values of `spec` on symbol/timeframe. `history` is the series so far (oldest first,
  // ending with the current candle), used to warm up a new indicator. On a bad spec returns
  // CEPHALO_INVALID_ARGUMENT with `error` set.
  cephalo_status values(Name symbol, Name timeframe, const char* spec, const CandleRing* history,
                        double* out_values, uint32_t capacity, uint32_t* out_count,
                        std::string& error);

  // ABI 1.4: the indicator's handle (creating it like values() does), never 0; 0 with `error`
  // set for a bad spec.
  uint64_t handle(Name symbol, Name timeframe, const char* spec, const CandleRing* history,
                  std::string& error);
  // Latest values behind `count` handles, one handle's outputs after the other (the ABI 1.4
  // indicator_values contract): out_counts[i] is always set; CEPHALO_INVALID_ARGUMENT for a
  // handle not given out, else CEPHALO_NOT_FOUND if any warms up, else CEPHALO_BUFFER_TOO_SMALL
  // if the outputs do not fit.
  cephalo_status values(const uint64_t* handles, uint32_t count, double* out_values,
                        uint32_t capacity, uint32_t* out_counts) const {
    // NOT_FOUND outranks BUFFER_TOO_SMALL whichever handle causes it; once either is set no value
    // is copied (out_values is unspecified then).
    cephalo_status status = CEPHALO_OK;
    uint32_t used = 0;
    const size_t given_out = by_handle_.size();
    for (uint32_t i = 0; i < count; ++i) {
      // Handle 0 wraps to the largest value, so one comparison refuses it and every unknown one.
      const uint64_t index = handles[i] - 1;
      if (index >= given_out) return CEPHALO_INVALID_ARGUMENT;
      const StreamingIndicator& indicator = *by_handle_[index];
      const auto outputs = static_cast<uint32_t>(indicator.output_count());
      out_counts[i] = outputs;
      if (!indicator.ready()) {
        status = CEPHALO_NOT_FOUND;
      } else if (status != CEPHALO_OK || capacity - used < outputs) {
        if (status == CEPHALO_OK) status = CEPHALO_BUFFER_TOO_SMALL;
      } else {
        for (uint32_t k = 0; k < outputs; ++k) out_values[used + k] = indicator.value(k);
        used += outputs;
      }
    }
    return status;
  }

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t handle;  // its position in entries_ + 1
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
                                    uint32_t* out_count) {
    const StreamingIndicator& indicator = *entry.indicator;
    const auto count = static_cast<uint32_t>(indicator.output_count());
    *out_count = count;
    if (!indicator.ready()) return CEPHALO_NOT_FOUND;
    if (capacity < count) return CEPHALO_BUFFER_TOO_SMALL;
    for (uint32_t i = 0; i < count; ++i) out_values[i] = indicator.value(i);
    return CEPHALO_OK;
  }
  // Specs are a few characters long: a plain loop beats strlen + memcmp through the PLT.
  static bool same_text(const char* a, const char* b) {
    for (; *a == *b; ++a, ++b) {
      if (*a == '\0') return true;
    }
    return false;
  }
  // Points recent_feeds_ at the symbol's indicators; false when it has none. Out of line: the
  // hash lookup would otherwise make every candle's on_candle save registers it needs.
  [[gnu::noinline]] bool switch_series(Name symbol);
  Entry* find_or_create(Name symbol, Name timeframe, const char* spec, const CandleRing* history,
                        std::string& error);

  // What on_candle walks for one indicator: the timeframe and the object side by side, so a
  // candle costs no pointer chase per indicator, and an SMA updated without a virtual call.
  struct Feed {
    Name timeframe;
    StreamingIndicator* indicator;
    Sma* sma;  // the same object when it is an SMA, else nullptr
  };

  std::vector<std::unique_ptr<Entry>> entries_;
  // entries_[i]->indicator.get(), by handle - 1: the per-candle read goes straight to the object.
  std::vector<const StreamingIndicator*> by_handle_;
  std::unordered_map<std::string, Entry*> by_key_;                // "symbol|timeframe|spec"
  std::unordered_map<const void*, std::vector<Feed>> by_series_;  // keyed by the symbol's text
  std::vector<CacheKey> cache_;
  // The previous candle's pair and its indicators: a run of one pair finds them without hashing.
  const void* recent_symbol_ = nullptr;
  const std::vector<Feed>* recent_feeds_ = nullptr;
};

}  // namespace cephalo
