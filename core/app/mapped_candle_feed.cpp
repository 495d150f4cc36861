// MappedCandleFeed: waiting for the cache check, and the switch to a parse on a corrupt block.
// Thread-safety: see mapped_candle_feed.hpp.
#include "mapped_candle_feed.hpp"

#include <algorithm>
#include <utility>

namespace cephalo {

MappedCandleFeed::MappedCandleFeed(std::shared_ptr<const MappedBars> bars, Name symbol,
                                   Name timeframe, Reload reload)
    : bars_(std::move(bars)),
      view_(bars_->bars()),
      size_(view_.size()),
      symbol_(symbol),
      timeframe_(timeframe),
      reload_(std::move(reload)) {}

bool MappedCandleFeed::wait_checked(size_t index) {
  if (!failure_.empty()) return false;
  checked_ = bars_->wait_checked(index);
  if (checked_ > index) return true;
  const size_t first_bad = checked_;
  if (!reload_) {
    failure_ = "the cached candles are corrupt from bar " + std::to_string(first_bad) +
               " and there is no source to parse instead";
    return false;
  }
  OhlcvCachedLoad reloaded = reload_(first_bad);
  // What was replayed already came from checked blocks: the parse must agree with it.
  const auto old_bars = view_.first(first_bad);
  const auto new_bars = reloaded.data.bars();
  if (!reloaded.ok || new_bars.size() != size_ ||
      !std::equal(old_bars.begin(), old_bars.end(), new_bars.begin())) {
    failure_ = "the cached candles are corrupt from bar " + std::to_string(first_bad) +
               " and parsing the source again did not give the same candles (was it changed "
               "during the run?)";
    return false;
  }
  checked_ = size_;
  reloaded_ = std::move(reloaded);
  view_ = reloaded_->data.bars();
  return true;
}

}  // namespace cephalo
