// The engine's state over time: loss-streak pause, pair cooldown, daily-loss halt (UTC and
// another day boundary), drawdown halt, kill switch, and protective exits of tracked positions.
#include <doctest/doctest.h>

#include "risk/risk_engine.hpp"

namespace {

using namespace cephalo;

constexpr int64_t kMinute = 60'000'000'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay0 = 1'700'000'000'000'000'000 / kNsPerDay * kNsPerDay;  // a UTC midnight

IntentToCheck buy(const char* symbol, double quantity, double price) {
  IntentToCheck intent;
  intent.symbol = symbol;
  intent.quantity = quantity;
  intent.price = price;
  return intent;
}

AccountView account(double equity) {
  AccountView view;
  view.equity = equity;
  return view;
}

bool entry_allowed(RiskEngine& engine, int64_t now_ns, double equity = 1000) {
  return engine.evaluate(buy("ETH/BTC", 1, 100), account(equity), now_ns).allowed;
}

TEST_CASE("consecutive losses pause entries for the cooldown in bars") {
  RiskConfig config;
  config.strategy.max_consecutive_losses = 3;
  config.strategy.loss_pause_bars = 2;
  RiskEngine engine(config);
  int64_t t = kDay0;
  (void)engine.on_bar("ETH/BTC", {100, 101, 99, 100}, t);
  engine.on_trade_closed({"ETH/BTC", -1, "signal", t});
  engine.on_trade_closed({"ETH/BTC", -1, "signal", t});
  engine.on_trade_closed({"ETH/BTC", 2, "signal", t});  // a win resets the streak
  engine.on_trade_closed({"ETH/BTC", -1, "signal", t});
  engine.on_trade_closed({"ETH/BTC", -1, "signal", t});
  CHECK(engine.state(t).consecutive_losses == 2);
  CHECK(entry_allowed(engine, t));
  engine.on_trade_closed({"ETH/BTC", -1, "signal", t});
  CHECK(engine.counts().loss_pauses == 1);
  CHECK(engine.state(t).loss_paused);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), t);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kLossStreakPause);
  CHECK(refused.first_refusal()->reason.find("paused after 3 consecutive losses") == 0);
  (void)engine.on_bar("ETH/BTC", {100, 101, 99, 100}, t + 5 * kMinute);
  (void)engine.on_bar("LTC/BTC", {100, 101, 99, 100}, t + 5 * kMinute);  // same bar, other pair
  CHECK_FALSE(entry_allowed(engine, t + 5 * kMinute));
  (void)engine.on_bar("ETH/BTC", {100, 101, 99, 100}, t + 10 * kMinute);
  CHECK(entry_allowed(engine, t + 10 * kMinute));
  CHECK(engine.state(t + 10 * kMinute).consecutive_losses == 0);
}

TEST_CASE("consecutive losses pause entries for the cooldown in ns") {
  RiskConfig config;
  config.strategy.max_consecutive_losses = 1;
  config.strategy.loss_pause_ns = kHour;
  RiskEngine engine(config);
  engine.on_trade_closed({"ETH/BTC", -5, "signal", kDay0});
  CHECK_FALSE(entry_allowed(engine, kDay0 + kHour - 1));
  CHECK(entry_allowed(engine, kDay0 + kHour));
}

TEST_CASE("a stop-out cools the pair down; other pairs and other exits are not affected") {
  RiskConfig config;
  config.strategy.stop_out_cooldown_ns = 30 * kMinute;
  RiskEngine engine(config);
  engine.on_trade_closed({"ETH/BTC", -5, "signal", kDay0});
  CHECK(entry_allowed(engine, kDay0));
  engine.on_trade_closed({"ETH/BTC", -5, "stop_loss", kDay0});
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kDay0 + kMinute);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kPairCooldown);
  CHECK(engine.evaluate(buy("LTC/BTC", 1, 100), account(1000), kDay0 + kMinute).allowed);
  CHECK(entry_allowed(engine, kDay0 + 30 * kMinute));
}

TEST_CASE("daily loss halts entries until the next UTC day and asks to flatten") {
  RiskConfig config;
  config.account.max_daily_loss_fraction = 0.05;
  RiskEngine engine(config);
  CHECK_FALSE(engine.on_equity(1000, kDay0 + 1 * kHour));
  CHECK_FALSE(engine.on_equity(951, kDay0 + 2 * kHour));  // 4.9 %
  CHECK(entry_allowed(engine, kDay0 + 2 * kHour));
  auto action = engine.on_equity(950, kDay0 + 3 * kHour);  // exactly 5 %
  REQUIRE(action);
  CHECK(action->flatten_all);
  CHECK(action->cancel_entry_orders);
  CHECK_FALSE(action->cancel_all_orders);
  CHECK(action->reason ==
        "daily loss 50 reached 0.05 of start-of-day equity 1000: no entries until the next "
        "trading day");
  CHECK(engine.counts().daily_loss_halts == 1);
  CHECK_FALSE(engine.on_equity(900, kDay0 + 4 * kHour));  // edge-triggered: once a day
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 100), account(900), kDay0 + 5 * kHour);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kDailyLoss);
  CHECK(engine.state(kDay0 + 5 * kHour).daily_loss_halted);
  CHECK_FALSE(entry_allowed(engine, kDay0 + kNsPerDay - 1, 900));
  CHECK(entry_allowed(engine, kDay0 + kNsPerDay, 900));
  // The new day starts from the last equity of the old one (900): 5 % of that is 45.
  CHECK_FALSE(engine.on_equity(856, kDay0 + kNsPerDay + kHour));
  CHECK(engine.on_equity(855, kDay0 + kNsPerDay + 2 * kHour));
  CHECK(engine.state(kDay0 + kNsPerDay + 2 * kHour).start_of_day_equity == 900);
}

TEST_CASE("daily loss with the day starting at midnight UTC+2 (22:00 UTC)") {
  RiskConfig config;
  config.account.max_daily_loss_fraction = 0.1;
  config.account.day_start_utc_offset_minutes = 120;
  config.account.flatten_on_daily_loss = false;
  RiskEngine engine(config);
  const int64_t boundary = kDay0 + 22 * kHour;  // 00:00 in UTC+2
  CHECK_FALSE(engine.on_equity(1000, boundary - 2 * kHour));
  auto action = engine.on_equity(890, boundary - kHour);
  REQUIRE(action);
  CHECK_FALSE(action->flatten_all);
  CHECK_FALSE(entry_allowed(engine, boundary - 1, 890));
  // 22:00 UTC is already the next day there, though still the same UTC date.
  CHECK(entry_allowed(engine, boundary, 890));
  // An equity point exactly on the boundary starts the new day itself.
  CHECK_FALSE(engine.on_equity(880, boundary));
  CHECK(engine.state(boundary).start_of_day_equity == 880);
  CHECK_FALSE(engine.on_equity(793, boundary + kHour));
  CHECK(engine.on_equity(792, boundary + 2 * kHour));
}

TEST_CASE("drawdown from peak halts until resumed, with the flatten option") {
  RiskConfig config;
  config.account.max_drawdown_fraction = 0.2;
  config.account.flatten_on_drawdown = true;
  RiskEngine engine(config);
  CHECK_FALSE(engine.on_equity(1000, kDay0));
  CHECK_FALSE(engine.on_equity(1500, kDay0 + kHour));
  CHECK_FALSE(engine.on_equity(1201, kDay0 + 2 * kHour));
  CHECK_FALSE(engine.halted());
  auto action = engine.on_equity(1200, kDay0 + 3 * kHour);  // 20 % below 1500
  REQUIRE(action);
  CHECK(action->flatten_all);
  CHECK(action->cancel_entry_orders);
  CHECK(action->reason == "drawdown 300 reached 0.2 of peak equity 1500: halted until resumed");
  CHECK(engine.halted());
  CHECK(engine.counts().drawdown_halts == 1);
  // A new day does not lift it.
  RiskDecision refused =
      engine.evaluate(buy("ETH/BTC", 1, 100), account(1300), kDay0 + 3 * kNsPerDay);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kDrawdownHalt);
  engine.resume();
  CHECK_FALSE(engine.halted());
  CHECK(entry_allowed(engine, kDay0 + 3 * kNsPerDay, 1200));
  CHECK(engine.state(kDay0).peak_equity == 1200);
}

TEST_CASE("drawdown halt without the flatten option only stops entries") {
  RiskConfig config;
  config.account.max_drawdown_fraction = 0.1;
  RiskEngine engine(config);
  (void)engine.on_equity(1000, kDay0);
  auto action = engine.on_equity(899, kDay0 + kHour);
  REQUIRE(action);
  CHECK_FALSE(action->flatten_all);
  CHECK(engine.halted());
}

TEST_CASE("the kill switch halts and asks for every open order to be cancelled") {
  RiskEngine engine(RiskConfig{});
  CHECK(entry_allowed(engine, kDay0));
  const AccountAction action = engine.kill("operator command");
  CHECK(action.cancel_all_orders);
  CHECK_FALSE(action.flatten_all);
  CHECK(action.reason == "kill switch: operator command");
  CHECK(engine.halted());
  CHECK(engine.counts().kills == 1);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kDay0);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kKillSwitch);
  CHECK(refused.first_refusal()->reason == "the kill switch is on: no entries until resumed");
  engine.resume();
  CHECK(entry_allowed(engine, kDay0));
}

TEST_CASE("fills open a tracked position whose stop and target come from the approved entry") {
  RiskConfig config;
  config.position.stop_loss_fraction = 0.05;
  config.position.take_profit_fraction = 0.1;
  RiskEngine engine(config);
  IntentToCheck intent = buy("ETH/BTC", 2, 100);
  intent.stop_price = 97;
  REQUIRE(engine.evaluate(intent, account(1000), kDay0).allowed);
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_BUY, 2, 100, kDay0});
  const TrackedPosition* position = engine.position("ETH/BTC");
  REQUIRE(position);
  CHECK(position->quantity == 2);
  CHECK(position->levels.stop == 97);
  CHECK(position->levels.target == doctest::Approx(110));
  // Adding at 110 moves the average entry to 105 and the engine's target with it.
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_BUY, 2, 110, kDay0 + kMinute});
  CHECK(engine.position("ETH/BTC")->entry_price == 105);
  CHECK(engine.position("ETH/BTC")->levels.target == doctest::Approx(115.5));
  CHECK(engine.position("ETH/BTC")->levels.stop == 99.75);  // 105 × 0.95, nearer than 97

  CHECK_FALSE(engine.on_bar("ETH/BTC", {104, 110, 100, 108}, kDay0 + 5 * kMinute));
  auto exit = engine.on_bar("ETH/BTC", {101, 116, 99, 100}, kDay0 + 10 * kMinute);
  REQUIRE(exit);
  CHECK(exit->symbol == "ETH/BTC");
  CHECK(exit->side == CEPHALO_SIDE_SELL);
  CHECK(exit->quantity == 4);
  CHECK(exit->exit.reason == ProtectiveExitReason::kStopLoss);  // stop first
  CHECK(exit->exit.price == 99.75);
  CHECK(engine.counts().stop_loss_exits == 1);
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_SELL, 4, 99.75, kDay0 + 10 * kMinute});
  CHECK(engine.position("ETH/BTC") == nullptr);
  CHECK_FALSE(engine.on_bar("ETH/BTC", {90, 91, 80, 85}, kDay0 + 15 * kMinute));
}

TEST_CASE("a fill through flat reverses the tracked position at the fill price") {
  RiskConfig config;
  config.position.stop_loss_fraction = 0.1;
  RiskEngine engine(config);
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_BUY, 1, 100, kDay0});
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_SELL, 3, 120, kDay0 + kMinute});
  const TrackedPosition* position = engine.position("ETH/BTC");
  REQUIRE(position);
  CHECK(position->quantity == -2);
  CHECK(position->entry_price == 120);
  CHECK(position->levels.stop == doctest::Approx(132));
}

TEST_CASE("a trailing stop armed at the entry follows the highs and exits at its level") {
  RiskConfig config;
  config.position.trailing_stop_fraction = 0.1;
  RiskEngine engine(config);
  engine.on_fill({"ETH/BTC", CEPHALO_SIDE_BUY, 1, 100, kDay0});
  CHECK(engine.position("ETH/BTC")->levels.trailing_stop == doctest::Approx(90));
  CHECK_FALSE(engine.on_bar("ETH/BTC", {100, 120, 95, 118}, kDay0 + 5 * kMinute));
  CHECK(engine.position("ETH/BTC")->levels.trailing_stop == doctest::Approx(108));
  auto exit = engine.on_bar("ETH/BTC", {115, 116, 107, 110}, kDay0 + 10 * kMinute);
  REQUIRE(exit);
  CHECK(exit->exit.reason == ProtectiveExitReason::kTrailingStop);
  CHECK(exit->exit.price == doctest::Approx(108));
  CHECK(engine.counts().trailing_stop_exits == 1);
}

}  // namespace
