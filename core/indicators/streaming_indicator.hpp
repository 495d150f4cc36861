// StreamingIndicator: the common face of every indicator, fed one bar at a time in O(1).
// Thread-safety: an instance is single-threaded (the loop thread); distinct instances are
// independent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "indicators/indicator_bar.hpp"

namespace cephalo {

// Values follow TA-Lib's conventions, including its lookback: the first `lookback()` bars produce
// no value, bar number lookback() (0-based) produces the first one. A value at bar t depends only
// on bars 0..t, so feeding bars as they close can never look ahead.
//
// Only update() dispatches virtually; the accessors read plain members so a pipeline can scan many
// indicators per bar without a virtual call per value. update() never allocates.
class StreamingIndicator {
 public:
  static constexpr size_t kMaxOutputs = 3;  // MACD and Bollinger Bands have three lines

  virtual ~StreamingIndicator() = default;
  StreamingIndicator(const StreamingIndicator&) = delete;
  StreamingIndicator& operator=(const StreamingIndicator&) = delete;

  void update(const IndicatorBar& bar) {
    on_bar(bar);
    ++bars_seen_;
  }

  // True once the latest bar produced values (bars_seen() > lookback()).
  bool ready() const { return bars_seen_ > lookback_; }
  size_t lookback() const { return lookback_; }
  uint64_t bars_seen() const { return bars_seen_; }
  // Cached, not column_names_.size(): the host reads it for every handle on every candle.
  size_t output_count() const { return output_count_; }
  // The latest value of output i (< output_count()); NaN while !ready().
  double value(size_t i) const { return values_[i]; }
  // One name per output, e.g. {"macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"}.
  const std::vector<std::string>& column_names() const { return column_names_; }

 protected:
  StreamingIndicator(size_t lookback, std::vector<std::string> column_names);

  // Called once per bar; bar_index() is the 0-based index of `bar`.
  virtual void on_bar(const IndicatorBar& bar) = 0;
  uint64_t bar_index() const { return bars_seen_; }
  void set_value(size_t i, double value) { values_[i] = value; }
  // For a final class's own non-virtual update path (see Sma::update_close): the bookkeeping
  // update() does after on_bar().
  void count_bar() { ++bars_seen_; }

 private:
  size_t lookback_;
  std::vector<std::string> column_names_;
  size_t output_count_;  // column_names_.size()
  std::array<double, kMaxOutputs> values_;
  uint64_t bars_seen_ = 0;
};

}  // namespace cephalo
