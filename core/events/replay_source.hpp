// ReplaySource: merges recorded candle feeds into one stream ordered by (close time, feed order).
// Thread-safety: used by the loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "events/event_source.hpp"

namespace cephalo {

// One recorded series, read front to back. Implementations may own a vector or map a file (and
// check it while it is read: hence a read can fail).
class CandleFeed {
 public:
  virtual ~CandleFeed() = default;
  virtual size_t size() const = 0;
  // Precondition: index < size(). Called once per index, in order. False: the feed cannot go on
  // (failure() says why) and `out` is unchanged.
  virtual bool read(size_t index, Candle& out) = 0;
  // Open time of candle `index` (the one read() gives it), for merging without building the
  // whole candle. A failed feed may give any time; its read() then fails.
  virtual int64_t open_time_ns(size_t index) = 0;
  virtual std::string failure() const { return {}; }
};

class VectorCandleFeed final : public CandleFeed {
 public:
  explicit VectorCandleFeed(std::vector<Candle> candles) : candles_(std::move(candles)) {}
  size_t size() const override { return candles_.size(); }
  bool read(size_t index, Candle& out) override {
    out = candles_[index];
    return true;
  }
  int64_t open_time_ns(size_t index) override { return candles_[index].open_time_ns; }

 private:
  std::vector<Candle> candles_;
};

class ReplaySource final : public EventSource {
 public:
  // A candle becomes an event when it closes (open + interval): nothing sees it earlier, which is
  // what makes lookahead impossible in a replay.
  void add_feed(std::unique_ptr<CandleFeed> feed, int64_t interval_ns);
  void add_feed(std::vector<Candle> candles, int64_t interval_ns);
  // False at the end of every feed, or when a feed failed (then failure() says why).
  bool next(Event& out) override;
  size_t total() const { return total_; }
  // Empty unless a feed failed: the replay stopped early and its run is not valid.
  const std::string& failure() const { return failure_; }

 private:
  struct Feed {
    std::unique_ptr<CandleFeed> candles;
    int64_t interval_ns = 0;
    size_t position = 0;
    size_t size = 0;  // candles->size(), fixed once added
  };
  bool read(Feed& feed, Candle& out);
  [[gnu::cold, gnu::noinline]] void stop_on_failure(const Feed& feed);
  // next() over several feeds: the earliest close first (out of line: a single feed, the usual
  // backtest, needs no merge).
  bool next_merged(Event& out);

  std::vector<Feed> feeds_;
  size_t total_ = 0;
  std::string failure_;
};

}  // namespace cephalo
