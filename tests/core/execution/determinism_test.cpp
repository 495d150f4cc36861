// Same inputs, same outputs: a run mixing every order type, slippage and partial fills twice.
#include <doctest/doctest.h>

#include <vector>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

struct Outcome {
  std::vector<ExecutionReport> reports;
  std::vector<EquityPoint> curve;
  std::vector<ClosedTrade> trades;
  std::vector<RejectedOrder> rejected;
};

Outcome run_mixed() {
  SimExchangeConfig config = one_pair_config(MarketRules{0.01, 0.001, 1});
  config.maker_fee = 0.0007;
  config.taker_fee = 0.0013;
  config.slippage = SlippageConfig{SlippageModel::kVolumeParticipation, 3, 40};
  config.max_volume_share = 0.25;
  Venue venue(config, 5'000);
  std::vector<Bar> bars;
  for (int i = 0; i < 40; ++i) {
    const double mid = 100 + 7 * ((i * 37) % 11 - 5) / 3.0;
    bars.push_back(bar(i, mid - 0.3, mid + 2.1, mid - 2.4, mid + 0.4, 12 + (i * 13) % 9));
  }
  Outcome outcome;
  auto keep = [&](std::vector<ExecutionReport> reports) {
    for (ExecutionReport& report : reports) outcome.reports.push_back(std::move(report));
  };
  for (size_t i = 0; i < bars.size(); ++i) {
    keep(venue.on_bar(bars[i]));
    REQUIRE(venue.portfolio.record_equity(bars[i].open_time_ns));
    const std::string n = std::to_string(i);
    const double held = venue.portfolio.position_quantity("ETH/BTC");
    switch (i % 5) {
      case 0:
        keep(venue.submit(order("m" + n, CEPHALO_SIDE_BUY, 4.321), bars[i]));
        break;
      case 1:
        keep(venue.submit(order("l" + n, CEPHALO_SIDE_BUY, 3.3, limit_at(98.777)), bars[i]));
        break;
      case 2:
        if (held > 0) {
          keep(venue.submit(
              order("s" + n, CEPHALO_SIDE_SELL, held / 2, stop_at(bars[i].close - 1, "stop_loss")),
              bars[i]));
        }
        break;
      case 3:
        keep(venue.submit(
            order("sl" + n, CEPHALO_SIDE_BUY, 2,
                  stop_limit_at(bars[i].close + 1, bars[i].close + 1.5, CEPHALO_TIF_IOC)),
            bars[i]));
        break;
      default:
        if (held > 0) {
          keep(venue.submit(
              order("x" + n, CEPHALO_SIDE_SELL, held, market_with(CEPHALO_TIF_GTC, "signal")),
              bars[i]));
        }
    }
  }
  outcome.curve = venue.portfolio.equity_curve();
  outcome.trades = venue.portfolio.closed_trades();
  outcome.rejected = venue.exchange->rejected_orders();
  return outcome;
}

TEST_CASE("two runs on the same inputs give identical reports, trades and equity") {
  const Outcome a = run_mixed();
  const Outcome b = run_mixed();
  // A busy run, not a trivially empty one: fills, round trips and rejections all happen.
  REQUIRE(a.reports.size() > 40);
  REQUIRE_FALSE(a.trades.empty());
  REQUIRE_FALSE(a.rejected.empty());
  CHECK(a.reports == b.reports);
  REQUIRE(a.curve.size() == b.curve.size());
  for (size_t i = 0; i < a.curve.size(); ++i) {
    CHECK(a.curve[i].time_ns == b.curve[i].time_ns);
    CHECK(a.curve[i].equity == b.curve[i].equity);
  }
  REQUIRE(a.trades.size() == b.trades.size());
  for (size_t i = 0; i < a.trades.size(); ++i) {
    CHECK(a.trades[i].pnl == b.trades[i].pnl);
    CHECK(a.trades[i].entry_price == b.trades[i].entry_price);
    CHECK(a.trades[i].exit_price == b.trades[i].exit_price);
    CHECK(a.trades[i].exit_reason == b.trades[i].exit_reason);
  }
  REQUIRE(a.rejected.size() == b.rejected.size());
  for (size_t i = 0; i < a.rejected.size(); ++i)
    CHECK(a.rejected[i].reason == b.rejected[i].reason);
}

}  // namespace
