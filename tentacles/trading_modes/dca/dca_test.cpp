// Tests of the dca trading mode, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fake_host.hpp"

using cephalo::test::EmittedIntent;
using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

void defaults(FakeHost& host) {
  host.parameters = {{"interval_bars", int64_t{3}},
                     {"quote_per_buy", 0.1},
                     {"take_profit", 0.05},
                     {"max_buys", int64_t{0}}};
  host.cash = 1.0;
}

void check_market(const EmittedIntent& intent, cephalo_side side, double quantity,
                  const char* tag) {
  CHECK(intent.symbol == "ETH/BTC");
  CHECK(intent.side == side);
  CHECK(intent.type == CEPHALO_ORDER_MARKET);
  CHECK(intent.price == 0);
  CHECK(intent.quantity == doctest::Approx(quantity));
  CHECK(intent.tag == tag);
}

bool logged(FakeHost& host, const std::string& text) {
  const auto logs = host.logs();
  return std::any_of(logs.begin(), logs.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("dca: buys every interval_bars candles, skips when cash is short, takes profit") {
  FakeHost host;
  defaults(host);
  LoadedTentacle dca(host);
  REQUIRE(dca.create_status == CEPHALO_OK);
  CHECK(dca.descriptor->kind == CEPHALO_KIND_TRADING_MODE);

  dca.candle("ETH/BTC", 0, 0.1);  // the first candle buys: 0.1 / 0.1
  REQUIRE(host.intents.size() == 1);
  check_market(host.intents[0], CEPHALO_SIDE_BUY, 1.0, "dca");
  dca.candle("ETH/BTC", 1, 0.09);
  dca.candle("ETH/BTC", 2, 0.085);
  CHECK(host.intents.size() == 1);
  dca.candle("ETH/BTC", 3, 0.08);  // three candles later: 0.1 / 0.08
  REQUIRE(host.intents.size() == 2);
  check_market(host.intents[1], CEPHALO_SIDE_BUY, 1.25, "dca");

  const double average = 0.2 / 2.25;  // what the portfolio reports after both fills
  host.positions["ETH/BTC"] = {2.25, average};
  dca.candle("ETH/BTC", 4, 0.093);  // below average x 1.05 = 0.09333
  dca.candle("ETH/BTC", 5, 0.09);
  CHECK(host.intents.size() == 2);
  host.cash = 0.05;
  dca.candle("ETH/BTC", 6, 0.09);  // a scheduled buy, but the cash is below quote_per_buy
  CHECK(host.intents.size() == 2);
  CHECK(logged(host, "cash 0.050000 is below quote_per_buy 0.100000"));
  host.cash = 1.0;
  dca.candle("ETH/BTC", 7, 0.09);
  dca.candle("ETH/BTC", 8, 0.09);
  CHECK(host.intents.size() == 2);
  dca.candle("ETH/BTC", 9, 0.094);  // take profit; the buy scheduled on this bar is not made
  REQUIRE(host.intents.size() == 3);
  check_market(host.intents[2], CEPHALO_SIDE_SELL, 2.25, "take_profit");
}

TEST_CASE("dca: ENTER_LONG adds a buy, EXIT_LONG sells everything") {
  FakeHost host;
  defaults(host);
  host.parameters["interval_bars"] = int64_t{100};
  LoadedTentacle dca(host);
  REQUIRE(dca.create_status == CEPHALO_OK);
  dca.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // no candle yet: no price to size with
  CHECK(host.intents.empty());
  CHECK(logged(host, "before any candle"));
  dca.candle("ETH/BTC", 0, 0.1);
  dca.candle("ETH/BTC", 1, 0.08);
  REQUIRE(host.intents.size() == 1);
  dca.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);  // flat: nothing to sell
  CHECK(host.intents.size() == 1);
  dca.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);
  REQUIRE(host.intents.size() == 2);
  check_market(host.intents[1], CEPHALO_SIDE_BUY, 1.25, "dca");
  host.positions["ETH/BTC"] = {2.25, 0.2 / 2.25};
  dca.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);
  REQUIRE(host.intents.size() == 3);
  check_market(host.intents[2], CEPHALO_SIDE_SELL, 2.25, "signal");
}

TEST_CASE("dca: max_buys caps the buys per position; an exit starts counting again") {
  FakeHost host;
  defaults(host);
  host.parameters["interval_bars"] = int64_t{1};
  host.parameters["max_buys"] = int64_t{2};
  host.parameters["take_profit"] = 0.0;  // never
  LoadedTentacle dca(host);
  REQUIRE(dca.create_status == CEPHALO_OK);
  dca.candle("ETH/BTC", 0, 0.1);
  dca.candle("ETH/BTC", 1, 0.1);
  host.positions["ETH/BTC"] = {2.0, 0.1};
  dca.candle("ETH/BTC", 2, 1000.0);  // a third buy is over the cap; take_profit 0 never sells
  REQUIRE(host.intents.size() == 2);
  CHECK(logged(host, "max_buys 2 reached"));
  dca.signal("ETH/BTC", CEPHALO_SIGNAL_EXIT_LONG);
  REQUIRE(host.intents.size() == 3);
  host.positions.erase("ETH/BTC");
  dca.candle("ETH/BTC", 3, 0.1);
  REQUIRE(host.intents.size() == 4);
  check_market(host.intents[3], CEPHALO_SIDE_BUY, 1.0, "dca");
}

TEST_CASE("dca: state hand-over keeps the candle count") {
  FakeHost host;
  defaults(host);
  LoadedTentacle first(host);
  first.candle("ETH/BTC", 0, 0.1);
  first.candle("ETH/BTC", 1, 0.1);
  REQUIRE(host.intents.size() == 1);
  const std::string blob = first.save();
  LoadedTentacle second(host);
  REQUIRE(second.load(blob, 1) == CEPHALO_OK);
  second.candle("ETH/BTC", 2, 0.1);  // the third candle: not yet
  CHECK(host.intents.size() == 1);
  second.candle("ETH/BTC", 3, 0.1);
  CHECK(host.intents.size() == 2);
  CHECK(second.load("cephalo-dca-state\nETH/BTC\t5m\tx\t0\t0.1\n", 1) == CEPHALO_ERROR);
}

TEST_CASE("dca: bad parameters are refused at create with the reason") {
  FakeHost host;
  defaults(host);
  host.parameters["interval_bars"] = int64_t{0};
  LoadedTentacle zero_interval(host);
  CHECK(zero_interval.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("interval_bars") != std::string::npos);
  FakeHost other;
  defaults(other);
  other.parameters["take_profit"] = -0.1;
  LoadedTentacle negative(other);
  CHECK(negative.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("take_profit") != std::string::npos);
}
