// The reference backtest reproduced through SimExchange and Portfolio: one pair, 10000 cash, 0.1%
// commission each side, market orders at the next open, entries of 0.99 x cash / close rejected
// when a gap-up open makes them unaffordable, the last position left open at the last close.
#include <doctest/doctest.h>

#include <vector>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

// The strategy: enter when the close crosses above 100, exit when it crosses back to 100 or below.
// Bar 2 crosses up, but bar 3 gaps up to 103: the entry is rejected and the strategy waits for the
// next cross (bar 6). That trade exits on bar 9's cross down at bar 10's open; the entry signalled
// on bar 11 is still open at the end.
const std::vector<Bar> kBars = {
    bar(0, 98, 99, 97, 98),
    bar(1, 98, 99, 97, 99),
    bar(2, 99, 102, 99, 101),
    bar(3, 103, 104, 102, 103),
    bar(4, 103, 103, 99, 99.5),
    bar(5, 99.5, 100, 98, 99),
    bar(6, 99, 101, 98.5, 100.5),
    bar(7, 100.8, 102, 100, 101.5),
    bar(8, 101.5, 104, 101, 103.5),
    bar(9, 103, 103.2, 99, 99.8),
    bar(10, 99.6, 100, 98, 98.5),
    bar(11, 98.5, 101, 98, 100.8),
    bar(12, 100.9, 102, 100.5, 101.7),
    bar(13, 101.7, 103, 101, 102.4),
};

struct Run {
  std::vector<ExecutionReport> reports;
  std::vector<OrderRequest> submitted;
};

Run run_reference(Venue& venue) {
  Run run;
  for (size_t t = 0; t < kBars.size(); ++t) {
    const Bar& current = kBars[t];
    for (ExecutionReport& report : venue.on_bar(current)) run.reports.push_back(std::move(report));
    REQUIRE(venue.portfolio.record_equity(current.open_time_ns));
    if (t == 0) continue;
    const double previous = kBars[t - 1].close;
    const double held = venue.portfolio.position_quantity("ETH/BTC");
    OrderRequest request;
    if (previous <= 100 && current.close > 100 && held == 0) {
      const double quantity = 0.99 * venue.portfolio.cash() / current.close;
      request = order("entry-" + std::to_string(t), CEPHALO_SIDE_BUY, quantity,
                      market_with(CEPHALO_TIF_GTC, "entry"), current.close_time_ns);
    } else if (previous > 100 && current.close <= 100 && held > 0) {
      request = order("exit-" + std::to_string(t), CEPHALO_SIDE_SELL, held,
                      market_with(CEPHALO_TIF_GTC, "signal"), current.close_time_ns);
    } else {
      continue;
    }
    run.submitted.push_back(request);
    for (ExecutionReport& report : venue.submit(request, current)) {
      run.reports.push_back(std::move(report));
    }
  }
  return run;
}

SimExchangeConfig reference_config() {
  SimExchangeConfig config = one_pair_config();
  config.maker_fee = 0.001;
  config.taker_fee = 0.001;
  return config;
}

TEST_CASE("the reference backtest: trades, the gap rejection and final equity by hand") {
  Venue venue(reference_config(), 10'000);
  const Run run = run_reference(venue);

  // The same backtest in plain arithmetic.
  const double commission = 0.001;
  double cash = 10'000;
  const double rejected_quantity = 0.99 * cash / 101;                            // signal on bar 2
  CHECK(rejected_quantity * 103 + rejected_quantity * 103 * commission > cash);  // bar 3's open
  const double quantity = 0.99 * cash / 100.5;                                   // signal on bar 6
  const double entry_fee = quantity * 100.8 * commission;                        // bar 7's open
  cash = cash - quantity * 100.8 - entry_fee;
  const double cash_in_trade = cash;
  const double exit_fee = quantity * 99.6 * commission;  // bar 10's open
  cash = cash + quantity * 99.6 - exit_fee;
  const double pnl = quantity * 99.6 - quantity * 100.8 - entry_fee - exit_fee;
  const double last_quantity = 0.99 * cash / 100.8;                  // signal on bar 11
  const double last_entry_fee = last_quantity * 100.9 * commission;  // bar 12's open
  cash = cash - last_quantity * 100.9 - last_entry_fee;
  const double final_equity = cash + last_quantity * 102.4;  // bar 13's close

  // Four orders: the rejected entry, the entry, its exit, the last entry.
  REQUIRE(run.submitted.size() == 4);
  CHECK(run.submitted[0].client_order_id == "entry-2");
  CHECK(run.submitted[1].client_order_id == "entry-6");
  CHECK(run.submitted[2].client_order_id == "exit-9");
  CHECK(run.submitted[3].client_order_id == "entry-11");

  REQUIRE(venue.exchange->rejected_orders().size() == 1);
  const RejectedOrder& rejected = venue.exchange->rejected_orders()[0];
  CHECK(rejected.pair == "ETH/BTC");
  CHECK(rejected.time_ns == kBars[3].open_time_ns);
  CHECK(rejected.side == "buy");
  CHECK(rejected.quantity == doctest::Approx(rejected_quantity).epsilon(1e-12));
  CHECK(rejected.price == 103);
  CHECK(rejected.reason.rfind("insufficient funds: buying ", 0) == 0);
  CHECK(rejected.reason.find("cash 10000 BTC") != std::string::npos);

  REQUIRE(venue.portfolio.closed_trades().size() == 1);
  const ClosedTrade& trade = venue.portfolio.closed_trades()[0];
  CHECK(trade.pair == "ETH/BTC");
  CHECK(trade.entry_time_ns == kBars[7].open_time_ns);
  CHECK(trade.entry_price == 100.8);
  CHECK(trade.exit_time_ns == kBars[10].open_time_ns);
  CHECK(trade.exit_price == 99.6);
  CHECK(trade.quantity == doctest::Approx(quantity).epsilon(1e-12));
  CHECK(trade.fees == doctest::Approx(entry_fee + exit_fee).epsilon(1e-12));
  CHECK(trade.pnl == doctest::Approx(pnl).epsilon(1e-12));
  CHECK(trade.pnl < 0);
  CHECK(trade.exit_reason == "signal");

  const std::vector<OpenPosition> open = venue.portfolio.open_positions();
  REQUIRE(open.size() == 1);
  CHECK(open[0].pair == "ETH/BTC");
  CHECK(open[0].entry_time_ns == kBars[12].open_time_ns);
  CHECK(open[0].entry_price == 100.9);
  CHECK(open[0].quantity == doctest::Approx(last_quantity).epsilon(1e-12));
  CHECK(open[0].fees == doctest::Approx(last_entry_fee).epsilon(1e-12));
  CHECK(open[0].last_price == 102.4);
  CHECK(open[0].unrealised_pnl ==
        doctest::Approx(last_quantity * (102.4 - 100.9) - last_entry_fee).epsilon(1e-12));

  CHECK(venue.portfolio.cash() == doctest::Approx(cash).epsilon(1e-12));
  CHECK(venue.portfolio.equity() == doctest::Approx(final_equity).epsilon(1e-12));
  CHECK(venue.portfolio.total_fees() ==
        doctest::Approx(entry_fee + exit_fee + last_entry_fee).epsilon(1e-12));

  // One equity point per bar, at its open time, valued at its close.
  const std::vector<EquityPoint>& curve = venue.portfolio.equity_curve();
  REQUIRE(curve.size() == kBars.size());
  for (size_t t = 0; t < kBars.size(); ++t) CHECK(curve[t].time_ns == kBars[t].open_time_ns);
  CHECK(curve[3].equity == 10'000);  // the rejected entry cost nothing
  CHECK(curve[7].equity == doctest::Approx(cash_in_trade + quantity * 101.5).epsilon(1e-12));
  CHECK(curve[13].equity == doctest::Approx(final_equity).epsilon(1e-12));

  // What the caller saw: accepted, rejected at the gap, then accepted/filled pairs.
  std::vector<std::pair<std::string, OrderUpdate>> seen;
  for (const ExecutionReport& report : run.reports) {
    seen.emplace_back(report.client_order_id, report.update);
  }
  CHECK(seen == std::vector<std::pair<std::string, OrderUpdate>>{
                    {"entry-2", OrderUpdate::kAccepted},
                    {"entry-2", OrderUpdate::kRejected},
                    {"entry-6", OrderUpdate::kAccepted},
                    {"entry-6", OrderUpdate::kFilled},
                    {"exit-9", OrderUpdate::kAccepted},
                    {"exit-9", OrderUpdate::kFilled},
                    {"entry-11", OrderUpdate::kAccepted},
                    {"entry-11", OrderUpdate::kFilled},
                });
}

TEST_CASE("the reference backtest gives bit-identical results when run twice") {
  Venue first(reference_config(), 10'000);
  Venue second(reference_config(), 10'000);
  const Run a = run_reference(first);
  const Run b = run_reference(second);
  CHECK(a.reports == b.reports);
  CHECK(a.submitted == b.submitted);
  CHECK(first.portfolio.equity() == second.portfolio.equity());
  REQUIRE(first.portfolio.equity_curve().size() == second.portfolio.equity_curve().size());
  for (size_t i = 0; i < first.portfolio.equity_curve().size(); ++i) {
    CHECK(first.portfolio.equity_curve()[i].equity == second.portfolio.equity_curve()[i].equity);
  }
}

}  // namespace
