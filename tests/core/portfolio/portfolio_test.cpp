// Portfolio: cash and fees in the quote currency, refusals with reasons, marks, equity curve.
#include "portfolio/portfolio.hpp"

#include <doctest/doctest.h>

namespace {

using namespace cephalo;

TradeFill fill(std::string pair, cephalo_side side, double quantity, double price, double fee,
               int64_t time_ns, std::string tag = "") {
  return TradeFill{std::move(pair), side, quantity, price, fee, time_ns, std::move(tag)};
}

Portfolio make_portfolio(double cash, std::initializer_list<const char*> pairs) {
  auto portfolio = Portfolio::create("BTC", cash);
  REQUIRE(portfolio);
  for (const char* pair : pairs) REQUIRE(portfolio->add_pair(pair));
  return std::move(portfolio).value();
}

TEST_CASE("creation refuses a bad quote currency or starting cash") {
  auto empty = Portfolio::create("", 100);
  REQUIRE_FALSE(empty);
  CHECK(empty.error() ==
        "portfolio quote currency '' is not a currency name: give one like \"BTC\" or \"USDT\"");
  auto pair_shaped = Portfolio::create("ETH/BTC", 100);
  CHECK_FALSE(pair_shaped);
  auto negative = Portfolio::create("BTC", -5);
  REQUIRE_FALSE(negative);
  CHECK(negative.error() == "portfolio starting cash -5 BTC is not a finite amount >= 0");
}

TEST_CASE("a pair quoted in another currency is refused at registration") {
  Portfolio portfolio = make_portfolio(100, {"ETH/BTC"});
  Status refused = portfolio.add_pair("ETH/USDT");
  REQUIRE_FALSE(refused);
  CHECK(refused.error() ==
        "pair ETH/USDT is quoted in USDT but this portfolio keeps its cash in BTC: every pair of "
        "one portfolio must share its quote currency");
  CHECK_FALSE(portfolio.has_pair("ETH/USDT"));
  CHECK(portfolio.add_pair("ETH/BTC"));  // twice is harmless
  CHECK_FALSE(portfolio.add_pair("ETHBTC"));
}

TEST_CASE("a buy then a sell move cash by value and fee and close a round trip") {
  Portfolio portfolio = make_portfolio(1000, {"ETH/BTC"});
  REQUIRE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 4, 100, 0.5, 10)));
  CHECK(portfolio.cash() == 1000.0 - (400.0 + 0.5));
  CHECK(portfolio.position_quantity("ETH/BTC") == 4);
  CHECK(portfolio.last_price("ETH/BTC") == 100);  // the fill price until the first mark
  CHECK(portfolio.equity() == 599.5 + 4 * 100.0);
  CHECK(portfolio.closed_trades().empty());

  REQUIRE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_SELL, 4, 125, 0.625, 20, "take_profit")));
  CHECK(portfolio.cash() == 599.5 + (500.0 - 0.625));
  CHECK(portfolio.position_quantity("ETH/BTC") == 0);
  CHECK(portfolio.total_fees() == 1.125);
  CHECK(portfolio.realised_pnl() == (125.0 - 100.0) * 4 - 0.625 - 0.5);
  REQUIRE(portfolio.closed_trades().size() == 1);
  const ClosedTrade& trade = portfolio.closed_trades()[0];
  CHECK(trade.pair == "ETH/BTC");
  CHECK(trade.entry_time_ns == 10);
  CHECK(trade.entry_price == 100);
  CHECK(trade.exit_time_ns == 20);
  CHECK(trade.exit_price == 125);
  CHECK(trade.quantity == 4);
  CHECK(trade.fees == 1.125);
  CHECK(trade.pnl == 500.0 - 400.0 - 1.125);
  CHECK(trade.exit_reason == "take_profit");
  CHECK(portfolio.open_positions().empty());
  CHECK(portfolio.equity() == portfolio.cash());
}

TEST_CASE("can_afford counts the fee") {
  Portfolio portfolio = make_portfolio(100, {"ETH/BTC"});
  CHECK(portfolio.can_afford(1, 99, 1));
  CHECK_FALSE(portfolio.can_afford(1, 99, 1.5));
  CHECK_FALSE(portfolio.can_afford(2, 50, 0.25));
}

TEST_CASE("a buy beyond the cash is refused with what it needs and what there is") {
  Portfolio portfolio = make_portfolio(100, {"ETH/BTC"});
  Status refused = portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 2, 50, 0.25, 1));
  REQUIRE_FALSE(refused);
  CHECK(refused.error() ==
        "insufficient funds: buying 2 ETH/BTC at 50 needs 100.25 BTC including fee 0.25, cash "
        "100 BTC");
  CHECK(portfolio.cash() == 100);
  CHECK(portfolio.position_quantity("ETH/BTC") == 0);
  CHECK(portfolio.total_fees() == 0);
}

TEST_CASE("selling more than is held is refused: long-only spot") {
  Portfolio portfolio = make_portfolio(1000, {"ETH/BTC"});
  REQUIRE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 1.5, 100, 0, 1)));
  Status refused = portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_SELL, 2, 100, 0, 2));
  REQUIRE_FALSE(refused);
  CHECK(refused.error() ==
        "insufficient position: selling 2 ETH/BTC but only 1.5 is held (long-only spot: no "
        "short selling)");
  CHECK(portfolio.position_quantity("ETH/BTC") == 1.5);
  Status from_flat = portfolio.check(fill("XRP/BTC", CEPHALO_SIDE_SELL, 1, 1, 0, 2));
  CHECK(from_flat.error() == "pair XRP/BTC is not registered with this portfolio");
}

TEST_CASE("fills with impossible numbers are refused") {
  Portfolio portfolio = make_portfolio(1000, {"ETH/BTC"});
  Status refused = portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 0, 100, 0, 1));
  REQUIRE_FALSE(refused);
  CHECK(refused.error() ==
        "fill of ETH/BTC needs quantity > 0, price > 0 and fee >= 0, got 0 at 100 fee 0");
  CHECK_FALSE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 1, -1, 0, 1)));
  CHECK_FALSE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 1, 1, -0.5, 1)));
  CHECK(portfolio.cash() == 1000);
}

TEST_CASE("marks value open positions; the equity curve keeps one point per time") {
  Portfolio portfolio = make_portfolio(1000, {"ETH/BTC", "XRP/BTC"});
  REQUIRE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 2, 100, 0.5, 10)));
  REQUIRE(portfolio.apply(fill("XRP/BTC", CEPHALO_SIDE_BUY, 100, 1, 0.25, 10)));
  const double cash = 1000.0 - 200.5 - 100.25;
  CHECK(portfolio.cash() == cash);

  REQUIRE(portfolio.mark("ETH/BTC", 110, 20));
  REQUIRE(portfolio.mark("XRP/BTC", 1.5, 20));
  CHECK(portfolio.equity() == cash + 2 * 110.0 + 100 * 1.5);
  REQUIRE(portfolio.record_equity(20));
  REQUIRE(portfolio.mark("ETH/BTC", 90, 30));
  REQUIRE(portfolio.record_equity(30));
  REQUIRE(portfolio.mark("XRP/BTC", 0.5, 30));
  REQUIRE(portfolio.record_equity(30));  // same time: replaces, after the second pair's mark

  REQUIRE(portfolio.equity_curve().size() == 2);
  CHECK(portfolio.equity_curve()[0].time_ns == 20);
  CHECK(portfolio.equity_curve()[0].equity == cash + 220.0 + 150.0);
  CHECK(portfolio.equity_curve()[1].time_ns == 30);
  CHECK(portfolio.equity_curve()[1].equity == cash + 180.0 + 50.0);

  Status backwards = portfolio.record_equity(25);
  REQUIRE_FALSE(backwards);
  CHECK(backwards.error() ==
        "equity point at 25 ns is before the last one at 30 ns: record equity in time order");

  const std::vector<OpenPosition> open = portfolio.open_positions();
  REQUIRE(open.size() == 2);
  CHECK(open[0].pair == "ETH/BTC");
  CHECK(open[0].last_price == 90);
  CHECK(open[0].unrealised_pnl == (90.0 - 100.0) * 2 - 0.5);
  CHECK(open[1].pair == "XRP/BTC");
  CHECK(open[1].last_price == 0.5);
  CHECK(open[1].unrealised_pnl == (0.5 - 1.0) * 100 - 0.25);
  CHECK(portfolio.unrealised_pnl() == open[0].unrealised_pnl + open[1].unrealised_pnl);
  CHECK(portfolio.equity() - portfolio.starting_cash() ==
        doctest::Approx(portfolio.unrealised_pnl() + portfolio.realised_pnl()));

  Status unknown = portfolio.mark("LTC/BTC", 1, 40);
  CHECK(unknown.error() == "cannot mark LTC/BTC: the pair is not registered");
  Status bad_price = portfolio.mark("ETH/BTC", 0, 40);
  CHECK(bad_price.error() == "cannot mark ETH/BTC at 0: a mark price must be finite and > 0");
}

TEST_CASE("two pairs draw on the one cash balance") {
  Portfolio portfolio = make_portfolio(300, {"ETH/BTC", "XRP/BTC"});
  REQUIRE(portfolio.apply(fill("ETH/BTC", CEPHALO_SIDE_BUY, 2, 100, 0, 1)));
  CHECK_FALSE(portfolio.can_afford(101, 1, 0));
  CHECK_FALSE(portfolio.apply(fill("XRP/BTC", CEPHALO_SIDE_BUY, 101, 1, 0, 2)));
  REQUIRE(portfolio.apply(fill("XRP/BTC", CEPHALO_SIDE_BUY, 100, 1, 0, 2)));
  CHECK(portfolio.cash() == 0);
}

TEST_CASE("a fill booked through a holding found once books and refuses as by name") {
  Portfolio by_name = make_portfolio(1'000, {"ETH/BTC"});
  Portfolio by_holding = make_portfolio(1'000, {"ETH/BTC"});
  Portfolio::Holding* holding = by_holding.holding("ETH/BTC");
  REQUIRE(holding != nullptr);
  CHECK(by_holding.holding("XRP/BTC") == nullptr);
  const TradeFill fills[] = {
      fill("ETH/BTC", CEPHALO_SIDE_BUY, 4, 100, 0.4, 1),
      fill("ETH/BTC", CEPHALO_SIDE_BUY, 100, 100, 0, 2),  // insufficient funds
      fill("ETH/BTC", CEPHALO_SIDE_SELL, 9, 110, 0, 3),   // more than is held
      fill("ETH/BTC", CEPHALO_SIDE_SELL, 4, 110, 0.44, 4, "signal"),
  };
  for (const TradeFill& each : fills) {
    const Status expected = by_name.apply(each);
    const Status applied = by_holding.apply(*holding, each);
    CHECK(applied.ok() == expected.ok());
    if (!expected.ok()) CHECK(applied.error() == expected.error());
  }
  CHECK(by_holding.cash() == by_name.cash());
  CHECK(by_holding.total_fees() == by_name.total_fees());
  CHECK(by_holding.position_quantity("ETH/BTC") == 0);
  REQUIRE(by_holding.closed_trades().size() == 1);
  CHECK(by_holding.closed_trades()[0].pnl == by_name.closed_trades()[0].pnl);
  CHECK(by_holding.closed_trades()[0].exit_reason == "signal");
}

}  // namespace
