// Two pairs on one exchange and one portfolio: shared cash, separate marks, one equity curve.
#include <doctest/doctest.h>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

SimExchangeConfig two_pairs() {
  SimExchangeConfig config;
  config.markets.emplace("ETH/BTC", MarketRules{});
  config.markets.emplace("XRP/BTC", MarketRules{});
  return config;
}

OrderSpec on(std::string symbol) {
  OrderSpec spec;
  spec.symbol = std::move(symbol);
  return spec;
}

TEST_CASE("two pairs draw on one cash balance; the second buy that does not fit is rejected") {
  Venue venue(two_pairs(), 1'000);
  const Bar eth0 = bar(0, 100, 100, 100, 100, 1'000, "ETH/BTC");
  const Bar xrp0 = bar(0, 2, 2, 2, 2, 1'000, "XRP/BTC");
  REQUIRE(venue.submit(order("eth", CEPHALO_SIDE_BUY, 6, on("ETH/BTC")), eth0).size() == 1);
  REQUIRE(venue.submit(order("xrp", CEPHALO_SIDE_BUY, 250, on("XRP/BTC")), xrp0).size() == 1);
  REQUIRE(venue.submit(order("xrp2", CEPHALO_SIDE_BUY, 100, on("XRP/BTC")), xrp0).size() == 1);

  // ETH's bar arrives first and takes 600 of the 1000.
  const auto eth = venue.on_bar(bar(1, 100, 110, 95, 105, 1'000, "ETH/BTC"));
  CHECK(only_fill(eth).price == 100);
  CHECK(venue.portfolio.cash() == 400);
  // 250 XRP x 2 = 500 no longer fits; 100 XRP x 2 = 200 does.
  const auto xrp = venue.on_bar(bar(1, 2, 2.5, 1.5, 2.5, 1'000, "XRP/BTC"));
  REQUIRE(xrp.size() == 2);
  CHECK(xrp[0].update == OrderUpdate::kRejected);
  CHECK(xrp[0].reason ==
        "insufficient funds: buying 250 XRP/BTC at 2 needs 500 BTC including fee 0, cash 400 BTC");
  CHECK(xrp[1].update == OrderUpdate::kFilled);
  CHECK(venue.portfolio.cash() == 200);

  REQUIRE(venue.portfolio.record_equity(1 * kMinuteNs));
  REQUIRE(venue.portfolio.equity_curve().size() == 1);
  CHECK(venue.portfolio.equity_curve()[0].time_ns == kMinuteNs);
  CHECK(venue.portfolio.equity_curve()[0].equity == 200 + 6 * 105.0 + 100 * 2.5);

  // Each pair's bar marks only that pair.
  CHECK(venue.on_bar(bar(2, 104, 104, 90, 90, 1'000, "ETH/BTC")).empty());
  CHECK(venue.portfolio.equity() == 200 + 6 * 90.0 + 100 * 2.5);
  CHECK(venue.on_bar(bar(2, 2.5, 3, 2.5, 3, 1'000, "XRP/BTC")).empty());
  REQUIRE(venue.portfolio.record_equity(2 * kMinuteNs));
  CHECK(venue.portfolio.equity_curve()[1].equity == 200 + 6 * 90.0 + 100 * 3.0);

  const auto open = venue.portfolio.open_positions();
  REQUIRE(open.size() == 2);
  CHECK(open[0].pair == "ETH/BTC");
  CHECK(open[0].last_price == 90);
  CHECK(open[1].pair == "XRP/BTC");
  CHECK(open[1].last_price == 3);
}

TEST_CASE("a pair in another quote currency is refused when the exchange is created") {
  SimExchangeConfig config = two_pairs();
  config.markets.emplace("ETH/USDT", MarketRules{});
  auto portfolio = Portfolio::create("BTC", 1'000);
  REQUIRE(portfolio);
  auto exchange = SimExchange::create(config, *portfolio);
  REQUIRE_FALSE(exchange);
  CHECK(exchange.error() ==
        "simulated exchange cannot trade its markets:\n  pair ETH/USDT is quoted in USDT but this "
        "portfolio keeps its cash in BTC: every pair of one portfolio must share its quote "
        "currency");
}

}  // namespace
