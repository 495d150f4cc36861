// MappedCandleFeed: a candle file's bars, mapped from the binary cache, replayed in place.
// Thread-safety: used by the loop thread only (a cache check may run on its own thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "data/mapped_bars.hpp"
#include "data/ohlcv_cache.hpp"
#include "events/replay_source.hpp"
#include "model/name_table.hpp"

namespace cephalo {

// The bars may still be being checked against their hashes on another thread (a cache hit
// loaded with BarsCheck::kAheadOfReader): each read waits, rarely, until its bar is checked. If
// a block turns out corrupt, `reload` parses the source again (rebuilding its cache file) and the
// replay goes on from the parsed bars, which must equal what was replayed so far: the run gives
// the same result as one from a sound cache, and never replays a damaged bar. The bars are shared
// read-only, so many runs can replay one load (the reload replaces them for this feed only).
class MappedCandleFeed final : public CandleFeed {
 public:
  // Called with the index of the first bar not known good; the load must be of the same file.
  using Reload = std::function<OhlcvCachedLoad(size_t first_bad_bar)>;

  MappedCandleFeed(std::shared_ptr<const MappedBars> bars, Name symbol, Name timeframe,
                   Reload reload = {});

  size_t size() const override { return size_; }
  bool read(size_t index, Candle& out) override {
    if (index >= checked_ && !wait_checked(index)) [[unlikely]]
      return false;
    const OhlcvBar& bar = view_[index];
    out = Candle{symbol_,   timeframe_, bar.open_time_ms * kNanosPerMilli,
                 bar.open,  bar.high,   bar.low,
                 bar.close, bar.volume};
    return true;
  }
  int64_t open_time_ns(size_t index) override {
    if (index >= checked_ && !wait_checked(index)) [[unlikely]]
      return INT64_MAX;
    return view_[index].open_time_ms * kNanosPerMilli;
  }
  std::string failure() const override { return failure_; }

 private:
  static constexpr int64_t kNanosPerMilli = 1'000'000;
  // Makes bar `index` readable: waits for its check, or replaces a corrupt mapping by a parse.
  bool wait_checked(size_t index);

  std::shared_ptr<const MappedBars> bars_;
  std::span<const OhlcvBar> view_;  // bars_'s, or reloaded_'s after a reload
  size_t size_;
  size_t checked_ = 0;  // bars [0, checked_) are known good
  Name symbol_;
  Name timeframe_;
  Reload reload_;
  std::optional<OhlcvCachedLoad> reloaded_;  // keeps its cache rewrite running until the end
  std::string failure_;
};

}  // namespace cephalo
