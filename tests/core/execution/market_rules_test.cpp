// Tick, lot and minimum notional: rounding in the safe direction and rejections with their values.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

SimExchangeConfig grid() {
  return one_pair_config(MarketRules{/*tick_size=*/0.5, /*lot_step=*/0.01, /*min_notional=*/10});
}

const Bar kNow = bar(0, 99, 101, 98, 100);

OpenOrder accepted(Venue& venue, const OrderRequest& request) {
  const auto reports = venue.submit(request, kNow);
  REQUIRE(reports.size() == 1);
  REQUIRE_MESSAGE(reports[0].update == OrderUpdate::kAccepted, reports[0].reason);
  for (const OpenOrder& open : venue.exchange->open_orders()) {
    if (open.request.client_order_id == request.client_order_id) return open;
  }
  FAIL("accepted order is not open");
  return {};
}

std::string rejection(Venue& venue, const OrderRequest& request) {
  const auto reports = venue.submit(request, kNow);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].update == OrderUpdate::kRejected);
  return reports[0].reason;
}

TEST_CASE("limit and stop prices round to the tick: buys down, sells up") {
  Venue venue(grid());
  CHECK(accepted(venue, order("lb", CEPHALO_SIDE_BUY, 1, limit_at(100.3))).request.price == 100);
  CHECK(accepted(venue, order("ls", CEPHALO_SIDE_SELL, 1, limit_at(100.3))).request.price == 100.5);
  CHECK(accepted(venue, order("sb", CEPHALO_SIDE_BUY, 1, stop_at(105.2))).request.stop_price ==
        105);
  CHECK(accepted(venue, order("ss", CEPHALO_SIDE_SELL, 1, stop_at(94.8))).request.stop_price == 95);
  // Already on the tick: unchanged in both directions.
  CHECK(accepted(venue, order("on", CEPHALO_SIDE_BUY, 1, limit_at(99.5))).request.price == 99.5);
}

TEST_CASE("decimal ticks and lots snap to the decimal, not to float noise") {
  Venue venue(one_pair_config(MarketRules{0.01, 0.001, 0}));
  const OpenOrder open = accepted(venue, order("d", CEPHALO_SIDE_BUY, 0.3, limit_at(123.456)));
  CHECK(open.request.price == 123.45);
  CHECK(open.request.quantity == 0.3);  // 0.3 / 0.001 is 299.99999999999994 in doubles
}

TEST_CASE("quantities floor to the lot step; below one lot is rejected") {
  Venue venue(grid());
  CHECK(accepted(venue, order("q", CEPHALO_SIDE_BUY, 1.239)).request.quantity == 1.23);
  CHECK(rejection(venue, order("tiny", CEPHALO_SIDE_BUY, 0.005)) ==
        "quantity 0.005 is below the lot step 0.01 of ETH/BTC");
}

TEST_CASE("an order below the minimum notional is rejected naming the values") {
  Venue venue(grid());
  CHECK(rejection(venue, order("n", CEPHALO_SIDE_BUY, 0.05, limit_at(100))) ==
        "notional 5 BTC (quantity 0.05 x price 100) is below the minimum notional 10 BTC of "
        "ETH/BTC");
  // A market order is valued at the close of the bar it was decided on.
  CHECK(rejection(venue, order("m", CEPHALO_SIDE_BUY, 0.09)) ==
        "notional 9 BTC (quantity 0.09 x price 100) is below the minimum notional 10 BTC of "
        "ETH/BTC");
  CHECK(accepted(venue, order("ok", CEPHALO_SIDE_BUY, 0.1)).request.quantity == 0.1);

  const auto& rejected = venue.exchange->rejected_orders();
  REQUIRE(rejected.size() == 2);
  CHECK(rejected[0].pair == "ETH/BTC");
  CHECK(rejected[0].side == "buy");
  CHECK(rejected[0].quantity == 0.05);
  CHECK(rejected[0].price == 100);
  CHECK(rejected[1].quantity == 0.09);
}

TEST_CASE("a slipped fill price rounds to the tick against the trader") {
  SimExchangeConfig config = grid();
  config.slippage = SlippageConfig{SlippageModel::kFixedBps, 10, 0};
  Venue venue(config);
  REQUIRE(venue.submit(order("b", CEPHALO_SIDE_BUY, 1), kNow).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(1, 100, 101, 99, 100))).price == 100.5);  // 100.1 -> up
  REQUIRE(venue.submit(order("s", CEPHALO_SIDE_SELL, 1), kNow).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(2, 100, 101, 99, 100))).price == 99.5);  // 99.9 -> down
}

TEST_CASE("malformed orders are rejected with what is wrong") {
  Venue venue(grid());
  CHECK(rejection(venue,
                  order("x", CEPHALO_SIDE_BUY, 1,
                        OrderSpec{CEPHALO_ORDER_MARKET, 0, 0, CEPHALO_TIF_GTC, "", "XRP/BTC"})) ==
        "pair XRP/BTC is not traded by this exchange (configured: ETH/BTC)");
  CHECK(venue.submit(order("y", CEPHALO_SIDE_BUY, 1), bar(0, 1, 1, 1, 1, 1, "XRP/BTC"))[0].reason ==
        "order for ETH/BTC was submitted with a bar of XRP/BTC");
  CHECK(rejection(venue, order("", CEPHALO_SIDE_BUY, 1)) == "client_order_id is empty");
  CHECK(rejection(venue, order("z", CEPHALO_SIDE_BUY, -1)) == "quantity must be > 0, got -1");
  CHECK(rejection(venue, order("z", CEPHALO_SIDE_BUY, 1, limit_at(0))) ==
        "limit order needs a limit price > 0, got 0");
  CHECK(rejection(venue, order("z", CEPHALO_SIDE_BUY, 1, stop_limit_at(0, 100))) ==
        "stop_limit order needs a stop price > 0, got 0");
  CHECK(rejection(venue, order("z", 7, 1)) == "side 7 is neither buy nor sell");
  accepted(venue, order("dup", CEPHALO_SIDE_BUY, 1, limit_at(90)));
  CHECK(rejection(venue, order("dup", CEPHALO_SIDE_BUY, 1)) ==
        "client_order_id 'dup' is already used by an open order");
}

}  // namespace
