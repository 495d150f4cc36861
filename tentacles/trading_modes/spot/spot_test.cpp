// Tests of the spot trading mode, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

TEST_CASE("spot: fixed_notional buys the quote amount at the last close; exits sell the position") {
  FakeHost host;
  host.parameters = {{"sizing", std::string("fixed_notional")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 100.0},
                     {"risk_fraction", 0.01},
                     {"stop_fraction", 0.02}};
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

  host.positions["ETH/BTC"] = {20.0, 5.0};             // the portfolio says it filled
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
    host.parameters = {{"sizing", sizing},
                       {"fraction", 0.99},
                       {"order_quote_amount", 100.0},
                       {"risk_fraction", 0.01},
                       {"stop_fraction", 0.02}};
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
                     {"order_quote_amount", 0.0},
                     {"risk_fraction", 0.01},
                     {"stop_fraction", 0.02}};
  LoadedTentacle spot(host);
  CHECK(spot.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("order_quote_amount") != std::string::npos);
  FakeHost other;
  other.parameters = {{"sizing", std::string("martingale")},
                      {"fraction", 0.99},
                      {"order_quote_amount", 1.0},
                      {"risk_fraction", 0.01},
                      {"stop_fraction", 0.02}};
  LoadedTentacle refused(other);
  CHECK(refused.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("martingale") != std::string::npos);
}

namespace {

FakeHost::Parameter text(const char* value) {
  return std::string(value);
}

}  // namespace

TEST_CASE("spot: risk_per_trade asks the core to size from the stop, and takes the clamped size") {
  FakeHost host;
  host.parameters = {{"sizing", text("risk_per_trade")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 100.0},
                     {"risk_fraction", 0.01},
                     {"stop_fraction", 0.05}};
  host.equity = 1000;
  LoadedTentacle spot(host);
  REQUIRE(spot.create_status == CEPHALO_OK);
  CHECK(spot.descriptor->abi_minor == 2);  // its manifest's: it needs position_size
  spot.candle("ETH/BTC", 0, 10.0);

  // No stop in the signal: the stop_fraction below the close; 1 % of 1000 over a 0.5 distance.
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  REQUIRE(host.sizing_requests.size() == 1);
  const cephalo_sizing_request& asked = host.sizing_requests[0];
  CHECK(asked.struct_size == sizeof(cephalo_sizing_request));
  CHECK(asked.method == CEPHALO_SIZING_RISK_PER_TRADE);
  CHECK(asked.side == CEPHALO_SIDE_BUY);
  CHECK(asked.price == 10.0);
  CHECK(asked.stop_price == doctest::Approx(9.5));
  CHECK(asked.value == 0.01);
  REQUIRE(host.intents.size() == 1);
  CHECK(host.intents[0].quantity == doctest::Approx(20.0));

  // The signal's own stop wins; the limits cut the size and the mode orders what they allow.
  host.limit_quantity = 7.5;
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG, 9.8);
  REQUIRE(host.sizing_requests.size() == 2);
  CHECK(host.sizing_requests[1].stop_price == 9.8);
  REQUIRE(host.intents.size() == 2);
  CHECK(host.intents[1].quantity == 7.5);
  const auto logs = host.logs();
  CHECK(std::any_of(logs.begin(), logs.end(), [](const std::string& line) {
    return line.find("cut by the risk limits") != std::string::npos;
  }));

  // Nothing fits: no order at all.
  host.limit_quantity = 0;
  spot.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  CHECK(host.intents.size() == 2);
}

TEST_CASE("spot 1.2 is refused by a 1.1 host at the handshake, naming both versions") {
  FakeHost host;
  host.abi_1_1 = true;
  host.parameters = {{"sizing", text("fixed_notional")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 100.0},
                     {"risk_fraction", 0.01},
                     {"stop_fraction", 0.02}};
  LoadedTentacle spot(host);
  CHECK(spot.entry_status == CEPHALO_INCOMPATIBLE);
}

TEST_CASE("spot: a hot swap keeps each pair's last close, so an entry right after it is sized") {
  FakeHost host;
  host.parameters = {{"sizing", std::string("fixed_notional")},
                     {"fraction", 0.99},
                     {"order_quote_amount", 100.0},
                     {"risk_fraction", 0.01},
                     {"stop_fraction", 0.02}};
  LoadedTentacle old_instance(host);
  REQUIRE(old_instance.create_status == CEPHALO_OK);
  old_instance.candle("ETH/BTC", 0, 5.0);
  old_instance.candle("LTC/BTC", 0, 0.25);
  const std::string blob = old_instance.save();
  REQUIRE(old_instance.last_status == CEPHALO_OK);

  FakeHost swapped_host;
  swapped_host.parameters = host.parameters;
  LoadedTentacle swapped(swapped_host);
  REQUIRE(swapped.load(blob, swapped.descriptor->state_version) == CEPHALO_OK);
  swapped.signal("LTC/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // before any candle since the swap
  REQUIRE(swapped_host.intents.size() == 1);
  CHECK(swapped_host.intents[0].quantity == doctest::Approx(400.0));  // 100 / 0.25
  swapped.candle("ETH/BTC", 1, 4.0);  // a new close replaces the restored one
  swapped.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  REQUIRE(swapped_host.intents.size() == 2);
  CHECK(swapped_host.intents[1].quantity == doctest::Approx(25.0));

  CHECK(swapped.load(blob, swapped.descriptor->state_version + 1) == CEPHALO_ERROR);
  CHECK(swapped.load("cephalo-spot-state\nETH/BTC\tfive\n", swapped.descriptor->state_version) ==
        CEPHALO_ERROR);
  CHECK(swapped_host.last_error.find("spot") != std::string::npos);
}
