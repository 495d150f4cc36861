// Promoting an A/B slot while one trades a real account: pending until the real account can change
// hands, then the promoted slot's intents reach the real venue and the old one's a paper account.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include <doctest/doctest.h>

#include <functional>
#include <map>

#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/pipeline.hpp"
#include "logging/logging.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

constexpr int64_t kFiveMinutes = 300'000'000'000;

// An account the test steers: its position and open orders are what the test says; it remembers
// every intent (with its slot and event sequence) and every account action it was asked to apply.
class FakeAccount final : public ExecutionVenue {
 public:
  explicit FakeAccount(double equity_in_quote) : equity_(equity_in_quote) {}
  struct Sent {
    SlotIndex slot;
    uint64_t sequence;
    double quantity;
  };
  std::vector<Sent> intents;
  std::vector<AccountAction> actions;
  std::map<std::string, double> positions;  // base, by symbol
  size_t open_orders = 0;
  double dust = 0;                 // what dust_quantity() answers
  std::vector<EventPayload> held;  // fills reported but not yet handed to the pipeline

  std::vector<int64_t> candles;  // open times of the candles it saw
  void on_candle(const Candle& candle, int64_t, const ProtectiveExit*,
                 std::vector<EventPayload>&) override {
    candles.push_back(candle.open_time_ns);
  }
  void on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t,
                       std::vector<EventPayload>&) override {
    intents.push_back(Sent{intent.slot, sequence, intent.quantity});
  }
  double cash() const override { return equity_; }
  void position(std::string_view symbol, double& quantity, double& average_price) const override {
    const auto found = positions.find(std::string(symbol));
    quantity = found == positions.end() ? 0 : found->second;
    average_price = quantity != 0 ? 100 : 0;
  }
  AccountView account_view() const override {
    AccountView view{equity_, {}, {}};
    for (const auto& [symbol, quantity] : positions) {
      view.positions.push_back(AccountPosition{symbol, quantity, 100});
    }
    for (size_t i = 0; i < open_orders; ++i) {
      view.open_orders.push_back(AccountOrder{"ETH/BTC", CEPHALO_SIDE_BUY, 0.1, 99});
    }
    return view;
  }
  double equity() const override { return equity_; }
  double last_price(std::string_view) const override { return 100; }
  void refuse(const OrderIntent&, int64_t, const std::string&) override {}
  void apply(const AccountAction& action, int64_t, std::vector<EventPayload>&) override {
    actions.push_back(action);
  }
  std::vector<ClosedTrade> take_closed_trades() override { return {}; }
  void take_events(std::vector<EventPayload>& out_events) override {
    for (auto& payload : held) out_events.push_back(std::move(payload));
    held.clear();
  }
  double dust_quantity(std::string_view) const override { return dust; }

 private:
  double equity_;
};

std::shared_ptr<TentacleLibrary> load_dca() {
  auto manifest = read_manifest(test::builtin_package("trading_modes", "dca") / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  auto library = TentacleLibrary::load(manifest.value(), core_host_api());
  REQUIRE_MESSAGE(library.ok(), library.error());
  return library.value();
}

// dca buying `quote_per_buy` at every candle: slot A buys 10 (0.1 ETH at 100), slot B 20 (0.2).
TentacleUse dca_buying(double quote_per_buy) {
  TentacleUse use;
  use.tentacle = "dca";
  use.where = SourceLocation{"test.yaml", 1, 1};
  const SourceLocation where{"test.yaml", 2, 1};
  use.params.push_back(ParamSetting{"interval_bars", "1", where});
  use.params.push_back(ParamSetting{"quote_per_buy", std::to_string(quote_per_buy), where});
  use.params.push_back(ParamSetting{"take_profit", "0", where});
  return use;
}

// Two slots: A trades `real`, B shadows it on `paper_b`; a promotion gives A a fresh paper account
// (kept in `paper_a`). `on_candle(n)` runs on the loop thread after the n-th candle (1-based).
struct TwoSlots {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  FakeAccount real{1000};
  FakeAccount paper_b{500};
  std::vector<std::unique_ptr<FakeAccount>> paper_a;
  std::vector<double> paper_a_cash;
  RiskEngine risk_a{RiskConfig{}}, risk_b{RiskConfig{}};
  std::vector<Event> seen;
  uint64_t switched_after = 0;  // sequence of the event after which B became live
  std::function<void(int)> on_candle = [](int) {};

  TwoSlots() {
    pipeline.set_slots({"A", "B"});
    pipeline.set_live_slot(0);
    auto dca = load_dca();
    REQUIRE(pipeline.add(dca, dca_buying(10), 0).ok());
    REQUIRE(pipeline.add(dca, dca_buying(20), 1).ok());
    pipeline.set_real_venue(&real);
    pipeline.set_venue(&paper_b, 1);
    pipeline.set_risk(&risk_a, 0);
    pipeline.set_risk(&risk_b, 1);
    pipeline.set_paper_account_factory([this](SlotIndex slot, double cash) {
      CHECK(slot == 0);
      paper_a.push_back(std::make_unique<FakeAccount>(cash));
      paper_a_cash.push_back(cash);
      return Result<ExecutionVenue*>(paper_a.back().get());
    });
  }

  void run(int candles) {
    std::vector<Candle> series;
    for (int i = 0; i < candles; ++i) {
      series.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"), i * kFiveMinutes, 100,
                              101, 99, 100, 10});
    }
    ReplaySource source;
    source.add_feed(std::move(series), kFiveMinutes);
    int candle_count = 0;
    loop.set_dispatcher([this, &candle_count](const Event& event) {
      const SlotIndex before = pipeline.live_slot();
      pipeline.dispatch(event);
      seen.push_back(event);
      if (before == 0 && pipeline.live_slot() == 1) switched_after = event.sequence;
      if (event.type() == CEPHALO_EVENT_CANDLE) on_candle(++candle_count);
    });
    loop.run(&source, false);
  }
};

}  // namespace

TEST_CASE("live promotion waits while the live slot holds a real position, then hands it over") {
  TwoSlots bot;
  bot.real.positions["ETH/BTC"] = 1.0;  // A's strategy holds a real position
  bot.real.dust = 0.001;
  std::optional<Pipeline::Promotion> requested;
  std::string waiting_at_candle_5;
  bot.on_candle = [&](int candle) {
    if (candle == 3) {
      auto promoted = bot.pipeline.promote("B", "test");
      REQUIRE_MESSAGE(promoted.ok(), promoted.error());
      requested = promoted.value();
    }
    if (candle == 5) {
      const auto pending = bot.pipeline.pending_promotion();
      REQUIRE(pending.has_value());
      CHECK(pending->to == "B");
      waiting_at_candle_5 = pending->waiting_for;
    }
    if (candle == 6) {
      // A's exit filled: the account keeps only fee dust, and the fill is still held by the venue.
      bot.real.positions["ETH/BTC"] = 0.0004;
      bot.real.held.push_back(
          Fill{bot.names.intern("ETH/BTC"), CEPHALO_SIDE_SELL, "A-exit", 0.9996, 100, 0, "BTC"});
    }
  };
  bot.run(10);

  REQUIRE(requested.has_value());
  CHECK(requested->state == Pipeline::Promotion::State::kPending);
  CHECK(requested->waiting_for.find("slot A to be flat on the real account: a position of 1 "
                                    "ETH/BTC") != std::string::npos);
  CHECK(waiting_at_candle_5 == requested->waiting_for);
  // The switch came after the candle that left A flat, not before.
  REQUIRE(bot.switched_after > 0);
  CHECK(bot.pipeline.live_slot() == 1);
  CHECK_FALSE(bot.pipeline.pending_promotion().has_value());

  // The real venue: A's intents up to the switch, B's after it, none of A's after. The switch
  // came right after A's intent of the sixth candle (the first event once flat); B's intent of
  // that candle was dispatched after it, so it went to the real account: an intent is routed by
  // its slot when it is dispatched.
  size_t a_before = 0, b_after = 0;
  for (const auto& sent : bot.real.intents) {
    if (sent.sequence <= bot.switched_after) {
      CHECK(sent.slot == 0);
      CHECK(sent.quantity == doctest::Approx(0.1));
      ++a_before;
    } else {
      CHECK(sent.slot == 1);
      CHECK(sent.quantity == doctest::Approx(0.2));
      ++b_after;
    }
  }
  CHECK(a_before == 6);  // one buy per candle up to the sixth
  CHECK(b_after == 5);   // candles 6..10
  // B's paper account got B's intents before the switch only.
  CHECK(bot.paper_b.intents.size() == 5);
  for (const auto& sent : bot.paper_b.intents) {
    CHECK(sent.slot == 1);
    CHECK(sent.sequence < bot.switched_after);
  }
  // A continues on a fresh paper account funded with the real account's equity.
  REQUIRE(bot.paper_a.size() == 1);
  CHECK(bot.paper_a_cash.front() == doctest::Approx(1000));
  // Marked to the sixth candle at the switch (so it can price A's next intent), then 7..10.
  const std::vector<int64_t> marked{5 * kFiveMinutes, 6 * kFiveMinutes, 7 * kFiveMinutes,
                                    8 * kFiveMinutes, 9 * kFiveMinutes};
  CHECK(bot.paper_a.front()->candles == marked);
  CHECK(bot.paper_a.front()->intents.size() == 4);
  for (const auto& sent : bot.paper_a.front()->intents) {
    CHECK(sent.slot == 0);
    CHECK(sent.sequence > bot.switched_after);
  }
  // The fill the real venue still held went to A, once.
  int exits = 0;
  for (const Event& event : bot.seen) {
    if (const auto* fill = std::get_if<Fill>(&event.payload);
        fill != nullptr && fill->client_order_id == "A-exit") {
      ++exits;
      CHECK(fill->slot == 0);
    }
  }
  CHECK(exits == 1);
  CHECK(bot.real.actions.empty());  // nothing was flattened: A exited on its own
}

TEST_CASE("live promotion also waits for the promoted slot to be flat on paper") {
  TwoSlots bot;
  bot.paper_b.positions["ETH/BTC"] = 0.5;  // B holds a paper position; the real account is flat
  std::string waiting;
  bot.on_candle = [&](int candle) {
    if (candle == 2) {
      auto promoted = bot.pipeline.promote("B", "test");
      REQUIRE(promoted.ok());
      CHECK(promoted->state == Pipeline::Promotion::State::kPending);
      waiting = promoted->waiting_for;
    }
    if (candle == 4) bot.paper_b.positions["ETH/BTC"] = 0;
  };
  bot.run(6);
  CHECK(waiting == "slot B to be flat on paper: a position of 0.5 ETH/BTC");
  CHECK(bot.pipeline.live_slot() == 1);
  REQUIRE(bot.switched_after > 0);
  for (const auto& sent : bot.real.intents)
    CHECK((sent.slot == 1) == (sent.sequence > bot.switched_after));
}

TEST_CASE("--now cancels the live slot's orders and sells its position, then switches") {
  TwoSlots bot;
  bot.real.positions["ETH/BTC"] = 1.0;
  bot.real.open_orders = 1;
  bot.on_candle = [&](int candle) {
    if (candle == 2) {
      auto promoted = bot.pipeline.promote("B", "test", true);
      REQUIRE(promoted.ok());
      CHECK(promoted->state == Pipeline::Promotion::State::kPending);
      CHECK(promoted->waiting_for.find("1 open order") != std::string::npos);
      // The flattening went out at once, once.
      REQUIRE(bot.real.actions.size() == 1);
      CHECK(bot.real.actions[0].cancel_all_orders);
      CHECK(bot.real.actions[0].flatten_all);
      CHECK(bot.paper_b.actions.empty());  // B's paper account was flat already
    }
    if (candle == 3) {
      CHECK(bot.real.actions.size() == 1);  // not sent again while waiting for the fills
      bot.real.open_orders = 0;
      bot.real.positions["ETH/BTC"] = 0;
    }
  };
  bot.run(5);
  CHECK(bot.pipeline.live_slot() == 1);
  CHECK(bot.real.actions.size() == 1);
}

TEST_CASE("promotion refusals name their reason; promoting the live slot cancels a pending one") {
  TwoSlots bot;
  bot.real.positions["ETH/BTC"] = 1.0;

  auto unknown = bot.pipeline.promote("C", "test");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error() == "no slot named 'C' (slots: A, B)");

  auto already = bot.pipeline.promote("A", "test");
  REQUIRE(already.ok());
  CHECK(already->state == Pipeline::Promotion::State::kAlreadyLive);

  (void)bot.risk_b.kill("operator");
  auto halted = bot.pipeline.promote("B", "test");
  REQUIRE_FALSE(halted.ok());
  CHECK(halted.error().find("slot B is halted by its risk engine") != std::string::npos);
  bot.risk_b.resume();

  auto pending = bot.pipeline.promote("B", "test");
  REQUIRE(pending.ok());
  CHECK(pending->state == Pipeline::Promotion::State::kPending);
  auto cancelled = bot.pipeline.promote("A", "test");
  REQUIRE(cancelled.ok());
  CHECK(cancelled->state == Pipeline::Promotion::State::kCancelled);
  CHECK(cancelled->to == "B");
  CHECK_FALSE(bot.pipeline.pending_promotion().has_value());

  // Flat, and no pending promotion left: nothing changes hands on later events.
  bot.real.positions["ETH/BTC"] = 0;
  bot.run(3);
  CHECK(bot.pipeline.live_slot() == 0);
  CHECK(bot.paper_a.empty());
}

TEST_CASE("without a paper account for the old live slot a live promotion is refused") {
  TwoSlots bot;
  bot.pipeline.set_paper_account_factory(
      [](SlotIndex, double) { return Result<ExecutionVenue*>(Error{"disk full"}); });
  auto promoted = bot.pipeline.promote("B", "test");  // flat: the switch is tried at once
  REQUIRE_FALSE(promoted.ok());
  CHECK(promoted.error().find("no paper sub-account for slot A: disk full") != std::string::npos);
  CHECK(bot.pipeline.live_slot() == 0);
  CHECK_FALSE(bot.pipeline.pending_promotion().has_value());
}
