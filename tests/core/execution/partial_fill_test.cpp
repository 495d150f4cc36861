// max_volume_share: partial fills over several bars (GTC), IOC remainders, FOK all-or-nothing.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

// A tenth of each bar's volume may trade: 2 ETH of a 20 ETH bar.
SimExchangeConfig tenth_of_volume() {
  SimExchangeConfig config = one_pair_config();
  config.max_volume_share = 0.1;
  return config;
}

const Bar kPlaced = bar(0, 100, 100, 100, 100, 20);

TEST_CASE("a GTC order fills a share of each bar's volume until done") {
  Venue venue(tenth_of_volume());
  REQUIRE(
      venue.submit(order("g", CEPHALO_SIDE_BUY, 5, market_with(CEPHALO_TIF_GTC)), kPlaced).size() ==
      1);
  const auto first = venue.on_bar(bar(1, 101, 101, 101, 101, 20));
  REQUIRE(first.size() == 1);
  CHECK(first[0].update == OrderUpdate::kPartiallyFilled);
  CHECK(first[0].fill->quantity == 2);
  CHECK(first[0].fill->price == 101);
  CHECK(first[0].filled_quantity == 2);
  CHECK(first[0].remaining_quantity == 3);
  REQUIRE(venue.exchange->open_orders().size() == 1);
  CHECK(venue.exchange->open_orders()[0].remaining_quantity == 3);

  const auto second = venue.on_bar(bar(2, 102, 102, 102, 102, 20));
  REQUIRE(second.size() == 1);
  CHECK(second[0].update == OrderUpdate::kPartiallyFilled);
  CHECK(second[0].fill->price == 102);
  CHECK(second[0].filled_quantity == 4);
  CHECK(second[0].remaining_quantity == 1);

  const auto third = venue.on_bar(bar(3, 103, 103, 103, 103, 20));
  REQUIRE(third.size() == 1);
  CHECK(third[0].update == OrderUpdate::kFilled);
  CHECK(third[0].fill->quantity == 1);
  CHECK(third[0].filled_quantity == 5);
  CHECK(third[0].remaining_quantity == 0);
  CHECK(venue.exchange->open_orders().empty());
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 5);
  CHECK(venue.portfolio.position("ETH/BTC")->average_entry_price() ==
        doctest::Approx((2 * 101.0 + 2 * 102.0 + 1 * 103.0) / 5));
}

TEST_CASE("an IOC order fills what the bar allows and expires the rest") {
  Venue venue(tenth_of_volume());
  REQUIRE(
      venue.submit(order("i", CEPHALO_SIDE_BUY, 5, market_with(CEPHALO_TIF_IOC)), kPlaced).size() ==
      1);
  const Bar next = bar(1, 101, 101, 101, 101, 20);
  const auto reports = venue.on_bar(next);
  CHECK(updates(reports) == std::vector{OrderUpdate::kPartiallyFilled, OrderUpdate::kExpired});
  CHECK(reports[0].fill->quantity == 2);
  CHECK(reports[1].filled_quantity == 2);
  CHECK(reports[1].remaining_quantity == 0);
  CHECK(reports[1].reason ==
        "ioc order left 3 unfilled (max_volume_share 0.1 of the bar's volume 20)");
  CHECK(reports[1].time_ns == next.open_time_ns);
  CHECK(venue.exchange->open_orders().empty());
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 2);
}

TEST_CASE("a FOK order fills whole or expires without a fill") {
  Venue venue(tenth_of_volume());
  REQUIRE(venue.submit(order("big", CEPHALO_SIDE_BUY, 5, market_with(CEPHALO_TIF_FOK)), kPlaced)
              .size() == 1);
  REQUIRE(venue.submit(order("small", CEPHALO_SIDE_BUY, 2, market_with(CEPHALO_TIF_FOK)), kPlaced)
              .size() == 1);
  const auto reports = venue.on_bar(bar(1, 101, 101, 101, 101, 20));
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].client_order_id == "big");
  CHECK(reports[0].update == OrderUpdate::kExpired);
  CHECK_FALSE(reports[0].fill);
  CHECK(reports[0].filled_quantity == 0);
  CHECK(reports[0].reason ==
        "fok order for 5 could fill only 2 in the bar (max_volume_share 0.1 of the bar's volume "
        "20)");
  CHECK(reports[1].client_order_id == "small");
  CHECK(reports[1].update == OrderUpdate::kFilled);
  CHECK(reports[1].fill->quantity == 2);
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 2);
}

TEST_CASE("orders of one pair share the bar's volume in turn") {
  Venue venue(tenth_of_volume());
  REQUIRE(venue.submit(order("a", CEPHALO_SIDE_BUY, 1.5), kPlaced).size() == 1);
  REQUIRE(venue.submit(order("b", CEPHALO_SIDE_BUY, 1.5), kPlaced).size() == 1);
  const auto first = venue.on_bar(bar(1, 101, 101, 101, 101, 20));
  REQUIRE(first.size() == 2);
  CHECK(first[0].update == OrderUpdate::kFilled);
  CHECK(first[0].fill->quantity == 1.5);
  CHECK(first[1].update == OrderUpdate::kPartiallyFilled);
  CHECK(first[1].fill->quantity == 0.5);
  const auto second = venue.on_bar(bar(2, 102, 102, 102, 102, 20));
  REQUIRE(second.size() == 1);
  CHECK(second[0].client_order_id == "b");
  CHECK(second[0].update == OrderUpdate::kFilled);
  CHECK(second[0].fill->quantity == 1);
}

TEST_CASE("a GTC limit partially filled keeps resting at its limit") {
  Venue venue(tenth_of_volume());
  REQUIRE(venue.submit(order("l", CEPHALO_SIDE_BUY, 3, limit_at(95)), kPlaced).size() == 1);
  const auto first = venue.on_bar(bar(1, 97, 98, 94, 96, 20));
  REQUIRE(first.size() == 1);
  CHECK(first[0].fill->quantity == 2);
  CHECK(first[0].fill->price == 95);
  CHECK(venue.on_bar(bar(2, 97, 99, 96, 98, 50)).empty());  // not touched: waits
  const auto third = venue.on_bar(bar(3, 94, 95, 93, 94, 50));
  REQUIRE(third.size() == 1);
  CHECK(third[0].update == OrderUpdate::kFilled);
  CHECK(third[0].fill->quantity == 1);
  CHECK(third[0].fill->price == 94);
}

TEST_CASE("a partial fill is floored to the lot step; a bar too thin for one lot fills nothing") {
  Venue venue([] {
    SimExchangeConfig config = tenth_of_volume();
    config.markets["ETH/BTC"].lot_step = 0.5;
    return config;
  }());
  REQUIRE(venue.submit(order("g", CEPHALO_SIDE_BUY, 3), kPlaced).size() == 1);
  const auto first = venue.on_bar(bar(1, 101, 101, 101, 101, 23));  // room 2.3: four lots of 0.5
  REQUIRE(first.size() == 1);
  CHECK(first[0].fill->quantity == 2);
  CHECK(venue.on_bar(bar(2, 101, 101, 101, 101, 4)).empty());  // 0.4 of room: not one lot
  CHECK(venue.exchange->open_orders()[0].remaining_quantity == 1);
}

}  // namespace
