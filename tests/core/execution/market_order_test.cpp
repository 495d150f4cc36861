// Market orders: next bar's open by default, the signal bar's close when configured.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

TEST_CASE("a market order fills at the next bar's open, as taker, at that bar's open time") {
  SimExchangeConfig config = one_pair_config();
  config.taker_fee = 0.002;
  config.maker_fee = 0.001;
  Venue venue(config);
  const Bar signal = bar(0, 98, 101, 97, 100);
  const auto submitted =
      venue.submit(order("b1", CEPHALO_SIDE_BUY, 2, {}, signal.close_time_ns), signal);
  REQUIRE(submitted.size() == 1);
  CHECK(submitted[0].update == OrderUpdate::kAccepted);
  CHECK(submitted[0].client_order_id == "b1");
  CHECK(submitted[0].remaining_quantity == 2);
  CHECK(submitted[0].time_ns == signal.close_time_ns);
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 0);

  const Bar next = bar(1, 101, 105, 99, 104);
  const auto reports = venue.on_bar(next);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].update == OrderUpdate::kFilled);
  CHECK(reports[0].filled_quantity == 2);
  CHECK(reports[0].remaining_quantity == 0);
  const SimFill fill = only_fill(reports);
  CHECK(fill.client_order_id == "b1");
  CHECK(fill.trade_id == "sim-1");
  CHECK(fill.symbol == "ETH/BTC");
  CHECK(fill.side == CEPHALO_SIDE_BUY);
  CHECK(fill.quantity == 2);
  CHECK(fill.price == 101);
  CHECK(fill.fee == 2 * 101 * 0.002);
  CHECK(fill.fee_currency == "BTC");
  CHECK(fill.liquidity == Liquidity::kTaker);
  CHECK(fill.time_ns == next.open_time_ns);

  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 2);
  CHECK(venue.portfolio.cash() == 10'000 - (202 + 2 * 101 * 0.002));
  CHECK(venue.portfolio.last_price("ETH/BTC") == 104);  // marked at the bar's close
  CHECK(venue.exchange->open_orders().empty());
}

TEST_CASE("with kSignalClose a market order fills at submit at the signal bar's close") {
  SimExchangeConfig config = one_pair_config();
  config.market_fill = MarketFill::kSignalClose;
  Venue venue(config);
  const Bar signal = bar(0, 98, 101, 97, 100);
  const auto reports = venue.submit(order("b1", CEPHALO_SIDE_BUY, 3), signal);
  CHECK(updates(reports) == std::vector{OrderUpdate::kAccepted, OrderUpdate::kFilled});
  const SimFill fill = only_fill(reports);
  CHECK(fill.price == 100);
  CHECK(fill.time_ns == signal.close_time_ns);
  CHECK(venue.portfolio.position_quantity("ETH/BTC") == 3);
  CHECK(venue.on_bar(bar(1, 120, 121, 119, 120)).empty());  // nothing left to fill
}

TEST_CASE("an order never trades on the bar it was submitted on") {
  Venue venue(one_pair_config());
  const Bar signal = bar(0, 98, 101, 97, 100);
  REQUIRE(venue.submit(order("b1", CEPHALO_SIDE_BUY, 1), signal).size() == 1);
  CHECK(venue.on_bar(signal).empty());  // the same bar again
  REQUIRE(venue.exchange->open_orders().size() == 1);
  CHECK(only_fill(venue.on_bar(bar(1, 102, 103, 101, 102))).price == 102);
}

TEST_CASE("trade ids count up per exchange") {
  Venue venue(one_pair_config());
  const Bar signal = bar(0, 98, 101, 97, 100);
  REQUIRE(venue.submit(order("b1", CEPHALO_SIDE_BUY, 1), signal).size() == 1);
  REQUIRE(venue.submit(order("b2", CEPHALO_SIDE_BUY, 1), signal).size() == 1);
  const auto reports = venue.on_bar(bar(1, 100, 100, 100, 100));
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].fill->trade_id == "sim-1");
  CHECK(reports[0].client_order_id == "b1");
  CHECK(reports[1].fill->trade_id == "sim-2");
  CHECK(reports[1].client_order_id == "b2");
}

TEST_CASE("cancel ends an open order; cancelling twice is an error") {
  Venue venue(one_pair_config());
  const Bar signal = bar(0, 98, 101, 97, 100);
  REQUIRE(venue.submit(order("l1", CEPHALO_SIDE_BUY, 1, limit_at(90)), signal).size() == 1);
  auto cancelled = venue.exchange->cancel("l1", 777);
  REQUIRE(cancelled);
  CHECK(cancelled->update == OrderUpdate::kCancelled);
  CHECK(cancelled->client_order_id == "l1");
  CHECK(cancelled->time_ns == 777);
  CHECK(cancelled->reason == "cancelled on request");
  CHECK(venue.exchange->open_orders().empty());
  auto again = venue.exchange->cancel("l1", 778);
  REQUIRE_FALSE(again);
  CHECK(again.error() == "cannot cancel 'l1': no open order has that client_order_id");
  CHECK(venue.on_bar(bar(1, 89, 89, 80, 85)).empty());  // would have filled
}

}  // namespace
