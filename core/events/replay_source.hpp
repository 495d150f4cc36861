// ReplaySource: merges recorded candle feeds into one stream ordered by (close time, feed order).
// Thread-safety: used by the loop thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "events/event_source.hpp"

namespace cephalo {

class ReplaySource final : public EventSource {
 public:
  // A candle becomes an event when it closes (open + interval): nothing sees it earlier, which is
  // what makes lookahead impossible in a replay.
  void add_feed(std::vector<Candle> candles, int64_t interval_ns);
  bool next(Event& out) override;
  size_t total() const { return total_; }

 private:
  struct Feed {
    std::vector<Candle> candles;
    int64_t interval_ns = 0;
    size_t position = 0;
  };
  std::vector<Feed> feeds_;
  size_t total_ = 0;
};

}  // namespace cephalo
