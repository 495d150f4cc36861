// ReplaySource: merges recorded candle feeds into one stream ordered by (close time, feed order).
// Thread-safety: used by the loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "events/event_source.hpp"

namespace cephalo {

// One recorded series, read front to back. Implementations may own a vector or map a file.
class CandleFeed {
 public:
  virtual ~CandleFeed() = default;
  virtual size_t size() const = 0;
  // Precondition: index < size(). Called once per index, in order.
  virtual void read(size_t index, Candle& out) const = 0;
  // Open time of candle `index` (the one read() gives it), for merging without building the
  // whole candle.
  virtual int64_t open_time_ns(size_t index) const = 0;
};

class VectorCandleFeed final : public CandleFeed {
 public:
  explicit VectorCandleFeed(std::vector<Candle> candles) : candles_(std::move(candles)) {}
  size_t size() const override { return candles_.size(); }
  void read(size_t index, Candle& out) const override { out = candles_[index]; }
  int64_t open_time_ns(size_t index) const override { return candles_[index].open_time_ns; }

 private:
  std::vector<Candle> candles_;
};

class ReplaySource final : public EventSource {
 public:
  // A candle becomes an event when it closes (open + interval): nothing sees it earlier, which is
  // what makes lookahead impossible in a replay.
  void add_feed(std::unique_ptr<CandleFeed> feed, int64_t interval_ns);
  void add_feed(std::vector<Candle> candles, int64_t interval_ns);
  bool next(Event& out) override;
  size_t total() const { return total_; }

 private:
  struct Feed {
    std::unique_ptr<CandleFeed> candles;
    int64_t interval_ns = 0;
    size_t position = 0;
    size_t size = 0;  // candles->size(), fixed once added
  };
  std::vector<Feed> feeds_;
  size_t total_ = 0;
};

}  // namespace cephalo
