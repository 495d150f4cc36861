// Tests of the sma_crossover strategy, driven through its entry point with a fake host: the
// crossover rules, and that it reads its averages by handle on a 1.4 core and by name on older
// ones. Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

// fast - slow per bar; NaN-free values, the slow average fixed at 100.
const std::vector<double> kDifferences = {-1, 0, 2, 0, 3, -0.5, 0, -2, 1};
// Entry on the first positive difference after a negative one (bar 2: zero bars do not reset the
// memory), no second entry at bar 4, exit at bar 5, no re-exit at bar 7, entry again at bar 8.
const std::vector<cephalo_signal_intent> kExpected = {
    CEPHALO_SIGNAL_ENTER_LONG, CEPHALO_SIGNAL_EXIT_LONG, CEPHALO_SIGNAL_ENTER_LONG};

std::vector<cephalo_signal_intent> run(FakeHost& host) {
  host.parameters = {{"fast", int64_t{10}}, {"slow", int64_t{50}}};
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  strategy.candle("ETH/BTC", 0, 100);  // neither average exists yet: nothing to act on
  for (size_t bar = 0; bar < kDifferences.size(); ++bar) {
    host.indicators["ETH/BTC|5m|sma:10"] = {100 + kDifferences[bar]};
    host.indicators["ETH/BTC|5m|sma:50"] = {100};
    REQUIRE(strategy.candle("ETH/BTC", static_cast<int64_t>(bar + 1), 100) == CEPHALO_OK);
  }
  std::vector<cephalo_signal_intent> intents;
  for (const auto& signal : host.signals) {
    CHECK(signal.symbol == "ETH/BTC");
    intents.push_back(signal.intent);
  }
  return intents;
}

}  // namespace

TEST_CASE("sma_crossover on a 1.4 core: resolves each average once, then reads both by handle") {
  FakeHost host;
  host.abi_1_4 = true;
  CHECK(run(host) == kExpected);
  CHECK(host.resolved_handles ==
        std::vector<std::string>{"ETH/BTC|5m|sma:10", "ETH/BTC|5m|sma:50"});
  CHECK(host.indicator_reads_by_name == 0);
  // Two averages on each of the 1 + 9 candles, both in one call per candle.
  CHECK(host.indicator_reads_by_handle == 2 * (1 + static_cast<int>(kDifferences.size())));
  CHECK(host.indicator_value_calls == 1 + static_cast<int>(kDifferences.size()));
}

TEST_CASE("sma_crossover on a 1.2 core: the same signals, read by name") {
  FakeHost host;
  CHECK(run(host) == kExpected);
  CHECK(host.resolved_handles.empty());
  CHECK(host.indicator_reads_by_handle == 0);
  CHECK(host.indicator_reads_by_name == 2 * (1 + static_cast<int>(kDifferences.size())));
}

TEST_CASE("sma_crossover: each series has its own handles and memory of the last sign") {
  FakeHost host;
  host.abi_1_4 = true;
  host.parameters = {{"fast", int64_t{10}}, {"slow", int64_t{50}}};
  LoadedTentacle strategy(host);
  REQUIRE(strategy.create_status == CEPHALO_OK);
  host.indicators["ETH/BTC|5m|sma:10"] = {99};
  host.indicators["ETH/BTC|5m|sma:50"] = {100};
  host.indicators["LTC/BTC|5m|sma:10"] = {101};
  host.indicators["LTC/BTC|5m|sma:50"] = {100};
  strategy.candle("ETH/BTC", 0, 100);
  strategy.candle("LTC/BTC", 0, 100);
  host.indicators["ETH/BTC|5m|sma:10"] = {101};  // ETH crosses up; LTC stays above: no signal
  strategy.candle("ETH/BTC", 1, 100);
  strategy.candle("LTC/BTC", 1, 100);
  REQUIRE(host.signals.size() == 1);
  CHECK(host.signals[0].symbol == "ETH/BTC");
  CHECK(host.signals[0].intent == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(host.resolved_handles.size() == 4);
}

TEST_CASE("sma_crossover: a hot swap keeps each series' memory, so the next cross is not missed") {
  FakeHost host;
  host.abi_1_4 = true;
  host.parameters = {{"fast", int64_t{10}}, {"slow", int64_t{50}}};
  LoadedTentacle old_instance(host);
  REQUIRE(old_instance.create_status == CEPHALO_OK);
  host.indicators["ETH/BTC|5m|sma:10"] = {99};  // below the slow average on two bars
  host.indicators["ETH/BTC|5m|sma:50"] = {100};
  old_instance.candle("ETH/BTC", 0, 100);
  old_instance.candle("ETH/BTC", 1, 100);
  CHECK(host.signals.empty());
  const std::string blob = old_instance.save();
  REQUIRE(old_instance.last_status == CEPHALO_OK);

  // The cross comes on the first bar after the swap: the restored instance sees it; a fresh one
  // (what a swap without state gave) has no previous bar and stays silent.
  auto first_bar_after_swap = [&](bool with_state) {
    FakeHost swapped_host;
    swapped_host.abi_1_4 = true;
    swapped_host.parameters = host.parameters;
    LoadedTentacle swapped(swapped_host);
    REQUIRE(swapped.create_status == CEPHALO_OK);
    if (with_state) REQUIRE(swapped.load(blob, swapped.descriptor->state_version) == CEPHALO_OK);
    swapped_host.indicators["ETH/BTC|5m|sma:10"] = {101};
    swapped_host.indicators["ETH/BTC|5m|sma:50"] = {100};
    REQUIRE(swapped.candle("ETH/BTC", 2, 100) == CEPHALO_OK);
    // The averages are resolved again in the new instance (its handles, not the old one's).
    CHECK(swapped_host.resolved_handles.size() == 2);
    return swapped_host.signals;
  };
  const auto restored = first_bar_after_swap(true);
  REQUIRE(restored.size() == 1);
  CHECK(restored[0].intent == CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(first_bar_after_swap(false).empty());

  FakeHost refusing_host;
  refusing_host.parameters = host.parameters;
  LoadedTentacle refusing(refusing_host);
  CHECK(refusing.load(blob, refusing.descriptor->state_version + 1) == CEPHALO_ERROR);
  CHECK(refusing.load("cephalo-sma_crossover-state\nETH/BTC\t5m\tyes\t-1\n",
                      refusing.descriptor->state_version) == CEPHALO_ERROR);
  CHECK(refusing_host.last_error.find("sma_crossover") != std::string::npos);
}
