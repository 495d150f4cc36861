// Tests of the weighted strategy, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

void defaults(FakeHost& host, const char* weights = "rsi:1,macd:2,bollinger:1") {
  host.parameters = {{"weights", std::string(weights)},
                     {"default_weight", 1.0},
                     {"enter_above", 0.3},
                     {"exit_below", -0.3}};
}

}  // namespace

TEST_CASE("weighted: enters on a cross of the weighted mean, exits below, once per candle time") {
  FakeHost host;
  defaults(host);
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  CHECK(strategy.descriptor->kind == CEPHALO_KIND_STRATEGY);

  strategy.event_time_ns = 1;
  strategy.evaluation("ETH/BTC", "rsi", 0.0, 0.2);  // mean 0: no previous mean, no cross
  CHECK(host.signals.empty());
  strategy.evaluation("ETH/BTC", "macd", 0.6, 0.8);  // (0 + 2 x 0.6) / 3 = 0.4 > 0.3: a cross
  REQUIRE(host.signals.size() == 1);
  CHECK(host.signals[0].symbol == "ETH/BTC");
  CHECK(host.signals[0].intent == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(host.signals[0].strength == doctest::Approx(0.4));
  CHECK(host.signals[0].confidence == doctest::Approx((0.2 + 2 * 0.8) / 3));

  host.positions["ETH/BTC"] = {10.0, 0.1};  // the entry filled
  strategy.event_time_ns = 2;
  strategy.evaluation("ETH/BTC", "bollinger", 0.9, 1.0);  // (0 + 1.2 + 0.9) / 4 = 0.525
  strategy.evaluation("ETH/BTC", "rsi", -1.0, 1.0);       // 0.275
  CHECK(host.signals.size() == 1);
  strategy.evaluation("ETH/BTC", "macd", -0.8, 0.5);  // (-1 - 1.6 + 0.9) / 4 = -0.425: exit
  REQUIRE(host.signals.size() == 2);
  CHECK(host.signals[1].intent == CEPHALO_SIGNAL_EXIT_LONG);
  CHECK(host.signals[1].strength == doctest::Approx(0.425));
  CHECK(host.signals[1].confidence == doctest::Approx((1.0 + 2 * 0.5 + 1.0) / 4));
  strategy.evaluation("ETH/BTC", "bollinger", -1.0, 1.0);  // same candle: no second exit
  CHECK(host.signals.size() == 2);

  // The exit did not fill (the portfolio still holds the position): the next candle repeats it.
  strategy.event_time_ns = 3;
  strategy.evaluation("ETH/BTC", "rsi", -1.0, 1.0);
  REQUIRE(host.signals.size() == 3);
  CHECK(host.signals[2].intent == CEPHALO_SIGNAL_EXIT_LONG);

  host.positions.erase("ETH/BTC");  // now it did
  strategy.event_time_ns = 4;
  strategy.evaluation("ETH/BTC", "rsi", 1.0, 1.0);  // (1 - 1.6 - 1) / 4 = -0.4: flat, no exit
  CHECK(host.signals.size() == 3);
  strategy.evaluation("ETH/BTC", "macd", 1.0, 1.0);  // (1 + 2 - 1) / 4 = 0.5: a fresh cross
  REQUIRE(host.signals.size() == 4);
  CHECK(host.signals[3].intent == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(host.signals[3].strength == doctest::Approx(0.5));
}

TEST_CASE("weighted: the portfolio decides whether it is in position") {
  FakeHost host;
  defaults(host);
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  host.positions["ETH/BTC"] = {1.0, 0.1};  // already held (a restart, a manual buy)
  strategy.evaluation("ETH/BTC", "rsi", 0.0);
  strategy.evaluation("ETH/BTC", "rsi", 1.0);  // a cross, but nothing to enter
  CHECK(host.signals.empty());
  strategy.event_time_ns = 1;
  strategy.evaluation("LTC/BTC", "rsi", -1.0);  // below exit_below but LTC is not held
  CHECK(host.signals.empty());
}

TEST_CASE("weighted: unlisted evaluators get default_weight; weight 0 ignores an evaluator") {
  FakeHost host;
  defaults(host, "rsi:0, macd:3");
  host.parameters["default_weight"] = 0.5;
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  strategy.evaluation("ETH/BTC", "rsi", 1.0);       // weight 0 alone: no vote
  strategy.evaluation("ETH/BTC", "ma_cross", 0.0);  // 0 with weight 0.5: mean 0
  strategy.evaluation("ETH/BTC", "macd", 0.4);      // (0.5 x 0 + 3 x 0.4) / 3.5 = 0.343 > 0.3
  REQUIRE(host.signals.size() == 1);
  CHECK(host.signals[0].strength == doctest::Approx(1.2 / 3.5));
}

TEST_CASE("weighted: state hand-over keeps the opinions and the previous mean") {
  FakeHost host;
  defaults(host);
  LoadedTentacle first(host);
  first.evaluation("ETH/BTC", "rsi", 0.0);
  first.evaluation("ETH/BTC", "macd", 0.0);  // mean 0
  const std::string blob = first.save();
  REQUIRE(first.last_status == CEPHALO_OK);

  LoadedTentacle second(host);
  REQUIRE(second.load(blob, 1) == CEPHALO_OK);
  second.evaluation("ETH/BTC", "bollinger", 1.0);  // (0 + 0 + 1) / 4 = 0.25: still below
  CHECK(host.signals.empty());
  second.evaluation("ETH/BTC", "rsi", 1.0);  // (1 + 0 + 1) / 4 = 0.5: crosses from 0.25
  REQUIRE(host.signals.size() == 1);
  CHECK(host.signals[0].strength == doctest::Approx(0.5));
  CHECK(second.load("not a state", 1) == CEPHALO_ERROR);
  CHECK(second.load(blob, 2) == CEPHALO_ERROR);
}

TEST_CASE("weighted: bad parameters are refused at create, naming every bad weight") {
  FakeHost host;
  defaults(host, "rsi:1,macd,bollinger:-2,rsi:3");
  LoadedTentacle strategy(host);
  CHECK(strategy.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("'macd' is not name:weight") != std::string::npos);
  CHECK(host.last_error.find("weight of 'bollinger' must be a number >= 0") != std::string::npos);
  CHECK(host.last_error.find("'rsi' is listed twice") != std::string::npos);

  FakeHost other;
  defaults(other);
  other.parameters["exit_below"] = 0.3;
  LoadedTentacle overlapping(other);
  CHECK(overlapping.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("exit_below") != std::string::npos);
}
