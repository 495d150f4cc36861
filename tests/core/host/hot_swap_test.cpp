// Hot swap: exactly-once delivery across 100 swaps, decisions equal to a run without swaps,
// rollback of broken builds, and the old image gone from /proc/self/maps.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include "host/hot_swap.hpp"

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "data/ohlcv_reader.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/private_copy.hpp"
#include "logging/logging.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

constexpr int64_t kFiveMinutesNs = 300'000'000'000;

fs::path probe_package(const std::string& build) {
  return fs::path(CEPHALO_SWAP_PROBE_DIR) / build / "strategies" / "swap_probe";
}

TentacleManifest probe_manifest(const std::string& build) {
  auto manifest = read_manifest(probe_package(build) / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  return manifest.value();
}

// The probe's saved state, as swap_probe.cpp lays it out.
struct ProbeState {
  uint64_t events = 0;
  uint64_t sequence_sum = 0;
  uint64_t last_sequence = 0;
  uint64_t out_of_order = 0;
  uint64_t candles = 0;
  double ema = 0;
  bool long_open = false;
};

// Independent of the host's own check: a line of /proc/self/maps naming the file.
bool listed_in_proc_maps(const fs::path& image) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(image.string()) != std::string::npos) return true;
  }
  return false;
}

std::vector<Candle> real_candles(NameTable& names, const char* file, const char* symbol) {
  const auto loaded =
      load_ohlcv(fs::path(CEPHALO_TEST_DATA_DIR) / file, 300'000, BadRowPolicy::kReject);
  REQUIRE(loaded.ok);
  std::vector<Candle> candles;
  for (const OhlcvBar& bar : loaded.bars) {
    candles.push_back(Candle{names.intern(symbol), names.intern("5m"), bar.open_time_ms * 1'000'000,
                             bar.open, bar.high, bar.low, bar.close, bar.volume});
  }
  return candles;
}

// Calls `between` after every `every` events it hands out: that is the loop thread, between two
// events, exactly where the hot swapper runs a swap.
class SwappingSource final : public EventSource {
 public:
  SwappingSource(EventSource& inner, size_t every, std::function<void()> between)
      : inner_(inner), every_(every), between_(std::move(between)) {}
  bool next(Event& out) override {
    if (handed_ > 0 && handed_ % every_ == 0 && between_) between_();
    ++handed_;
    return inner_.next(out);
  }

 private:
  EventSource& inner_;
  size_t every_;
  std::function<void()> between_;
  size_t handed_ = 0;
};

struct Run {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  test::ScratchDir copies{"hot-swap-copies"};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  HotSwapper swapper{pipeline, loop, nullptr, make_null_logger()};
  std::vector<std::pair<int64_t, cephalo_signal_intent>> decisions;
  uint64_t candle_events = 0;
  uint64_t candle_sequence_sum = 0;

  std::shared_ptr<TentacleLibrary> load(const std::string& build) {
    auto library = TentacleLibrary::load(probe_manifest(build), core_host_api(), copies.path());
    REQUIRE_MESSAGE(library.ok(), library.error());
    return library.value();
  }

  void start(const std::string& build) {
    TentacleUse use;
    use.tentacle = "swap_probe";
    use.where = SourceLocation{"test.yaml", 1, 1};
    auto added = pipeline.add(load(build), use);
    REQUIRE_MESSAGE(added.ok(), added.error());
  }

  void replay(size_t swap_every, std::function<void()> between) {
    ReplaySource source;
    source.add_feed(real_candles(names, "ETH_BTC-5m.csv", "ETH/BTC"), kFiveMinutesNs);
    source.add_feed(real_candles(names, "LTC_BTC-5m.csv", "LTC/BTC"), kFiveMinutesNs);
    SwappingSource swapping(source, swap_every, std::move(between));
    loop.set_dispatcher([this](const Event& event) {
      pipeline.dispatch(event);
      if (event.type() == CEPHALO_EVENT_CANDLE) {
        ++candle_events;
        candle_sequence_sum += event.sequence;
      }
      if (const auto* signal = std::get_if<Signal>(&event.payload)) {
        decisions.emplace_back(event.exchange_time_ns, signal->intent);
      }
    });
    loop.run(&swapping, false);
  }

  ProbeState probe_state() {
    REQUIRE(pipeline.instances().size() == 1);
    auto blob = pipeline.instances().front()->save_state();
    REQUIRE_MESSAGE(blob.ok(), blob.error());
    ProbeState state;
    REQUIRE(blob->size() >= sizeof state);
    std::memcpy(&state, blob->data(), sizeof state);
    return state;
  }

  std::string running_version() {
    return pipeline.instances().front()->library().manifest().version;
  }
};

}  // namespace

TEST_CASE("100 swaps during a full-speed replay: every event once, the same decisions") {
  Run baseline;
  baseline.start("v1");
  baseline.replay(1u << 30, {});
  const ProbeState expected = baseline.probe_state();
  REQUIRE(baseline.candle_events > 10000);
  REQUIRE(baseline.decisions.size() > 100);  // the probe really trades on this data
  CHECK(expected.events == baseline.candle_events);
  CHECK(expected.sequence_sum == baseline.candle_sequence_sum);

  Run swapped;
  swapped.start("v1");
  std::vector<TentacleSwapRecord> records;
  std::vector<fs::path> old_images;
  const size_t every = baseline.candle_events / 101;
  swapped.replay(every, [&] {
    if (records.size() == 100) return;
    const std::string next = records.size() % 2 == 0 ? "v2" : "v1";
    old_images.push_back(swapped.pipeline.instances().front()->library().image_path());
    records.push_back(swapped.swapper.swap_now(SwapRequest{swapped.load(next), {}, "test", {}}));
    CHECK(swapped.running_version() == (next == "v2" ? "1.0.1" : "1.0.0"));
  });

  REQUIRE(records.size() == 100);
  for (size_t i = 0; i < records.size(); ++i) {
    CAPTURE(i);
    CHECK(records[i].outcome == "swapped");
    CHECK(records[i].handoff == "state");
    CHECK(records[i].state_bytes == static_cast<int64_t>(sizeof(ProbeState)));
    CHECK(records[i].unload == "unloaded");
    CHECK(records[i].pause_ns > 0);
    // Must-show 3: the image of the replaced build is no longer mapped.
    CHECK_FALSE(listed_in_proc_maps(old_images[i]));
  }
  const ProbeState state = swapped.probe_state();
  CHECK(swapped.candle_events == baseline.candle_events);
  CHECK(state.events == swapped.candle_events);              // nothing lost, nothing twice
  CHECK(state.sequence_sum == swapped.candle_sequence_sum);  // and exactly these events
  CHECK(state.out_of_order == 0);
  CHECK(state.ema == expected.ema);
  CHECK(swapped.decisions == baseline.decisions);
  // The running copy is mapped (the check can see a mapped image), the folder keeps no copies.
  CHECK(listed_in_proc_maps(swapped.pipeline.instances().front()->library().image_path()));
  CHECK(fs::is_empty(swapped.copies.path()));
}

TEST_CASE("broken new builds are rolled back and the old one keeps trading") {
  Run baseline;
  baseline.start("v1");
  baseline.replay(1u << 30, {});

  Run run;
  run.start("v1");
  std::vector<TentacleSwapRecord> records;
  std::string abi_refusal;
  bool tried = false;
  run.replay(3000, [&] {
    if (tried) return;
    tried = true;
    records.push_back(run.swapper.swap_now(SwapRequest{run.load("create_fails"), {}, "test", {}}));
    records.push_back(run.swapper.swap_now(SwapRequest{run.load("load_throws"), {}, "test", {}}));
    // A wrong ABI never gets as far as an instance: the load itself is refused.
    auto wrong_abi =
        TentacleLibrary::load(probe_manifest("abi_major"), core_host_api(), run.copies.path());
    REQUIRE_FALSE(wrong_abi.ok());
    abi_refusal = wrong_abi.error();
    CHECK(run.running_version() == "1.0.0");
  });

  REQUIRE(records.size() == 2);
  CHECK(records[0].outcome == "rolled_back");
  CHECK(records[0].message.find("this build refuses to start") != std::string::npos);
  CHECK(records[1].outcome == "rolled_back");
  CHECK(records[1].message.find("cannot read any state") != std::string::npos);
  CHECK(abi_refusal.find("needs ABI 2.1, this host provides ABI") != std::string::npos);
  // The old instance never noticed: same events, same decisions as a run with no attempts.
  CHECK(run.running_version() == "1.0.0");
  CHECK(run.probe_state().events == run.candle_events);
  CHECK(run.decisions == baseline.decisions);
  CHECK(fs::is_empty(run.copies.path()));
}

TEST_CASE("a build with another state version warms up on the history and emits nothing then") {
  Run run;
  run.start("v1");
  TentacleSwapRecord record;
  size_t decisions_before = 0;
  bool done = false;
  run.replay(2000, [&] {
    if (done) return;
    done = true;
    decisions_before = run.decisions.size();
    record = run.swapper.swap_now(SwapRequest{run.load("state2"), {}, "test", {}});
  });
  CHECK(record.outcome == "swapped");
  CHECK(record.handoff == "warmup");
  CHECK(run.running_version() == "2.0.0");
  const ProbeState state = run.probe_state();
  // It saw the history (candles counted) but none of it as events of this run.
  CHECK(state.candles > state.events);
  CHECK(state.events > 0);
  CHECK(run.decisions.size() > decisions_before);  // and it trades afterwards
}

TEST_CASE("a swap to new parameters without a new library re-resolves them against the manifest") {
  Run run;
  run.start("v1");
  TentacleSwapRecord good, bad;
  bool done = false;
  run.replay(1000, [&] {
    if (done) return;
    done = true;
    TentacleUse use;
    use.tentacle = "swap_probe";
    use.params.push_back(ParamSetting{"period", "50", SourceLocation{"test.yaml", 3, 7}});
    good = run.swapper.swap_now(
        SwapRequest{run.pipeline.running_libraries("swap_probe").front(), use, "config", {}});
    use.params.front().value = "1";  // below the manifest's minimum
    bad = run.swapper.swap_now(
        SwapRequest{run.pipeline.running_libraries("swap_probe").front(), use, "config", {}});
  });
  CHECK(good.outcome == "swapped");
  CHECK(good.from_version == good.to_version);
  CHECK(good.unload == "kept: the new instance runs the same library");
  CHECK(run.pipeline.instances().front()->parameters().size() > 0);
  CHECK(bad.outcome == "rolled_back");
  CHECK(bad.message.find("test.yaml:3") != std::string::npos);
}

TEST_CASE("new parameters for one A/B slot's copy of a tentacle leave the other slot's alone") {
  Run run;
  run.pipeline.set_slots({"a", "b"});
  auto use_with_period = [](const char* period, int line) {
    TentacleUse use;
    use.tentacle = "swap_probe";
    use.where = SourceLocation{"test.yaml", line, 1};
    use.params.push_back(ParamSetting{"period", period, SourceLocation{"test.yaml", line, 9}});
    return use;
  };
  auto library = run.load("v1");
  REQUIRE(run.pipeline.add(library, use_with_period("20", 2), 0).ok());
  REQUIRE(run.pipeline.add(library, use_with_period("30", 5), 1).ok());
  auto period_in_slot = [&run](uint32_t slot) {
    for (const auto& instance : run.pipeline.instances()) {
      if (instance->slot() == slot) return instance->use().params.at(0).value;
    }
    return std::string("none");
  };

  const Pipeline::SwapTarget slot_b{1, 0};
  const auto record =
      run.swapper.swap_now(SwapRequest{library, use_with_period("45", 5), "config", slot_b});
  CHECK(record.outcome == "swapped");
  CHECK(record.message == "slot b only");
  CHECK(period_in_slot(0) == "20");
  CHECK(period_in_slot(1) == "45");
  CHECK(run.pipeline.instances().size() == 2);

  // A target that does not exist changes nothing and says which slot it looked in.
  const Pipeline::SwapTarget missing{1, 1};
  const auto refused =
      run.swapper.swap_now(SwapRequest{library, use_with_period("50", 5), "config", missing});
  CHECK(refused.outcome == "rolled_back");
  CHECK(refused.message.find("slot b") != std::string::npos);
  CHECK(period_in_slot(0) == "20");
  CHECK(period_in_slot(1) == "45");
}

namespace {

// Hands out scripted events, calling `between` before each one after the first: where a bot's
// swaps happen, between two events on the loop thread.
class ScriptedSource final : public EventSource {
 public:
  ScriptedSource(std::vector<Event> events, std::function<void(size_t next)> between)
      : events_(std::move(events)), between_(std::move(between)) {}
  bool next(Event& out) override {
    if (handed_ == events_.size()) return false;
    if (handed_ > 0 && between_) between_(handed_);
    out = events_[handed_++];
    return true;
  }

 private:
  std::vector<Event> events_;
  std::function<void(size_t)> between_;
  size_t handed_ = 0;
};

TentacleManifest fixture_manifest(const std::string& kind_folder, const std::string& name) {
  auto manifest = read_manifest(test::fixture_package(kind_folder, name) / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  return manifest.value();
}

}  // namespace

// Must-show 2 of issue 20: `tentacles new --kind strategy` writes save_state/load_state for the
// position it tracks, so a swap does not make it enter again. The library is built from the
// scaffold's own template files (tests/tentacles/fixtures/CMakeLists.txt).
TEST_CASE("a scaffolded strategy holding a position keeps it across 10 hot swaps") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  test::ScratchDir copies{"scaffold-copies"};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  HotSwapper swapper{pipeline, loop, nullptr, make_null_logger()};
  const TentacleManifest manifest = fixture_manifest("strategies", "scaffolded_strategy");
  auto load = [&] {
    auto library = TentacleLibrary::load(manifest, core_host_api(), copies.path());
    REQUIRE_MESSAGE(library.ok(), library.error());
    return library.value();
  };
  TentacleUse use;
  use.tentacle = "scaffolded_strategy";
  use.where = SourceLocation{"test.yaml", 1, 1};
  REQUIRE(pipeline.add(load(), use).ok());

  // A bullish evaluation (above the 0.3 threshold) enters; ten more arrive, one after each swap,
  // while the position is open; then a bearish one exits.
  auto evaluation = [&](int64_t minute, double value) {
    Event event;
    event.exchange_time_ns = minute * 60'000'000'000;
    event.payload = Evaluation{names.intern("ETH/BTC"), names.intern("rsi"), value, 0.9};
    return event;
  };
  std::vector<Event> script;
  for (int i = 0; i <= 10; ++i) script.push_back(evaluation(i, 0.6));
  script.push_back(evaluation(11, -0.6));
  std::vector<TentacleSwapRecord> records;
  ScriptedSource source(script, [&](size_t next) {
    if (next > 10) return;
    records.push_back(swapper.swap_now(SwapRequest{load(), {}, "test", {}}));
  });
  std::vector<cephalo_signal_intent> signals;
  loop.set_dispatcher([&](const Event& event) {
    pipeline.dispatch(event);
    if (const auto* signal = std::get_if<Signal>(&event.payload)) signals.push_back(signal->intent);
  });
  loop.run(&source, false);

  REQUIRE(records.size() == 10);
  for (const auto& record : records) {
    CHECK(record.outcome == "swapped");
    CHECK(record.handoff == "state");
    CHECK(record.state_bytes > 0);
  }
  // One entry and one exit: no duplicate ENTER_LONG after any of the swaps.
  REQUIRE(signals.size() == 2);
  CHECK(signals[0] == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(signals[1] == CEPHALO_SIGNAL_EXIT_LONG);
}

TEST_CASE("a swap from a tentacle with a state version but no state logs a warning") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  test::ScratchDir copies{"warn-copies"};
  auto log_text = std::make_shared<std::ostringstream>();
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_st>(*log_text));
  Pipeline pipeline{loop, names, nullptr, logger};
  // The timer probe saves nothing and keeps the SDK's default state_version 1.
  const TentacleManifest manifest = fixture_manifest("strategies", "fixture_timer_probe");
  auto load = [&] {
    auto library = TentacleLibrary::load(manifest, core_host_api(), copies.path());
    REQUIRE_MESSAGE(library.ok(), library.error());
    return library.value();
  };
  TentacleUse use;
  use.tentacle = "fixture_timer_probe";
  REQUIRE(pipeline.add(load(), use).ok());
  auto outcome = pipeline.swap(load(), nullptr);
  CHECK(outcome.swapped);
  CHECK(outcome.state_bytes == 0);
  const std::string text = log_text->str();
  CHECK_MESSAGE(
      text.find("declares state_version 1 but handed over 0 bytes of state") != std::string::npos,
      text);
  CHECK(text.find("tentacle 'fixture_timer_probe'") != std::string::npos);
}
