// The running pipeline: parameter checks, create failures, quarantine, history without lookahead.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include "host/pipeline.hpp"

#include <doctest/doctest.h>

#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "logging/logging.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

constexpr int64_t kFiveMinutes = 300'000'000'000;

std::shared_ptr<TentacleLibrary> load(const fs::path& package) {
  auto manifest = read_manifest(package / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  auto library = TentacleLibrary::load(manifest.value(), core_host_api());
  REQUIRE_MESSAGE(library.ok(), library.error());
  return library.value();
}

TentacleUse use_of(const std::string& name) {
  TentacleUse use;
  use.tentacle = name;
  use.where = SourceLocation{"test.yaml", 1, 1};
  return use;
}

std::vector<Candle> rising_candles(NameTable& names, const char* symbol, int count) {
  std::vector<Candle> candles;
  for (int i = 0; i < count; ++i) {
    const double price = 100.0 + i;
    candles.push_back(Candle{names.intern(symbol), names.intern("5m"), i * kFiveMinutes, price,
                             price + 1, price - 1, price + 0.5, 10.0});
  }
  return candles;
}

struct Harness {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  std::vector<Event> seen;

  void run(std::vector<Candle> candles) {
    ReplaySource source;
    source.add_feed(std::move(candles), kFiveMinutes);
    loop.set_dispatcher([this](const Event& event) {
      pipeline.dispatch(event);
      seen.push_back(event);
    });
    loop.run(&source, false);
  }
  size_t count(cephalo_event_type type) const {
    size_t n = 0;
    for (const auto& event : seen) n += event.type() == type ? 1 : 0;
    return n;
  }
};

}  // namespace

TEST_CASE("a tentacle whose create fails is not added, and the reason is its own message") {
  Harness harness;
  auto added =
      harness.pipeline.add(load(test::fixture_package("strategies", "fixture_create_fails")),
                           use_of("fixture_create_fails"));
  REQUIRE_FALSE(added.ok());
  CHECK(added.error().find("create failed") != std::string::npos);
  CHECK(added.error().find("fixture_create_fails: refusing to be created") != std::string::npos);
  CHECK(harness.pipeline.instances().empty());
}

TEST_CASE("a throwing callback quarantines only that tentacle and raises an error event") {
  Harness harness;
  REQUIRE(harness.pipeline
              .add(load(test::fixture_package("evaluators", "fixture_throws")),
                   use_of("fixture_throws"))
              .ok());
  REQUIRE(
      harness.pipeline
          .add(load(test::fixture_package("strategies", "fixture_good")), use_of("fixture_good"))
          .ok());
  harness.run(rising_candles(harness.names, "ETH/BTC", 30));

  CHECK(harness.pipeline.stats().quarantined == 1);
  REQUIRE(harness.count(CEPHALO_EVENT_ERROR) == 1);
  for (const auto& event : harness.seen) {
    if (const auto* error = std::get_if<ErrorInfo>(&event.payload)) {
      CHECK(error->source == "fixture_throws");
      CHECK(error->message.find("quarantined") != std::string::npos);
      CHECK(error->message.find("boom") != std::string::npos);
      // Raised while the third candle was being handled, at that candle's close time.
      CHECK(event.exchange_time_ns == 3 * kFiveMinutes);
    }
  }
  // The good strategy kept receiving every candle: a signal on the 10th, 20th and 30th.
  CHECK(harness.count(CEPHALO_EVENT_CANDLE) == 30);
  CHECK(harness.count(CEPHALO_EVENT_SIGNAL) == 3);
  CHECK(harness.pipeline.instances()[0]->quarantined());
  CHECK_FALSE(harness.pipeline.instances()[1]->quarantined());
}

TEST_CASE("parameters are checked against the manifest, every problem with its place") {
  Harness harness;
  TentacleUse use = use_of("rsi");
  use.params.push_back(ParamSetting{"perod", "3", SourceLocation{"bot.yaml", 7, 9}});
  use.params.push_back(ParamSetting{"oversold", "80", SourceLocation{"bot.yaml", 8, 19}});
  use.params.push_back(ParamSetting{"overbought", "high", SourceLocation{"bot.yaml", 9, 21}});
  auto added = harness.pipeline.add(load(test::builtin_package("evaluators", "rsi")), use);
  REQUIRE_FALSE(added.ok());
  const std::string& error = added.error();
  CHECK(error.find("bot.yaml:7:9: params.perod: tentacle 'rsi' has no such parameter") !=
        std::string::npos);
  CHECK(error.find("(it has: ") != std::string::npos);
  CHECK(error.find("bot.yaml:8:19: params.oversold") != std::string::npos);
  CHECK(error.find("found 80") != std::string::npos);
  CHECK(error.find("bot.yaml:9:21: params.overbought") != std::string::npos);
  CHECK(error.find("expected a finite number, found 'high'") != std::string::npos);
}

TEST_CASE("valid parameters reach the tentacle: a longer RSI period warms up later") {
  auto first_evaluation_index = [](const std::string& period) {
    Harness harness;
    TentacleUse use = use_of("rsi");
    use.params.push_back(ParamSetting{"period", period, SourceLocation{"bot.yaml", 3, 3}});
    auto added = harness.pipeline.add(load(test::builtin_package("evaluators", "rsi")), use);
    REQUIRE_MESSAGE(added.ok(), added.error());
    harness.run(rising_candles(harness.names, "ETH/BTC", 40));
    int candles = 0;
    for (const auto& event : harness.seen) {
      if (event.type() == CEPHALO_EVENT_CANDLE) ++candles;
      if (event.type() == CEPHALO_EVENT_EVALUATION) return candles;
    }
    return -1;
  };
  // Wilder RSI(n) has its first value on the (n+1)th close.
  CHECK(first_evaluation_index("5") == 6);
  CHECK(first_evaluation_index("14") == 15);
}

TEST_CASE("candle history offered to tentacles ends at the current candle: no lookahead") {
  Harness harness;
  std::vector<Candle> candles = rising_candles(harness.names, "ETH/BTC", 25);
  ReplaySource source;
  source.add_feed(candles, kFiveMinutes);
  int checked = 0;
  harness.loop.set_dispatcher([&](const Event& event) {
    harness.pipeline.dispatch(event);
    const auto* candle = std::get_if<Candle>(&event.payload);
    if (candle == nullptr) return;
    std::vector<cephalo_candle> history(100);
    uint32_t count = 0;
    REQUIRE(harness.pipeline.candle_history("ETH/BTC", "5m", 100, history.data(), &count) ==
            CEPHALO_OK);
    REQUIRE(count > 0);
    CHECK(history[count - 1].open_time_ns == candle->open_time_ns);
    CHECK(harness.clock.now_ns() == candle->open_time_ns + kFiveMinutes);
    for (uint32_t i = 0; i < count; ++i) CHECK(history[i].open_time_ns <= candle->open_time_ns);
    ++checked;
  });
  harness.loop.run(&source, false);
  CHECK(checked == 25);
}

namespace {

// A venue that only remembers what the pipeline asked of it.
class RecordingVenue final : public ExecutionVenue {
 public:
  std::vector<AccountAction> actions;
  void on_candle(const Candle&, int64_t, const ProtectiveExit*,
                 std::vector<EventPayload>&) override {}
  void on_order_intent(const OrderIntent&, uint64_t, int64_t, std::vector<EventPayload>&) override {
  }
  double cash() const override { return 1000; }
  void position(std::string_view, double& quantity, double& average_price) const override {
    quantity = 0;
    average_price = 0;
  }
  AccountView account_view() const override { return AccountView{1000, {}, {}}; }
  double equity() const override { return 1000; }
  double last_price(std::string_view) const override { return 100; }
  void refuse(const OrderIntent&, int64_t, const std::string&) override {}
  void apply(const AccountAction& action, int64_t, std::vector<EventPayload>&) override {
    actions.push_back(action);
  }
  std::vector<ClosedTrade> take_closed_trades() override { return {}; }
};

}  // namespace

TEST_CASE("the kill switch and resume need a risk engine, and say so") {
  Harness harness;
  const Status killed = harness.pipeline.kill_switch("operator");
  REQUIRE_FALSE(killed.ok());
  CHECK(killed.error().find("no risk engine") != std::string::npos);
  const Status resumed = harness.pipeline.resume_trading("operator");
  REQUIRE_FALSE(resumed.ok());
  CHECK(resumed.error().find("no risk engine") != std::string::npos);
}

TEST_CASE("position_size sizes with the core's helpers and clamps to the risk limits") {
  Harness harness;
  RecordingVenue venue;  // equity 1000, flat, last price 100
  RiskConfig limits;
  limits.position.max_position_fraction = 0.5;  // at most 500 quote = 5 units at 100
  RiskEngine risk{limits};
  harness.pipeline.set_venue(&venue);
  harness.pipeline.set_risk(&risk);
  REQUIRE(
      harness.pipeline
          .add(load(test::fixture_package("strategies", "fixture_good")), use_of("fixture_good"))
          .ok());
  TentacleInstance& tentacle = *harness.pipeline.instances().front();

  cephalo_sizing_request request{sizeof request,
                                 CEPHALO_SIZING_RISK_PER_TRADE,
                                 "ETH/BTC",
                                 CEPHALO_SIDE_BUY,
                                 0,
                                 0,
                                 0.002,
                                 99,
                                 0};
  cephalo_sizing_result result{};
  // 0.2 % of 1000 lost over a distance of 1 (price 0 = the last close, 100): 2 units, unclamped.
  REQUIRE(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_OK);
  CHECK(result.unclamped_quantity == doctest::Approx(2.0));
  CHECK(result.quantity == doctest::Approx(2.0));
  CHECK(result.clamped == 0);
  CHECK(result.limit_quantity == doctest::Approx(5.0));

  request.value = 0.01;  // 10 units wanted; the position limit allows 5
  REQUIRE(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_OK);
  CHECK(result.unclamped_quantity == doctest::Approx(10.0));
  CHECK(result.clamped == 1);
  CHECK(result.quantity == doctest::Approx(5.0));
  CHECK(result.quantity * 100 <= 500);  // never above the limit, so risk will not refuse it

  request.method = CEPHALO_SIZING_FIXED_FRACTION;
  request.value = 0.3;
  REQUIRE(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_OK);
  CHECK(result.quantity == doctest::Approx(3.0));

  request.method = CEPHALO_SIZING_VOLATILITY_TARGET;
  request.value = 0.01;
  request.volatility = 0.05;  // 1000 x 0.01 / 0.05 = 200 quote = 2 units
  REQUIRE(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_OK);
  CHECK(result.quantity == doctest::Approx(2.0));

  request.volatility = 0;
  CHECK(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_INVALID_ARGUMENT);
  request.method = 42;
  CHECK(harness.pipeline.position_size(tentacle, request, result) == CEPHALO_INVALID_ARGUMENT);
}

TEST_CASE("timers fire on the data's clock, before the candle of their time, to their owner only") {
  Harness harness;
  REQUIRE(harness.pipeline
              .add(load(test::fixture_package("strategies", "fixture_timer_probe")),
                   use_of("fixture_timer_probe"))
              .ok());
  REQUIRE(
      harness.pipeline
          .add(load(test::fixture_package("strategies", "fixture_good")), use_of("fixture_good"))
          .ok());
  constexpr int64_t kHourNs = 12 * kFiveMinutes;
  harness.run(rising_candles(harness.names, "ETH/BTC", 12 * 24));  // one day of 5m candles

  std::vector<int64_t> fired;
  for (size_t i = 0; i < harness.seen.size(); ++i) {
    const Event& event = harness.seen[i];
    if (event.type() != CEPHALO_EVENT_TIMER) continue;
    fired.push_back(event.exchange_time_ns);
    CAPTURE(event.exchange_time_ns);
    // Before the candle of the same time, after every earlier one.
    REQUIRE(i + 1 < harness.seen.size());
    size_t next = i + 1;
    while (next < harness.seen.size() && harness.seen[next].type() != CEPHALO_EVENT_CANDLE) ++next;
    if (next < harness.seen.size())
      CHECK(harness.seen[next].exchange_time_ns >= event.exchange_time_ns);
  }
  const int64_t last_candle_time = [&] {
    int64_t last = 0;
    for (const auto& event : harness.seen) {
      if (event.type() == CEPHALO_EVENT_CANDLE) last = event.exchange_time_ns;
    }
    return last;
  }();
  REQUIRE(!fired.empty());
  CHECK(fired.front() % kHourNs == 0);
  for (size_t i = 1; i < fired.size(); ++i) CHECK(fired[i] - fired[i - 1] == kHourNs);
  CHECK(fired.back() <= last_candle_time);
  CHECK(fired.back() + kHourNs > last_candle_time);  // none left behind before the end
  // Every firing led to one signal from the probe, all from the hourly timer (the cancelled
  // one-shot never fired), and fixture_good never heard of a timer (it would quarantine).
  size_t probe_signals = 0;
  for (const auto& event : harness.seen) {
    if (const auto* signal = std::get_if<Signal>(&event.payload)) {
      if (signal->strategy.view() != "fixture_timer_probe") continue;
      ++probe_signals;
      CHECK(signal->strength == 1.0);
    }
  }
  CHECK(probe_signals == fired.size());
  CHECK(harness.count(CEPHALO_EVENT_ERROR) == 0);
  CHECK(harness.pipeline.stats().quarantined == 0);
}
