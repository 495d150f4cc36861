// Tests of the grid trading mode, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <string>

#include "fake_host.hpp"

using cephalo::test::EmittedIntent;
using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

// Levels 0.08, 0.09, 0.10, 0.11, 0.12; each buy spends 0.1 quote.
void defaults(FakeHost& host) {
  host.parameters = {
      {"lower", 0.08}, {"upper", 0.12}, {"levels", int64_t{5}}, {"quote_per_level", 0.1}};
  host.cash = 1.0;
}

void check_limit(const EmittedIntent& intent, cephalo_side side, double price, double quantity) {
  CHECK(intent.symbol == "ETH/BTC");
  CHECK(intent.side == side);
  CHECK(intent.type == CEPHALO_ORDER_LIMIT);
  CHECK(intent.time_in_force == CEPHALO_TIF_GTC);
  CHECK(intent.price == doctest::Approx(price));
  CHECK(intent.quantity == doctest::Approx(quantity));
  CHECK(intent.tag == "grid");
}

}  // namespace

TEST_CASE("grid: buys below the first close, sells one level up on a fill, buys again after") {
  FakeHost host;
  defaults(host);
  LoadedTentacle grid(host);
  REQUIRE(grid.create_status == CEPHALO_OK);
  CHECK(grid.descriptor->kind == CEPHALO_KIND_TRADING_MODE);

  grid.candle("ETH/BTC", 0, 0.105);
  REQUIRE(host.intents.size() == 3);  // 0.08, 0.09, 0.10; none at or above the close
  check_limit(host.intents[0], CEPHALO_SIDE_BUY, 0.10, 1.0);
  check_limit(host.intents[1], CEPHALO_SIDE_BUY, 0.09, 0.1 / 0.09);
  check_limit(host.intents[2], CEPHALO_SIDE_BUY, 0.08, 1.25);
  grid.candle("ETH/BTC", 1, 0.095);                   // the working orders are not placed twice
  grid.signal("ETH/BTC", CEPHALO_SIGNAL_ENTER_LONG);  // the grid runs on its own
  CHECK(host.intents.size() == 3);

  grid.fill("ETH/BTC", CEPHALO_SIDE_BUY, 1.0, 0.10);
  REQUIRE(host.intents.size() == 4);
  check_limit(host.intents[3], CEPHALO_SIDE_SELL, 0.11, 1.0);
  grid.candle("ETH/BTC", 2, 0.10);  // the 0.10 buy is done but its sell is working: no re-buy
  CHECK(host.intents.size() == 4);

  grid.fill("ETH/BTC", CEPHALO_SIDE_SELL, 1.0, 0.11);
  REQUIRE(host.intents.size() == 5);
  check_limit(host.intents[4], CEPHALO_SIDE_BUY, 0.10, 1.0);

  // The bar opens at 0.085, below both the 0.10 and the 0.09 buys: both fill at the open, and
  // their quantities tell them apart.
  grid.fill("ETH/BTC", CEPHALO_SIDE_BUY, 0.1 / 0.09, 0.085);
  grid.fill("ETH/BTC", CEPHALO_SIDE_BUY, 1.0, 0.085);
  REQUIRE(host.intents.size() == 7);
  check_limit(host.intents[5], CEPHALO_SIDE_SELL, 0.10, 0.1 / 0.09);
  check_limit(host.intents[6], CEPHALO_SIDE_SELL, 0.11, 1.0);
  // A sell that opens above its level fills higher, still at its level's order.
  grid.fill("ETH/BTC", CEPHALO_SIDE_SELL, 0.1 / 0.09, 0.102);
  REQUIRE(host.intents.size() == 8);
  check_limit(host.intents[7], CEPHALO_SIDE_BUY, 0.09, 0.1 / 0.09);

  // A fill that fits no working order (no sell rests at or below 0.105 for 5 units) is not
  // taken for one.
  grid.fill("ETH/BTC", CEPHALO_SIDE_SELL, 5.0, 0.105);
  CHECK(host.intents.size() == 8);
  const auto logs = host.logs();
  CHECK(std::any_of(logs.begin(), logs.end(), [](const std::string& line) {
    return line.find("matches no working grid order") != std::string::npos;
  }));
}

TEST_CASE("grid: a partly filled buy sells each piece and re-arms only when all has sold") {
  FakeHost host;
  defaults(host);
  LoadedTentacle grid(host);
  REQUIRE(grid.create_status == CEPHALO_OK);
  grid.candle("ETH/BTC", 0, 0.105);
  REQUIRE(host.intents.size() == 3);
  grid.fill("ETH/BTC", CEPHALO_SIDE_BUY, 0.4, 0.10);
  REQUIRE(host.intents.size() == 4);
  check_limit(host.intents[3], CEPHALO_SIDE_SELL, 0.11, 0.4);
  grid.fill("ETH/BTC", CEPHALO_SIDE_SELL, 0.4, 0.11);  // 0.6 of the buy is still working
  CHECK(host.intents.size() == 4);
  grid.fill("ETH/BTC", CEPHALO_SIDE_BUY, 0.6, 0.10);
  REQUIRE(host.intents.size() == 5);
  check_limit(host.intents[4], CEPHALO_SIDE_SELL, 0.11, 0.6);
  grid.fill("ETH/BTC", CEPHALO_SIDE_SELL, 0.6, 0.11);
  REQUIRE(host.intents.size() == 6);
  check_limit(host.intents[5], CEPHALO_SIDE_BUY, 0.10, 1.0);
}

TEST_CASE("grid: buys wait for cash not already promised to the grid's working buys") {
  FakeHost host;
  defaults(host);
  host.cash = 0.25;  // enough for two levels
  LoadedTentacle grid(host);
  REQUIRE(grid.create_status == CEPHALO_OK);
  grid.candle("ETH/BTC", 0, 0.105);
  REQUIRE(host.intents.size() == 2);  // the nearest levels first
  check_limit(host.intents[0], CEPHALO_SIDE_BUY, 0.10, 1.0);
  check_limit(host.intents[1], CEPHALO_SIDE_BUY, 0.09, 0.1 / 0.09);
  grid.candle("ETH/BTC", 1, 0.105);
  CHECK(host.intents.size() == 2);
  host.cash = 0.35;
  grid.candle("ETH/BTC", 2, 0.105);
  REQUIRE(host.intents.size() == 3);
  check_limit(host.intents[2], CEPHALO_SIDE_BUY, 0.08, 1.25);
}

TEST_CASE("grid: state hand-over keeps the working orders; another geometry is refused") {
  FakeHost host;
  defaults(host);
  LoadedTentacle first(host);
  first.candle("ETH/BTC", 0, 0.105);
  first.fill("ETH/BTC", CEPHALO_SIDE_BUY, 1.0, 0.10);
  REQUIRE(host.intents.size() == 4);
  const std::string blob = first.save();
  REQUIRE(first.last_status == CEPHALO_OK);

  LoadedTentacle second(host);
  REQUIRE(second.load(blob, 1) == CEPHALO_OK);
  second.candle("ETH/BTC", 1, 0.105);  // the restored buys are working: nothing placed again
  CHECK(host.intents.size() == 4);
  second.fill("ETH/BTC", CEPHALO_SIDE_SELL, 1.0, 0.11);
  REQUIRE(host.intents.size() == 5);
  check_limit(host.intents[4], CEPHALO_SIDE_BUY, 0.10, 1.0);

  FakeHost other;
  defaults(other);
  other.parameters["levels"] = int64_t{7};
  LoadedTentacle reshaped(other);
  CHECK(reshaped.load(blob, 1) == CEPHALO_ERROR);
  CHECK(other.last_error.find("other levels") != std::string::npos);
}

TEST_CASE("grid: bad parameters are refused at create, all at once") {
  FakeHost host;
  host.parameters = {
      {"lower", 0.12}, {"upper", 0.08}, {"levels", int64_t{1}}, {"quote_per_level", 0.1}};
  LoadedTentacle grid(host);
  CHECK(grid.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("upper must be above lower") != std::string::npos);
  CHECK(host.last_error.find("levels must be at least 2") != std::string::npos);
}
