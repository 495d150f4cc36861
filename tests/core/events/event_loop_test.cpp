// The loop's ordering guarantees and its thread-safe entry points.
// Thread-safety: the test thread runs the loop; helper threads only post.
#include "events/event_loop.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "events/replay_source.hpp"

using namespace cephalo;

namespace {

std::vector<Candle> feed(NameTable& names, const char* symbol, int64_t start_ns, int64_t step_ns,
                         int count) {
  std::vector<Candle> candles;
  for (int i = 0; i < count; ++i) {
    candles.push_back(
        Candle{names.intern(symbol), names.intern("tf"), start_ns + i * step_ns, 1, 1, 1, 1, 1});
  }
  return candles;
}

}  // namespace

TEST_CASE("events come in (time, sequence) order and derived events follow their cause") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop(clock);
  ReplaySource source;
  // Two feeds with interleaved and coinciding close times.
  source.add_feed(feed(names, "A", 0, 300, 10), 300);
  source.add_feed(feed(names, "B", 150, 150, 20), 150);
  std::vector<Event> seen;
  loop.set_dispatcher([&](const Event& event) {
    seen.push_back(event);
    if (event.type() == CEPHALO_EVENT_CANDLE) {
      loop.emit(Evaluation{std::get<Candle>(event.payload).symbol, names.intern("e"), 0.5, 1});
    }
  });
  loop.run(&source, false);

  REQUIRE(seen.size() == 60);
  for (size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].sequence == seen[i - 1].sequence + 1);
    CHECK(seen[i].exchange_time_ns >= seen[i - 1].exchange_time_ns);
  }
  for (size_t i = 0; i < seen.size(); i += 2) {
    REQUIRE(seen[i].type() == CEPHALO_EVENT_CANDLE);
    REQUIRE(seen[i + 1].type() == CEPHALO_EVENT_EVALUATION);
    CHECK(std::get<Evaluation>(seen[i + 1].payload).symbol ==
          std::get<Candle>(seen[i].payload).symbol);
    CHECK(seen[i + 1].exchange_time_ns == seen[i].exchange_time_ns);
  }
  // At equal close times the feed added first goes first.
  CHECK(std::get<Candle>(seen[2].payload).symbol.view() == "B");  // closes at 300 (B: 150+150)
  CHECK(seen[0].exchange_time_ns == 300);
  CHECK(std::get<Candle>(seen[0].payload).symbol.view() == "A");
}

TEST_CASE("the same inputs give the same sequence of events") {
  auto run_once = [] {
    NameTable names;
    SimulatedClock clock;
    EventLoop loop(clock);
    ReplaySource source;
    source.add_feed(feed(names, "A", 0, 60, 50), 60);
    source.add_feed(feed(names, "B", 30, 90, 40), 90);
    std::vector<std::pair<uint64_t, std::string>> trace;
    loop.set_dispatcher([&](const Event& event) {
      trace.emplace_back(event.sequence,
                         std::string(std::get<Candle>(event.payload).symbol.view()) + "@" +
                             std::to_string(event.exchange_time_ns));
    });
    loop.run(&source, false);
    return trace;
  };
  const auto first = run_once();
  CHECK(first.size() == 90);
  CHECK(first == run_once());
}

TEST_CASE("tasks and events posted from other threads run on the loop thread") {
  WallClock clock;
  EventLoop loop(clock);
  NameTable names;
  const Name symbol = names.intern("X");
  std::thread::id loop_thread;
  std::vector<std::thread::id> dispatch_threads;
  std::vector<uint64_t> sequences;
  loop.set_dispatcher([&](const Event& event) {
    dispatch_threads.push_back(std::this_thread::get_id());
    sequences.push_back(event.sequence);
    CHECK(event.receive_time_ns > 0);
  });
  std::thread poster([&] {
    for (int i = 0; i < 100; ++i) {
      Event event;
      event.payload = Candle{symbol, symbol, i, 1, 1, 1, 1, 1};
      loop.post_event(std::move(event));
    }
    loop.post([&] { loop_thread = std::this_thread::get_id(); });
    loop.stop();
  });
  loop.run(nullptr, true);
  poster.join();
  REQUIRE(dispatch_threads.size() == 100);
  for (const auto& id : dispatch_threads) CHECK(id == std::this_thread::get_id());
  CHECK(loop_thread == std::this_thread::get_id());
  for (size_t i = 0; i < sequences.size(); ++i) CHECK(sequences[i] == i + 1);
}

TEST_CASE("stop() ends a replay early, after the current event") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop(clock);
  ReplaySource source;
  source.add_feed(feed(names, "A", 0, 1, 100000), 1);
  uint64_t dispatched = 0;
  loop.set_dispatcher([&](const Event&) {
    if (++dispatched == 10) loop.stop();
  });
  loop.run(&source, false);
  CHECK(dispatched == 10);
}

TEST_CASE("a paced replay waits for an event's market time, and posted tasks run meanwhile") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop(clock);
  ReplaySource source;
  constexpr int64_t kHourNs = 3'600'000'000'000;
  source.add_feed(feed(names, "A", 0, kHourNs, 3), kHourNs);
  loop.set_pace(1.0);  // real time: the second candle is an hour away
  uint64_t dispatched = 0;
  loop.set_dispatcher([&](const Event&) {
    // Unpaced, all three events would come in this slice before the task gets a turn.
    if (++dispatched == 1) loop.post([&] { loop.stop(); });
  });
  loop.run(&source, true);
  CHECK(dispatched == 1);
}

TEST_CASE("a fast pace replays every event in order") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop(clock);
  ReplaySource source;
  source.add_feed(feed(names, "A", 0, 1'000'000, 50), 1'000'000);  // 1 ms apart
  source.add_feed(feed(names, "B", 500'000, 1'000'000, 50), 1'000'000);
  loop.set_pace(1000.0);  // 50 ms of market in 50 us of wall time
  std::vector<int64_t> times;
  loop.set_dispatcher([&](const Event& event) { times.push_back(event.exchange_time_ns); });
  loop.run(&source, false);
  REQUIRE(times.size() == 100);
  CHECK(std::is_sorted(times.begin(), times.end()));
}

namespace {

// Serves its candles until `fail_at`, where it can no longer go on (as a corrupt cache can).
class FailingFeed final : public CandleFeed {
 public:
  FailingFeed(std::vector<Candle> candles, size_t fail_at)
      : candles_(std::move(candles)), fail_at_(fail_at) {}
  size_t size() const override { return candles_.size(); }
  bool read(size_t index, Candle& out) override {
    if (index >= fail_at_) return false;
    out = candles_[index];
    return true;
  }
  int64_t open_time_ns(size_t index) override { return candles_[index].open_time_ns; }
  std::string failure() const override { return "bar " + std::to_string(fail_at_) + " is bad"; }

 private:
  std::vector<Candle> candles_;
  size_t fail_at_;
};

}  // namespace

TEST_CASE("a feed that fails stops the whole replay there and says why") {
  NameTable names;
  for (const bool alone : {true, false}) {
    CAPTURE(alone);
    SimulatedClock clock;
    EventLoop loop(clock);
    ReplaySource source;
    source.add_feed(std::make_unique<FailingFeed>(feed(names, "A", 0, 100, 10), 4), 100);
    if (!alone) source.add_feed(feed(names, "B", 50, 100, 10), 100);
    std::vector<std::string> seen;
    loop.set_dispatcher([&](const Event& event) {
      const Candle& candle = std::get<Candle>(event.payload);
      seen.push_back(std::string(candle.symbol.view()) + std::to_string(candle.open_time_ns));
    });
    CHECK(source.failure().empty());
    loop.run(&source, false);
    // A's bars 0-3 (and B's up to A's bar 4 in time), then nothing from any feed.
    const std::vector<std::string> expected =
        alone
            ? std::vector<std::string>{"A0", "A100", "A200", "A300"}
            : std::vector<std::string>{"A0", "B50", "A100", "B150", "A200", "B250", "A300", "B350"};
    CHECK(seen == expected);
    CHECK(source.failure() == "bar 4 is bad");
  }
}
