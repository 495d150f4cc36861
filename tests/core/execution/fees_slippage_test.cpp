// Maker and taker commissions, and both slippage models, with exact expected prices.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

const Bar kNow = bar(0, 99, 101, 98, 100, 50);

TEST_CASE("limit fills pay the maker fee, market fills the taker fee, both in quote") {
  SimExchangeConfig config = one_pair_config();
  config.maker_fee = 0.001;
  config.taker_fee = 0.0025;
  Venue venue(config);
  REQUIRE(venue.submit(order("m", CEPHALO_SIDE_BUY, 4), kNow).size() == 1);
  REQUIRE(venue.submit(order("l", CEPHALO_SIDE_BUY, 2, limit_at(97)), kNow).size() == 1);
  const auto reports = venue.on_bar(bar(1, 99, 100, 96, 98, 50));
  REQUIRE(reports.size() == 2);
  const SimFill taker = *reports[0].fill;
  const SimFill maker = *reports[1].fill;
  CHECK(taker.liquidity == Liquidity::kTaker);
  CHECK(taker.fee == 4 * 99 * 0.0025);
  CHECK(maker.liquidity == Liquidity::kMaker);
  CHECK(maker.fee == 2 * 97 * 0.001);
  CHECK(maker.fee_currency == "BTC");
  CHECK(venue.portfolio.total_fees() == taker.fee + maker.fee);
  CHECK(venue.portfolio.cash() == 10'000 - (4 * 99 + taker.fee) - (2 * 97 + maker.fee));
}

TEST_CASE("fixed slippage moves market and stop fills against the trader, never limit fills") {
  SimExchangeConfig config = one_pair_config();
  config.slippage = SlippageConfig{SlippageModel::kFixedBps, 20, 0};
  Venue venue(config);
  REQUIRE(venue.submit(order("mb", CEPHALO_SIDE_BUY, 3), kNow).size() == 1);
  REQUIRE(venue.submit(order("lb", CEPHALO_SIDE_BUY, 1, limit_at(95)), kNow).size() == 1);
  const auto bought = venue.on_bar(bar(1, 100, 101, 94, 96, 50));
  REQUIRE(bought.size() == 2);
  CHECK(bought[0].fill->price == 100 * (1 + 20 / 10'000.0));
  CHECK(bought[1].fill->price == 95);

  const Bar now = bar(1, 100, 101, 94, 96, 50);
  REQUIRE(venue.submit(order("ms", CEPHALO_SIDE_SELL, 1), now).size() == 1);
  REQUIRE(venue.submit(order("ss", CEPHALO_SIDE_SELL, 1, stop_at(90)), now).size() == 1);
  const auto sold = venue.on_bar(bar(2, 96, 97, 89, 91, 50));
  REQUIRE(sold.size() == 2);
  CHECK(sold[0].fill->price == 96 * (1 - 20 / 10'000.0));
  CHECK(sold[1].fill->price == 90 * (1 - 20 / 10'000.0));
}

TEST_CASE("volume-participation slippage grows with the fill's share of the bar volume") {
  SimExchangeConfig config = one_pair_config();
  config.slippage = SlippageConfig{SlippageModel::kVolumeParticipation, 10, 100};
  Venue venue(config);
  REQUIRE(venue.submit(order("small", CEPHALO_SIDE_BUY, 5), kNow).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(1, 100, 100, 100, 100, 50))).price ==
        100 * (1 + (10 + 100 * (5.0 / 50)) / 10'000));  // 20 bps
  REQUIRE(venue.submit(order("large", CEPHALO_SIDE_BUY, 25), kNow).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(2, 100, 100, 100, 100, 50))).price ==
        100 * (1 + (10 + 100 * (25.0 / 50)) / 10'000));  // 60 bps
  REQUIRE(venue.submit(order("sell", CEPHALO_SIDE_SELL, 10), kNow).size() == 1);
  CHECK(only_fill(venue.on_bar(bar(3, 100, 100, 100, 100, 20))).price ==
        100 * (1 - (10 + 100 * (10.0 / 20)) / 10'000));  // 60 bps down
}

}  // namespace
