// Each rule of the three tiers allows and refuses with its reason and the values it compared;
// exits pass whatever the entry limits say.
#include <doctest/doctest.h>

#include <string>

#include "risk/risk_engine.hpp"

namespace {

using namespace cephalo;

constexpr int64_t kNoon = 1'700'000'000'000'000'000 / kNsPerDay * kNsPerDay + kNsPerDay / 2;

IntentToCheck buy(const char* symbol, double quantity, double price) {
  IntentToCheck intent;
  intent.symbol = symbol;
  intent.side = CEPHALO_SIDE_BUY;
  intent.quantity = quantity;
  intent.price = price;
  return intent;
}

IntentToCheck sell(const char* symbol, double quantity, double price) {
  IntentToCheck intent = buy(symbol, quantity, price);
  intent.side = CEPHALO_SIDE_SELL;
  return intent;
}

AccountView account(double equity) {
  AccountView view;
  view.equity = equity;
  return view;
}

const RiskVerdict* verdict_of(const RiskDecision& decision, RiskRule rule) {
  for (const RiskVerdict& verdict : decision.verdicts) {
    if (verdict.rule == rule) return &verdict;
  }
  return nullptr;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("max position fraction: the position after the fill against a share of equity") {
  RiskConfig config;
  config.position.max_position_fraction = 0.5;
  RiskEngine engine(config);
  AccountView view = account(1000);
  RiskDecision ok = engine.evaluate(buy("ETH/BTC", 5, 100), view, kNoon);
  CHECK(ok.allowed);
  const RiskVerdict* passed = verdict_of(ok, RiskRule::kMaxPositionFraction);
  REQUIRE(passed);
  CHECK(passed->allowed);
  CHECK(passed->tier == RiskTier::kPosition);
  CHECK(passed->value == 500);
  CHECK(passed->limit == 500);

  view.positions.push_back({"ETH/BTC", 3, 100});
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 3, 100), view, kNoon);
  CHECK_FALSE(refused.allowed);
  const RiskVerdict* verdict = refused.first_refusal();
  REQUIRE(verdict);
  CHECK(verdict->rule == RiskRule::kMaxPositionFraction);
  CHECK(verdict->value == 600);
  CHECK(verdict->limit == 500);
  CHECK(verdict->reason ==
        "position after the fill 600 quote (resting orders counted) vs 0.5 of equity 1000 = 500 "
        "quote");
  CHECK(refused.refusal_text() == "max_position_fraction: " + verdict->reason);
}

TEST_CASE("resting orders count toward the position as if filled") {
  RiskConfig config;
  config.position.max_position_fraction = 0.5;
  RiskEngine engine(config);
  AccountView view = account(1000);
  view.open_orders.push_back({"ETH/BTC", CEPHALO_SIDE_BUY, 4, 99});
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 2, 100), view, kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->value == 600);
}

TEST_CASE("max position quote: an absolute cap") {
  RiskConfig config;
  config.position.max_position_quote = 250;
  RiskEngine engine(config);
  CHECK(engine.evaluate(buy("ETH/BTC", 2.5, 100), account(1000), kNoon).allowed);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 2.6, 100), account(1000), kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kMaxPositionQuote);
  CHECK(refused.first_refusal()->reason == "position after the fill 260 quote vs limit 250 quote");
}

TEST_CASE("max leverage: gross exposure of every pair against leverage × equity") {
  RiskConfig config;
  config.position.max_leverage = 2;
  config.account.max_exposure_fraction = 2;
  config.position.max_position_fraction = 2;
  RiskEngine engine(config);
  AccountView view = account(1000);
  view.positions.push_back({"LTC/BTC", 10, 100});  // 1000 quote
  CHECK(engine.evaluate(buy("ETH/BTC", 10, 100), view, kNoon).allowed);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 10.5, 100), view, kNoon);
  const RiskVerdict* verdict = verdict_of(refused, RiskRule::kMaxLeverage);
  REQUIRE(verdict);
  CHECK_FALSE(verdict->allowed);
  CHECK(verdict->value == 2050);
  CHECK(verdict->limit == 2000);
  CHECK(contains(verdict->reason, "leverage 2 × equity 1000 = 2000 quote"));
}

TEST_CASE("max exposure: the account tier's cap on gross exposure") {
  RiskConfig config;
  config.account.max_exposure_fraction = 0.6;
  RiskEngine engine(config);
  AccountView view = account(1000);
  view.positions.push_back({"LTC/BTC", -2, 100});  // a short counts by its size
  CHECK(engine.evaluate(buy("ETH/BTC", 4, 100), view, kNoon).allowed);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 4.1, 100), view, kNoon);
  CHECK_FALSE(refused.allowed);
  const RiskVerdict* verdict = refused.first_refusal();
  CHECK(verdict->rule == RiskRule::kMaxExposure);
  CHECK(verdict->tier == RiskTier::kAccount);
  CHECK(verdict->value == doctest::Approx(610));
  CHECK(verdict->limit == 600);
}

TEST_CASE("require stop on entry: the signal's stop or the engine's own both count") {
  RiskConfig config;
  config.position.require_stop_on_entry = true;
  RiskEngine engine(config);
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kStopRequired);
  CHECK(contains(refused.first_refusal()->reason, "every entry needs a stop loss"));
  IntentToCheck with_stop = buy("ETH/BTC", 1, 100);
  with_stop.stop_price = 97;
  RiskDecision ok = engine.evaluate(with_stop, account(1000), kNoon);
  CHECK(ok.allowed);
  CHECK(verdict_of(ok, RiskRule::kStopRequired)->value == 97);

  config.position.stop_loss_atr_multiple = 2;
  RiskEngine atr_engine(config);
  CHECK_FALSE(atr_engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kNoon).allowed);
  atr_engine.set_atr("ETH/BTC", 1.5);
  RiskDecision atr_ok = atr_engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kNoon);
  CHECK(atr_ok.allowed);
  CHECK(verdict_of(atr_ok, RiskRule::kStopRequired)->value == 97);
}

TEST_CASE("a stop on the wrong side of the entry is refused") {
  RiskEngine engine(RiskConfig{});
  IntentToCheck intent = buy("ETH/BTC", 1, 100);
  intent.stop_price = 101;
  RiskDecision refused = engine.evaluate(intent, account(1000), kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kStopSide);
  CHECK(refused.first_refusal()->reason == "stop 101 must be below the entry estimate 100");
  IntentToCheck short_entry = sell("ETH/BTC", 1, 100);
  short_entry.stop_price = 102;
  CHECK(engine.evaluate(short_entry, account(1000), kNoon).allowed);
}

TEST_CASE("an entry with no usable quantity or price is refused") {
  RiskEngine engine(RiskConfig{});
  RiskDecision refused = engine.evaluate(buy("ETH/BTC", 1, 0), account(1000), kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kIntentValid);
  CHECK(contains(refused.first_refusal()->reason, "found quantity 1, price 0"));
  CHECK(refused.verdicts.size() == 1);
  CHECK_FALSE(engine.evaluate(buy("ETH/BTC", -1, 100), account(1000), kNoon).allowed);
}

TEST_CASE("min confidence: a weak signal is refused, no confidence is not filtered") {
  RiskConfig config;
  config.strategy.min_confidence = 0.6;
  RiskEngine engine(config);
  IntentToCheck intent = buy("ETH/BTC", 1, 100);
  intent.confidence = 0.5;
  RiskDecision refused = engine.evaluate(intent, account(1000), kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kMinConfidence);
  CHECK(refused.first_refusal()->tier == RiskTier::kStrategy);
  CHECK(refused.first_refusal()->reason == "signal confidence 0.5 < minimum 0.6");
  intent.confidence = 0.6;
  CHECK(engine.evaluate(intent, account(1000), kNoon).allowed);
  intent.confidence.reset();
  CHECK(engine.evaluate(intent, account(1000), kNoon).allowed);
}

TEST_CASE("max trades per day counts approved entries and resets at the day boundary") {
  RiskConfig config;
  config.strategy.max_trades_per_day = 2;
  RiskEngine engine(config);
  CHECK(engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kNoon).allowed);
  CHECK(engine.evaluate(buy("LTC/BTC", 1, 100), account(1000), kNoon + 1).allowed);
  RiskDecision third = engine.evaluate(buy("ADA/BTC", 1, 100), account(1000), kNoon + 2);
  CHECK_FALSE(third.allowed);
  CHECK(third.first_refusal()->rule == RiskRule::kMaxTradesPerDay);
  CHECK(third.first_refusal()->reason == "this would be entry 3 of the trading day; limit 2");
  // Midnight UTC is kNoon + 12 h.
  CHECK(engine.evaluate(buy("ADA/BTC", 1, 100), account(1000), kNoon + kNsPerDay / 2).allowed);
}

TEST_CASE("max open positions counts held pairs and pairs with resting entries") {
  RiskConfig config;
  config.strategy.max_open_positions = 2;
  RiskEngine engine(config);
  AccountView view = account(10000);
  view.positions.push_back({"ETH/BTC", 1, 100});
  view.open_orders.push_back({"LTC/BTC", CEPHALO_SIDE_BUY, 1, 100});
  RiskDecision refused = engine.evaluate(buy("ADA/BTC", 1, 100), view, kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kMaxOpenPositions);
  CHECK(refused.first_refusal()->value == 3);
  CHECK(refused.first_refusal()->limit == 2);
  // Adding to a pair already open does not open another.
  CHECK(engine.evaluate(buy("ETH/BTC", 1, 100), view, kNoon).allowed);
}

TEST_CASE("max open orders counts the order being checked") {
  RiskConfig config;
  config.account.max_open_orders = 2;
  RiskEngine engine(config);
  AccountView view = account(10000);
  view.open_orders.push_back({"LTC/BTC", CEPHALO_SIDE_BUY, 1, 90});
  CHECK(engine.evaluate(buy("ETH/BTC", 1, 100), view, kNoon).allowed);
  view.open_orders.push_back({"ETH/BTC", CEPHALO_SIDE_BUY, 1, 90});
  RiskDecision refused = engine.evaluate(buy("ADA/BTC", 1, 100), view, kNoon);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.first_refusal()->rule == RiskRule::kMaxOpenOrders);
  CHECK(refused.first_refusal()->reason == "open orders with this one 3; limit 2");
}

TEST_CASE("exits are never blocked by entry limits, even killed and halted") {
  RiskConfig config;
  config.position.max_position_fraction = 0.1;
  config.account.max_open_orders = 1;
  config.strategy.max_trades_per_day = 1;
  config.strategy.min_confidence = 0.9;
  RiskEngine engine(config);
  (void)engine.kill("test");
  AccountView view = account(1000);
  view.positions.push_back({"ETH/BTC", 5, 100});  // 50 % of equity: far above its limit
  view.open_orders.push_back({"ETH/BTC", CEPHALO_SIDE_SELL, 5, 120});
  IntentToCheck exit = sell("ETH/BTC", 5, 100);
  exit.confidence = 0.1;
  RiskDecision decision = engine.evaluate(exit, view, kNoon);
  CHECK(decision.allowed);
  CHECK(decision.reduces_risk);
  REQUIRE(decision.verdicts.size() == 1);
  CHECK(decision.verdicts[0].rule == RiskRule::kReducesRisk);
  CHECK(engine.counts().exits == 1);
  // Selling more than is held reverses into a short: that part is an entry and is checked.
  RiskDecision reversal = engine.evaluate(sell("ETH/BTC", 6, 100), view, kNoon);
  CHECK_FALSE(reversal.allowed);
  CHECK_FALSE(reversal.reduces_risk);
  CHECK(verdict_of(reversal, RiskRule::kKillSwitch)->allowed == false);
}

TEST_CASE("counts by rule and tier follow the verdicts") {
  RiskConfig config;
  config.position.max_position_quote = 150;
  RiskEngine engine(config);
  (void)engine.evaluate(buy("ETH/BTC", 1, 100), account(1000), kNoon);
  (void)engine.evaluate(buy("ETH/BTC", 2, 100), account(1000), kNoon);
  const RiskCounts& counts = engine.counts();
  CHECK(counts.intents == 2);
  CHECK(counts.allowed == 1);
  CHECK(counts.refused == 1);
  CHECK(counts.of(RiskRule::kMaxPositionQuote).passed == 1);
  CHECK(counts.of(RiskRule::kMaxPositionQuote).refused == 1);
  CHECK(counts.of(RiskRule::kMaxExposure).passed == 2);
  CHECK(counts.of(RiskTier::kPosition).refused == 1);
  CHECK(counts.of(RiskTier::kAccount).refused == 0);
  CHECK(std::string(risk_rule_name(RiskRule::kMaxPositionQuote)) == "max_position_quote");
  CHECK(std::string(risk_tier_name(tier_of(RiskRule::kDailyLoss))) == "account");
}

TEST_CASE("judge() decides as evaluate() does, each call replacing the last decision") {
  RiskConfig config;
  config.position.max_position_fraction = 0.5;
  RiskEngine by_value(config);
  RiskEngine reusing(config);
  AccountView view = account(1000);
  view.positions.push_back({"ETH/BTC", 3, 100});
  // A refused entry (many verdicts), then an exit (one verdict), then an allowed entry.
  const IntentToCheck intents[] = {buy("ETH/BTC", 3, 100), sell("ETH/BTC", 3, 100),
                                   buy("ETH/BTC", 1, 100)};
  for (const IntentToCheck& intent : intents) {
    const RiskDecision expected = by_value.evaluate(intent, view, kNoon);
    const RiskDecision& judged = reusing.judge(intent, view, kNoon);
    CHECK(judged.allowed == expected.allowed);
    CHECK(judged.reduces_risk == expected.reduces_risk);
    REQUIRE(judged.verdicts.size() == expected.verdicts.size());
    for (size_t i = 0; i < expected.verdicts.size(); ++i) {
      CHECK(judged.verdicts[i].rule == expected.verdicts[i].rule);
      CHECK(judged.verdicts[i].allowed == expected.verdicts[i].allowed);
      CHECK(judged.verdicts[i].value == expected.verdicts[i].value);
      CHECK(judged.verdicts[i].limit == expected.verdicts[i].limit);
      CHECK(judged.verdicts[i].reason == expected.verdicts[i].reason);
    }
    CHECK(judged.refusal_text() == expected.refusal_text());
  }
  CHECK(reusing.counts().intents == 3);
  CHECK(reusing.counts().refused == by_value.counts().refused);
  CHECK(reusing.counts().exits == 1);
}

}  // namespace
