// Stop and stop-limit orders: triggers, gaps, the within-bar assumptions, stops before limits.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

const Bar kPlaced = bar(0, 99, 101, 98, 100);

void hold_two(Venue& venue) {
  REQUIRE(venue.submit(order("seed", CEPHALO_SIDE_BUY, 2), kPlaced).size() == 1);
  REQUIRE(venue.on_bar(bar(1, 100, 100, 100, 100)).size() == 1);
}

TEST_CASE("a buy stop triggers when the high reaches it and fills at the stop as taker") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("s1", CEPHALO_SIDE_BUY, 1, stop_at(105)), kPlaced).size() == 1);
  CHECK(venue.on_bar(bar(1, 100, 104, 99, 103)).empty());
  const Bar reached = bar(2, 103, 107, 102, 106);
  const SimFill fill = only_fill(venue.on_bar(reached));
  CHECK(fill.price == 105);
  CHECK(fill.liquidity == Liquidity::kTaker);
  CHECK(fill.time_ns == reached.close_time_ns);
}

TEST_CASE("a buy stop gapped through fills at the worse open") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("s1", CEPHALO_SIDE_BUY, 1, stop_at(105)), kPlaced).size() == 1);
  const Bar gap = bar(1, 108, 110, 107, 109);
  const SimFill fill = only_fill(venue.on_bar(gap));
  CHECK(fill.price == 108);
  CHECK(fill.time_ns == gap.open_time_ns);
}

TEST_CASE("a sell stop fills at the stop when the low reaches it, at the open when gapped") {
  Venue venue(one_pair_config());
  hold_two(venue);
  const Bar now = bar(1, 100, 100, 100, 100);
  REQUIRE(venue.submit(order("s1", CEPHALO_SIDE_SELL, 1, stop_at(95)), now).size() == 1);
  REQUIRE(venue.submit(order("s2", CEPHALO_SIDE_SELL, 1, stop_at(90)), now).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(2, 99, 100, 94, 96))).price == 95);
  CHECK(only_fill(venue.on_bar(bar(3, 88, 89, 85, 86))).price == 88);
}

TEST_CASE("a buy stop-limit triggered inside the bar ignores a low that may have come first") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 103)), kPlaced).size() ==
          1);
  // Low 101 is below the limit, but it may have been traded before the high reached the stop;
  // the close 104 is after the trigger and above the limit: no fill.
  CHECK(venue.on_bar(bar(1, 100, 106, 101, 104)).empty());
  REQUIRE(venue.exchange->open_orders().size() == 1);
  CHECK(venue.exchange->open_orders()[0].triggered);
  // From the next bar it is a plain limit at 103: the open 102.5 is within it.
  const Bar next = bar(2, 102.5, 104, 102, 103.5);
  const SimFill fill = only_fill(venue.on_bar(next));
  CHECK(fill.price == 102.5);
  CHECK(fill.liquidity == Liquidity::kMaker);
  CHECK(fill.time_ns == next.open_time_ns);
}

TEST_CASE("a buy stop-limit fills in its trigger bar when the close comes back to the limit") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 103)), kPlaced).size() ==
          1);
  const SimFill fill = only_fill(venue.on_bar(bar(1, 100, 106, 101, 102)));
  CHECK(fill.price == 103);
  CHECK(fill.liquidity == Liquidity::kMaker);
}

TEST_CASE("a buy stop-limit whose limit is above the stop fills at the stop on triggering") {
  Venue venue(one_pair_config());
  REQUIRE(venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 107)), kPlaced).size() ==
          1);
  const SimFill fill = only_fill(venue.on_bar(bar(1, 100, 110, 99, 109)));
  CHECK(fill.price == 105);
  CHECK(fill.liquidity == Liquidity::kTaker);
}

TEST_CASE("a buy stop-limit triggered by a gap is a plain limit for the whole bar") {
  SUBCASE("open within the limit: fills at the open") {
    Venue venue(one_pair_config());
    REQUIRE(
        venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 107)), kPlaced).size() ==
        1);
    CHECK(only_fill(venue.on_bar(bar(1, 106, 109, 105.5, 108))).price == 106);
  }
  SUBCASE("open beyond the limit, low back to it: fills at the limit") {
    Venue venue(one_pair_config());
    REQUIRE(
        venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 107)), kPlaced).size() ==
        1);
    CHECK(only_fill(venue.on_bar(bar(1, 108, 109, 106.5, 108))).price == 107);
  }
  SUBCASE("open beyond the limit and never back: triggered, waiting") {
    Venue venue(one_pair_config());
    REQUIRE(
        venue.submit(order("sl", CEPHALO_SIDE_BUY, 1, stop_limit_at(105, 107)), kPlaced).size() ==
        1);
    CHECK(venue.on_bar(bar(1, 108, 109, 107.5, 108)).empty());
    REQUIRE(venue.exchange->open_orders().size() == 1);
    CHECK(venue.exchange->open_orders()[0].triggered);
  }
}

TEST_CASE("a sell stop-limit mirrors the buy rules") {
  Venue venue(one_pair_config());
  hold_two(venue);
  const Bar now = bar(1, 100, 100, 100, 100);
  // Limit 96 above stop 95: only the close (97, after the trigger) shows the limit was reached.
  REQUIRE(venue.submit(order("a", CEPHALO_SIDE_SELL, 1, stop_limit_at(95, 96)), now).size() == 1);
  const SimFill fill = only_fill(venue.on_bar(bar(2, 99, 99, 90, 97)));
  CHECK(fill.price == 96);
  CHECK(fill.liquidity == Liquidity::kMaker);
  // Limit 94 below stop 95: marketable on triggering, fills at the stop.
  REQUIRE(
      venue.submit(order("b", CEPHALO_SIDE_SELL, 1, stop_limit_at(95, 94)), bar(2, 99, 99, 90, 97))
          .size() == 1);
  const SimFill second = only_fill(venue.on_bar(bar(3, 98, 99, 93, 93.5)));
  CHECK(second.price == 95);
  CHECK(second.liquidity == Liquidity::kTaker);
}

TEST_CASE("a bar touching both a stop-loss and a take-profit fills the stop first") {
  Venue venue(one_pair_config());
  hold_two(venue);
  const Bar now = bar(1, 100, 100, 100, 100);
  // The take-profit is submitted first: submission order does not beat the stop-first rule.
  REQUIRE(
      venue
          .submit(order("tp", CEPHALO_SIDE_SELL, 2, limit_at(110, CEPHALO_TIF_GTC, "take_profit")),
                  now)
          .size() == 1);
  REQUIRE(venue.submit(order("sl", CEPHALO_SIDE_SELL, 2, stop_at(95, "stop_loss")), now).size() ==
          1);
  const Bar wide = bar(2, 100, 112, 94, 105);
  const auto reports = venue.on_bar(wide);
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].client_order_id == "sl");
  CHECK(reports[0].update == OrderUpdate::kFilled);
  CHECK(reports[0].fill->price == 95);
  CHECK(reports[1].client_order_id == "tp");
  CHECK(reports[1].update == OrderUpdate::kRejected);
  CHECK(reports[1].reason ==
        "insufficient position: selling 2 ETH/BTC but only 0 is held (long-only spot: no short "
        "selling)");
  REQUIRE(venue.portfolio.closed_trades().size() == 1);
  CHECK(venue.portfolio.closed_trades()[0].exit_reason == "stop_loss");
  CHECK(venue.portfolio.closed_trades()[0].exit_price == 95);
}

}  // namespace
