// Tests of the spot trading mode, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

TEST_CASE("spot: fixed_notional buys the quote amount at the last close; exits sell the position") {
  FakeHost host;
  host.parameters = {{"sizing", std::string("fixed_notional")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 100.0}};
  LoadedTentacle spot(host);
  REQUIRE(spot.create_status == CEPHALO_OK);
  CHECK(spot.descriptor->kind == CEPHALO_KIND_TRADING_MODE);

  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // no candle yet: no price to size with
  CHECK(host.intents.empty());
  spot.candle("ETH/BTC", 0, 4.0);
  spot.candle("ETH/BTC", 1, 5.0);
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);  // flat: nothing to sell
  CHECK(host.intents.empty());
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  REQUIRE(host.intents.size() == 1);
  CHECK(host.intents[0].side == CEPHALO_SIDE_BUY);
  CHECK(host.intents[0].type == CEPHALO_ORDER_MARKET);
  CHECK(host.intents[0].quantity == doctest::Approx(20.0));
  CHECK(host.intents[0].tag == "entry");

  host.positions["ETH/BTC"] = {20.0, 5.0};           // the portfolio says it filled
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);   // no pyramiding
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_SHORT);  // spot cannot short
  CHECK(host.intents.size() == 1);
  host.positions["ETH/BTC"] = {12.5, 5.0};  // a partial fill: the portfolio is the truth
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);
  REQUIRE(host.intents.size() == 2);
  CHECK(host.intents[1].side == CEPHALO_SIDE_SELL);
  CHECK(host.intents[1].quantity == 12.5);
  CHECK(host.intents[1].tag == "signal");
}

TEST_CASE("spot: fixed_fraction and all_in size from the portfolio's cash") {
  for (const auto& [sizing, expected] :
       {std::pair<std::string, double>{"fixed_fraction", 0.99 * 1000.0 / 8.0},
        std::pair<std::string, double>{"all_in", 1000.0 / 8.0}}) {
    FakeHost host;
    host.parameters = {{"sizing", sizing}, {"fraction", 0.99}, {"order_quote_amount", 100.0}};
    host.cash = 1000.0;
    LoadedTentacle spot(host);
    REQUIRE(spot.create_status == CEPHALO_OK);
    spot.candle("LTC/BTC", 0, 8.0);
    spot.signal("LTC/BTC", CEPHALO_SIGNAL_ENTER_LONG);
    REQUIRE(host.intents.size() == 1);
    CHECK(host.intents[0].quantity == expected);
  }
}

TEST_CASE("spot: bad parameters are refused at create with the reason") {
  FakeHost host;
  host.parameters = {{"sizing", std::string("fixed_notional")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 0.0}};
  LoadedTentacle spot(host);
  CHECK(spot.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("order_quote_amount") != std::string::npos);
  FakeHost other;
  other.parameters = {{"sizing", std::string("martingale")},
                      {"fraction", 0.99},
                      {"order_quote_amount", 1.0}};
  LoadedTentacle refused(other);
  CHECK(refused.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("martingale") != std::string::npos);
}
