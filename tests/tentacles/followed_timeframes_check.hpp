// The hot-swap check shared by the evaluators that follow one timeframe per symbol (macd,
// bollinger, ma_cross): a swapped-in instance keeps following the timeframe the old one chose.
// Thread-safety: single-threaded tests.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "fake_host.hpp"

namespace cephalo::test {

// `configure` sets a host's parameters and gives the indicator values of both timeframes ("5m"
// and "1h") for ETH/BTC, such that every candle of either timeframe is worth an evaluation.
inline void check_followed_timeframe_survives_a_swap(
    const std::function<void(FakeHost&)>& configure) {
  FakeHost host;
  configure(host);
  LoadedTentacle old_instance(host);
  REQUIRE(old_instance.create_status == CEPHALO_OK);
  old_instance.candle("ETH/BTC", 0, 0.1, "1h");  // the first timeframe seen: it speaks from now on
  REQUIRE(host.evaluations.size() == 1);
  const std::string blob = old_instance.save();
  REQUIRE(old_instance.last_status == CEPHALO_OK);

  FakeHost swapped_host;
  configure(swapped_host);
  LoadedTentacle swapped(swapped_host);
  REQUIRE(swapped.load(blob, swapped.descriptor->state_version) == CEPHALO_OK);
  swapped.candle("ETH/BTC", 1, 0.1, "5m");  // without the state, 5m would now be chosen
  CHECK(swapped_host.evaluations.empty());
  swapped.candle("ETH/BTC", 1, 0.1, "1h");
  CHECK(swapped_host.evaluations.size() == 1);

  // A blob of another version or another tentacle is refused, naming the tentacle; the instance
  // keeps what it had.
  const std::string name = swapped.descriptor->name;
  CHECK(swapped.load(blob, swapped.descriptor->state_version + 1) == CEPHALO_ERROR);
  CHECK(swapped.load("cephalo-other-state\n", swapped.descriptor->state_version) == CEPHALO_ERROR);
  CHECK(swapped_host.last_error.find(name) != std::string::npos);
  swapped.candle("ETH/BTC", 2, 0.1, "5m");
  CHECK(swapped_host.evaluations.size() == 1);
}

}  // namespace cephalo::test
