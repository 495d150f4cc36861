// Limit orders: fill at the limit when touched, at the open when the bar gaps through it.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

// Holds 2 ETH bought at 100, so sells have something to sell.
void hold_two(Venue& venue) {
  REQUIRE(venue.submit(order("seed", CEPHALO_SIDE_BUY, 2), bar(0, 100, 100, 100, 100)).size() == 1);
  REQUIRE(venue.on_bar(bar(1, 100, 100, 100, 100)).size() == 1);
}

TEST_CASE("a buy limit waits for a touch, then fills at the limit as maker") {
  SimExchangeConfig config = one_pair_config();
  config.maker_fee = 0.001;
  config.taker_fee = 0.002;
  Venue venue(config);
  REQUIRE(venue.submit(order("l1", CEPHALO_SIDE_BUY, 2, limit_at(95)), bar(0, 99, 101, 98, 100))
              .size() == 1);
  CHECK(venue.on_bar(bar(1, 99, 100, 96, 97)).empty());  // low 96 > 95: no touch
  REQUIRE(venue.exchange->open_orders().size() == 1);

  const Bar touch = bar(2, 98, 99, 94, 96);
  const SimFill fill = only_fill(venue.on_bar(touch));
  CHECK(fill.price == 95);
  CHECK(fill.liquidity == Liquidity::kMaker);
  CHECK(fill.fee == 2 * 95 * 0.001);
  CHECK(fill.time_ns == touch.close_time_ns);  // inside the bar: known by its close
}

TEST_CASE("a buy limit gapped through fills at the better open") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("l1", CEPHALO_SIDE_BUY, 1, limit_at(95)), bar(0, 99, 101, 98, 100))
              .size() == 1);
  const Bar gap = bar(1, 93, 97, 92, 96);
  const SimFill fill = only_fill(venue.on_bar(gap));
  CHECK(fill.price == 93);
  CHECK(fill.time_ns == gap.open_time_ns);
  CHECK(fill.liquidity == Liquidity::kMaker);
}

TEST_CASE("a sell limit fills at the limit when the high reaches it, at the open when gapped") {
  Venue venue(one_pair_config());
  hold_two(venue);
  REQUIRE(venue.submit(order("s1", CEPHALO_SIDE_SELL, 1, limit_at(110)), bar(1, 100, 100, 100, 100))
              .size() == 1);
  REQUIRE(venue.submit(order("s2", CEPHALO_SIDE_SELL, 1, limit_at(115)), bar(1, 100, 100, 100, 100))
              .size() == 1);
  const auto touched = venue.on_bar(bar(2, 105, 111, 104, 108));
  CHECK(only_fill(touched).price == 110);
  CHECK(only_fill(touched).client_order_id == "s1");
  const auto gapped = venue.on_bar(bar(3, 118, 120, 117, 119));
  CHECK(only_fill(gapped).price == 118);
  CHECK(only_fill(gapped).client_order_id == "s2");
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 0);
}

TEST_CASE("a buy limit at or above the current price is evaluated from the next bar") {
  Venue venue(one_pair_config());
  const Bar placed = bar(0, 99, 101, 98, 100);
  const auto submitted = venue.submit(order("l1", CEPHALO_SIDE_BUY, 1, limit_at(105)), placed);
  CHECK(updates(submitted) == std::vector{OrderUpdate::kAccepted});
  CHECK(venue.on_bar(placed).empty());  // its own bar again: never
  const Bar next = bar(1, 102, 104, 101, 103);
  const SimFill fill = only_fill(venue.on_bar(next));
  CHECK(fill.price == 102);  // the open is within the limit and better than it
  CHECK(fill.time_ns == next.open_time_ns);
}

TEST_CASE("an IOC limit that is not touched in its first bar expires") {
  Venue venue(one_pair_config());
  REQUIRE(venue
              .submit(order("l1", CEPHALO_SIDE_BUY, 1, limit_at(95, CEPHALO_TIF_IOC)),
                      bar(0, 99, 101, 98, 100))
              .size() == 1);
  const Bar next = bar(1, 99, 100, 96, 97);
  const auto reports = venue.on_bar(next);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].update == OrderUpdate::kExpired);
  CHECK(reports[0].reason == "ioc limit order found no price to trade at in the bar");
  CHECK(reports[0].time_ns == next.close_time_ns);
  CHECK(venue.exchange->open_orders().empty());
}

}  // namespace
