// Tests of the evaluator_threshold strategy, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

void defaults(FakeHost& host) {
  host.parameters = {{"enter_above", 0.3}, {"exit_below", -0.3}};
}

}  // namespace

TEST_CASE("evaluator_threshold: enters on a cross above, exits below, alternating") {
  FakeHost host;
  defaults(host);
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  CHECK(strategy.descriptor->kind == CEPHALO_KIND_STRATEGY);

  // Started mid-trend: the first average is above, but no cross was seen.
  strategy.evaluation("ETH/BTC", "rsi", 0.9);
  CHECK(host.signals.empty());
  // Average of rsi 0.0 and macd 0.2 = 0.1: below the entry threshold.
  strategy.evaluation("ETH/BTC", "rsi", 0.0);
  strategy.evaluation("ETH/BTC", "macd", 0.2);
  CHECK(host.signals.empty());
  strategy.evaluation("ETH/BTC", "rsi", 0.8);  // (0.8 + 0.2) / 2 = 0.5 > 0.3: cross
  REQUIRE(host.signals.size() == 1);
  CHECK(host.signals[0].intent == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(host.signals[0].symbol == "ETH/BTC");
  CHECK(host.signals[0].strength == doctest::Approx(0.5));
  strategy.evaluation("ETH/BTC", "rsi", 0.1);  // 0.15: still in
  strategy.evaluation("ETH/BTC", "rsi", 0.9);  // 0.55: in already, no second entry
  CHECK(host.signals.size() == 1);
  strategy.evaluation("ETH/BTC", "macd", -0.9);  // 0.0
  strategy.evaluation("ETH/BTC", "rsi", -0.9);   // -0.9 < -0.3: exit
  REQUIRE(host.signals.size() == 2);
  CHECK(host.signals[1].intent == CEPHALO_SIGNAL_EXIT_LONG);
  strategy.evaluation("ETH/BTC", "rsi", -1.0);
  CHECK(host.signals.size() == 2);
  // Another symbol's opinions are kept apart.
  strategy.evaluation("LTC/BTC", "rsi", 0.0);
  strategy.evaluation("LTC/BTC", "rsi", 1.0);
  REQUIRE(host.signals.size() == 3);
  CHECK(host.signals[2].symbol == "LTC/BTC");
}

TEST_CASE("evaluator_threshold: state hand-over keeps position and opinions") {
  FakeHost host;
  defaults(host);
  LoadedTentacle strategy(host);
  strategy.evaluation("ETH/BTC", "rsi", 0.0);
  strategy.evaluation("ETH/BTC", "macd", 0.9);  // 0.45: enter
  REQUIRE(host.signals.size() == 1);
  const std::string blob = strategy.save();

  FakeHost other;
  defaults(other);
  LoadedTentacle swapped(other);
  REQUIRE(swapped.load(blob, strategy.descriptor->state_version) == CEPHALO_OK);
  swapped.evaluation("ETH/BTC", "rsi", 0.5);  // 0.7: in already, so nothing
  CHECK(other.signals.empty());
  swapped.evaluation("ETH/BTC", "macd", -1.5);  // clamped to -1: (0.5 - 1) / 2 = -0.25
  CHECK(other.signals.empty());
  swapped.evaluation("ETH/BTC", "rsi", -0.5);  // -0.75: exit, so "in" and macd carried over
  REQUIRE(other.signals.size() == 1);
  CHECK(other.signals[0].intent == CEPHALO_SIGNAL_EXIT_LONG);
  CHECK(swapped.save() != blob);
  CHECK(swapped.load("not a state", strategy.descriptor->state_version) == CEPHALO_ERROR);
}

TEST_CASE("evaluator_threshold: overlapping thresholds are refused at create") {
  FakeHost host;
  host.parameters = {{"enter_above", -0.5}, {"exit_below", 0.5}};
  LoadedTentacle strategy(host);
  CHECK(strategy.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("exit_below") != std::string::npos);
}
