// Funds and holdings are checked at fill time: a gap can make an affordable order unaffordable.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

TEST_CASE("a buy that a gap-up open makes unaffordable is rejected whole, with its reason") {
  SimExchangeConfig config = one_pair_config();
  config.taker_fee = 0.001;
  Venue venue(config, 1'000);
  // 8 x 100 = 800 at the signal close; the next bar opens at 125: 1000 + fee 1 > cash 1000.
  REQUIRE(venue.submit(order("b", CEPHALO_SIDE_BUY, 8), bar(0, 99, 101, 98, 100)).size() == 1);
  const Bar gap = bar(1, 125, 126, 124, 125);
  const auto reports = venue.on_bar(gap);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].update == OrderUpdate::kRejected);
  CHECK(reports[0].client_order_id == "b");
  CHECK(reports[0].time_ns == gap.open_time_ns);
  const std::string reason =
      "insufficient funds: buying 8 ETH/BTC at 125 needs 1001 BTC including fee 1, cash 1000 BTC";
  CHECK(reports[0].reason == reason);

  REQUIRE(venue.exchange->rejected_orders().size() == 1);
  const RejectedOrder& rejected = venue.exchange->rejected_orders()[0];
  CHECK(rejected.pair == "ETH/BTC");
  CHECK(rejected.time_ns == gap.open_time_ns);
  CHECK(rejected.side == "buy");
  CHECK(rejected.quantity == 8);
  CHECK(rejected.price == 125);
  CHECK(rejected.reason == reason);

  CHECK(venue.portfolio.cash() == 1'000);
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 0);
  CHECK(venue.exchange->open_orders().empty());
}

TEST_CASE("selling more than is held is rejected at fill, not shrunk") {
  Venue venue(one_pair_config());
  const Bar now = bar(0, 100, 100, 100, 100);
  REQUIRE(venue.submit(order("b", CEPHALO_SIDE_BUY, 1), now).size() == 1);
  REQUIRE(venue.submit(order("s", CEPHALO_SIDE_SELL, 1.5), now).size() == 1);
  const Bar next = bar(1, 100, 100, 100, 100);
  const auto reports = venue.on_bar(next);
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].update == OrderUpdate::kFilled);
  CHECK(reports[1].update == OrderUpdate::kRejected);
  CHECK(reports[1].reason ==
        "insufficient position: selling 1.5 ETH/BTC but only 1 is held (long-only spot: no short "
        "selling)");
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 1);
  REQUIRE(venue.exchange->rejected_orders().size() == 1);
  CHECK(venue.exchange->rejected_orders()[0].side == "sell");
  CHECK(venue.exchange->rejected_orders()[0].price == 100);
}

TEST_CASE("a GTC order rejected after partial fills keeps what it filled") {
  SimExchangeConfig config = one_pair_config();
  config.max_volume_share = 0.5;
  Venue venue(config, 250);
  REQUIRE(venue.submit(order("b", CEPHALO_SIDE_BUY, 4), bar(0, 100, 100, 100, 100, 4)).size() == 1);
  const auto first = venue.on_bar(bar(1, 100, 100, 100, 100, 4));  // 2 x 100 = 200 of 250
  REQUIRE(first.size() == 1);
  CHECK(first[0].update == OrderUpdate::kPartiallyFilled);
  const auto second = venue.on_bar(bar(2, 100, 100, 100, 100, 4));  // 200 more: 50 left
  REQUIRE(second.size() == 1);
  CHECK(second[0].update == OrderUpdate::kRejected);
  CHECK(second[0].filled_quantity == 2);
  CHECK(second[0].reason ==
        "insufficient funds: buying 2 ETH/BTC at 100 needs 200 BTC including fee 0, cash 50 BTC");
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 2);
  CHECK(venue.exchange->open_orders().empty());
  // The record names the refused fill, not the whole order.
  REQUIRE(venue.exchange->rejected_orders().size() == 1);
  CHECK(venue.exchange->rejected_orders()[0].quantity == 2);
  CHECK(venue.exchange->rejected_orders()[0].price == 100);
}

}  // namespace
