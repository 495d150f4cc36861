// The backtest venue's path through the exchange: requests taken over, reports appended to one
// reused buffer, bars fed through a market handle. It must report exactly what the by-value calls
// report, and leave the same orders and account behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

// Partial fills (volume share), a fill at submit (signal close), a refusal at submit, a stop
// triggered later, a protective exit cut by the bar's volume (its rest expires) and a rejection
// at fill time for want of cash.
SimExchangeConfig busy_config() {
  SimExchangeConfig config = one_pair_config(MarketRules{0.5, 0.1, 10});
  config.market_fill = MarketFill::kSignalClose;
  config.max_volume_share = 0.5;
  config.taker_fee = 0.001;
  config.maker_fee = 0.0005;
  config.slippage.base_bps = 5;
  return config;
}

struct Step {
  std::optional<OrderRequest> order;  // submitted on the step's bar, after the bar is worked
  bool protective_exit = false;       // the order goes through fill_protective_exit instead
  Bar bar;
};

std::vector<Step> busy_script() {
  std::vector<Step> steps;
  steps.push_back({order("m1", CEPHALO_SIDE_BUY, 8, {}, 1), false, bar(0, 100, 101, 99, 100, 10)});
  steps.push_back(
      {order("l1", CEPHALO_SIDE_BUY, 6, limit_at(98.3), 2), false, bar(1, 100, 102, 99, 101, 10)});
  steps.push_back({order("s1", CEPHALO_SIDE_SELL, 3, stop_at(97.2, "stop_loss"), 3), false,
                   bar(2, 99, 100, 97.5, 98, 8)});
  steps.push_back(
      {order("tiny", CEPHALO_SIDE_BUY, 0.01, {}, 4), false, bar(3, 98, 99, 96, 97, 12)});
  steps.push_back({std::nullopt, false, bar(4, 97, 98, 95, 96, 20)});
  steps.push_back(
      {order("x1", CEPHALO_SIDE_SELL, 4, market_with(CEPHALO_TIF_IOC, "take_profit"), 5), true,
       bar(5, 96, 99, 95, 98, 6)});
  steps.push_back(
      {order("big", CEPHALO_SIDE_BUY, 500, {}, 6), false, bar(6, 98, 99, 97, 98, 5000)});
  steps.push_back({std::nullopt, false, bar(7, 98, 100, 97, 99, 10)});
  return steps;
}

TEST_CASE(
    "appending to a reused buffer through a market handle reports what the by-value calls "
    "report") {
  Venue by_value(busy_config());
  Venue buffered(busy_config());
  const SimExchange::MarketHandle market = buffered.exchange->market("ETH/BTC");
  REQUIRE(market.rules != nullptr);
  REQUIRE(market.holding != nullptr);
  REQUIRE(market.volume != nullptr);
  CHECK(buffered.exchange->market("BTC/USDT").rules == nullptr);

  std::vector<ExecutionReport> expected;
  std::vector<ExecutionReport> buffer;
  for (const Step& step : busy_script()) {
    auto worked = by_value.on_bar(step.bar);
    expected.insert(expected.end(), worked.begin(), worked.end());
    buffered.exchange->on_bar(step.bar, market, buffer);
    if (!step.order) continue;
    if (step.protective_exit) {
      auto exit = by_value.exchange->fill_protective_exit(*step.order, step.bar, 97.5, false,
                                                          Liquidity::kMaker);
      expected.insert(expected.end(), exit.begin(), exit.end());
      buffered.exchange->fill_protective_exit(OrderRequest(*step.order), step.bar, 97.5, false,
                                              Liquidity::kMaker, buffer);
    } else {
      auto submitted = by_value.submit(*step.order, step.bar);
      expected.insert(expected.end(), submitted.begin(), submitted.end());
      buffered.exchange->submit(OrderRequest(*step.order), step.bar, buffer);
    }
  }
  // The script reaches every kind of report, so the comparison covers each path.
  const std::vector<OrderUpdate> seen = updates(expected);
  for (OrderUpdate kind : {OrderUpdate::kAccepted, OrderUpdate::kPartiallyFilled,
                           OrderUpdate::kFilled, OrderUpdate::kRejected, OrderUpdate::kExpired}) {
    CHECK_MESSAGE(std::find(seen.begin(), seen.end(), kind) != seen.end(), order_update_name(kind));
  }
  CHECK(buffer == expected);
  CHECK(buffered.exchange->open_orders() == by_value.exchange->open_orders());
  CHECK(buffered.exchange->rejected_orders().size() == by_value.exchange->rejected_orders().size());
  CHECK(buffered.portfolio.cash() == by_value.portfolio.cash());
  CHECK(buffered.portfolio.position_quantity("ETH/BTC") ==
        by_value.portfolio.position_quantity("ETH/BTC"));
  CHECK(buffered.portfolio.last_price("ETH/BTC") == by_value.portfolio.last_price("ETH/BTC"));
  CHECK(buffered.portfolio.closed_trades().size() == by_value.portfolio.closed_trades().size());
}

TEST_CASE("visit_open_orders sees the open orders in submission order, without the done ones") {
  Venue venue(one_pair_config());
  const Bar signal = bar(0, 100, 101, 99, 100);
  venue.submit(order("a", CEPHALO_SIDE_BUY, 1, limit_at(90)), signal);
  venue.submit(order("b", CEPHALO_SIDE_BUY, 1), signal);
  venue.submit(order("c", CEPHALO_SIDE_BUY, 1, limit_at(80)), signal);
  venue.on_bar(bar(1, 100, 101, 99, 100));  // "b" fills, "a" and "c" rest
  std::vector<std::string> visited;
  venue.exchange->visit_open_orders(
      [&visited](const OpenOrder& open) { visited.push_back(open.request.client_order_id); });
  CHECK(visited == std::vector<std::string>{"a", "c"});
  REQUIRE(venue.exchange->open_orders().size() == 2);
  CHECK(venue.exchange->open_orders()[1].request.client_order_id == "c");
}

}  // namespace
