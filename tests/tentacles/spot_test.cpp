// Tests of the spot trading mode, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

TEST_CASE("spot: buys the quote amount at the last close and sells what it bought") {
  FakeHost host;
  host.parameters = {{"order_quote_amount", 100.0}};
  LoadedTentacle spot(host);
  REQUIRE(spot.create_status == CEPHALO_OK);
  CHECK(spot.descriptor->kind == CEPHALO_KIND_TRADING_MODE);

  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // no candle yet: no price to size with
  CHECK(host.intents.empty());
  spot.candle("ETH/BTC", 0, 4.0);
  spot.candle("ETH/BTC", 1, 5.0);
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);  // nothing held: nothing to sell
  CHECK(host.intents.empty());
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  REQUIRE(host.intents.size() == 1);
  CHECK(host.intents[0].side == CEPHALO_SIDE_BUY);
  CHECK(host.intents[0].type == CEPHALO_ORDER_MARKET);
  CHECK(host.intents[0].quantity == doctest::Approx(20.0));
  CHECK(host.intents[0].tag == "spot");
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);   // no pyramiding
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_SHORT);  // spot cannot short
  CHECK(host.intents.size() == 1);
  spot.candle("ETH/BTC", 2, 10.0);

  const std::string blob = spot.save();
  FakeHost other;
  other.parameters = host.parameters;
  LoadedTentacle swapped(other);
  REQUIRE(swapped.load(blob, spot.descriptor->state_version) == CEPHALO_OK);
  swapped.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);
  REQUIRE(other.intents.size() == 1);
  CHECK(other.intents[0].side == CEPHALO_SIDE_SELL);
  CHECK(other.intents[0].quantity == 20.0);  // what was bought, not 100 / 10
  swapped.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);
  CHECK(other.intents.size() == 1);
  swapped.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // sized at the restored last close
  REQUIRE(other.intents.size() == 2);
  CHECK(other.intents[1].quantity == doctest::Approx(10.0));
}

TEST_CASE("spot: a non-positive quote amount is refused at create") {
  FakeHost host;
  host.parameters = {{"order_quote_amount", 0.0}};
  LoadedTentacle spot(host);
  CHECK(spot.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("order_quote_amount") != std::string::npos);
}
