// Merging by a linear scan over the feeds: a run has a handful of feeds, so a heap would only add
// overhead; ties go to the feed added first, which keeps replays deterministic.
// Thread-safety: loop thread only.
#include "events/replay_source.hpp"

namespace cephalo {

void ReplaySource::add_feed(std::unique_ptr<CandleFeed> feed, int64_t interval_ns) {
  const size_t size = feed->size();
  total_ += size;
  feeds_.push_back(Feed{std::move(feed), interval_ns, 0, size});
}

void ReplaySource::add_feed(std::vector<Candle> candles, int64_t interval_ns) {
  add_feed(std::make_unique<VectorCandleFeed>(std::move(candles)), interval_ns);
}

bool ReplaySource::next(Event& out) {
  if (feeds_.size() == 1) {
    // Nothing to merge: one read per candle, its time taken from the candle itself.
    Feed& feed = feeds_.front();
    if (feed.position >= feed.size) return false;
    Candle* candle = std::get_if<Candle>(&out.payload);
    if (candle == nullptr) candle = &out.payload.emplace<Candle>();
    if (!read(feed, *candle)) return false;
    out.exchange_time_ns = candle->open_time_ns + feed.interval_ns;
    out.receive_time_ns = out.exchange_time_ns;
    return true;
  }
  return next_merged(out);
}

bool ReplaySource::next_merged(Event& out) {
  Feed* earliest = nullptr;
  int64_t earliest_time = 0;
  for (Feed& feed : feeds_) {
    if (feed.position >= feed.size) continue;
    const int64_t close_time = feed.candles->open_time_ns(feed.position) + feed.interval_ns;
    if (earliest == nullptr || close_time < earliest_time) {
      earliest = &feed;
      earliest_time = close_time;
    }
  }
  if (earliest == nullptr) return false;
  // Reuse the Candle already in the event when there is one: no variant reconstruction per bar.
  Candle* candle = std::get_if<Candle>(&out.payload);
  if (candle == nullptr) candle = &out.payload.emplace<Candle>();
  if (!read(*earliest, *candle)) return false;
  out.exchange_time_ns = earliest_time;
  out.receive_time_ns = earliest_time;
  return true;
}

bool ReplaySource::read(Feed& feed, Candle& out) {
  if (feed.candles->read(feed.position, out)) [[likely]] {
    ++feed.position;
    return true;
  }
  stop_on_failure(feed);
  return false;
}

void ReplaySource::stop_on_failure(const Feed& feed) {
  failure_ = feed.candles->failure();
  if (failure_.empty()) failure_ = "a candle feed failed";
  feeds_.clear();  // nothing more is replayed from any feed
}

}  // namespace cephalo
