// Metrics against values worked out by hand (or, for Sharpe/Sortino, by the direct formula written
// out again here) on the hand-made backtests of report_fixture.hpp.
#include "report/metrics.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "report_fixture.hpp"

namespace cephalo::test {
namespace {

constexpr double kHoursPerYear = 365.25 * 24;

TEST_CASE("drawdown depth, where it happened and the longest time under water") {
  const Metrics m = compute_metrics(sample_backtest());
  // Peaks 1100 (1h), 1210 (4h), 1250 (8h). Deepest: 1210 -> 968 = 242 / 1210 = 20%, 4h to 6h.
  CHECK(m.max_drawdown == doctest::Approx(0.2).epsilon(1e-12));
  CHECK(m.max_drawdown_peak_time_ns == kT0Ns + 4 * kHourNs);
  CHECK(m.max_drawdown_trough_time_ns == kT0Ns + 6 * kHourNs);
  // Spells: 1100 at 1h regained at 4h (3h), 1210 at 4h regained by 1250 at 8h (4h), 1250 at 8h
  // still not regained at the end, 9h (1h). Longest: 4h, 4 bars.
  CHECK(m.max_drawdown_duration_ns == 4 * kHourNs);
  CHECK(m.max_drawdown_duration_bars == 4);
}

TEST_CASE("a drawdown never regained lasts until the last point") {
  BacktestInput input = flat_backtest();
  input.equity[2].equity = 1100;
  for (size_t i = 3; i < input.equity.size(); ++i) input.equity[i].equity = 1050;
  const Metrics m = compute_metrics(input);
  CHECK(m.max_drawdown == doctest::Approx(50.0 / 1100.0));
  CHECK(m.max_drawdown_duration_ns == 7 * kHourNs);  // 2h to 9h
  CHECK(m.max_drawdown_duration_bars == 7);
}

TEST_CASE("a loss on the first bar counts against the starting cash") {
  BacktestInput input = flat_backtest();
  for (auto& point : input.equity) point.equity = 900;
  const Metrics m = compute_metrics(input);
  CHECK(m.max_drawdown == doctest::Approx(0.1));
  CHECK(m.max_drawdown_duration_ns == 9 * kHourNs);
}

TEST_CASE("sharpe and sortino follow their formulas on per-bar returns, annualised") {
  const BacktestInput input = sample_backtest();
  // The curve is the starting cash, then every equity point.
  std::vector<double> curve = {input.starting_cash};
  for (const auto& point : input.equity) curve.push_back(point.equity);
  std::vector<double> returns;
  for (size_t i = 1; i < curve.size(); ++i) returns.push_back(curve[i] / curve[i - 1] - 1);
  double mean = 0;
  for (double r : returns) mean += r / static_cast<double>(returns.size());
  double variance = 0, downside = 0;
  for (double r : returns) {
    variance += (r - mean) * (r - mean) / static_cast<double>(returns.size() - 1);
    if (r < 0) downside += r * r / static_cast<double>(returns.size());
  }
  const double expected_sharpe = mean / std::sqrt(variance) * std::sqrt(kHoursPerYear);
  const double expected_sortino = mean / std::sqrt(downside) * std::sqrt(kHoursPerYear);

  const Metrics m = compute_metrics(input);
  REQUIRE(m.sharpe.has_value());
  REQUIRE(m.sortino.has_value());
  CHECK(*m.sharpe == doctest::Approx(expected_sharpe).epsilon(1e-12));
  CHECK(*m.sortino == doctest::Approx(expected_sortino).epsilon(1e-12));
  // The same figures computed separately in Python from the same ten returns.
  CHECK(*m.sharpe == doctest::Approx(19.18977756740462).epsilon(1e-12));
  CHECK(*m.sortino == doctest::Approx(39.208972646743796).epsilon(1e-12));
}

TEST_CASE("returns, CAGR and Calmar") {
  const Metrics m = compute_metrics(sample_backtest());
  CHECK(m.total_return == doctest::Approx(0.2));
  // 9 hours of a 8766-hour year: 1.2^(8766/9) - 1, huge but finite.
  REQUIRE(m.cagr.has_value());
  CHECK(*m.cagr == doctest::Approx(std::pow(1.2, kHoursPerYear / 9) - 1).epsilon(1e-9));
  REQUIRE(m.calmar.has_value());
  CHECK(*m.calmar == doctest::Approx(*m.cagr / 0.2).epsilon(1e-9));
}

TEST_CASE("CAGR over exactly one year equals the total return") {
  BacktestInput input = flat_backtest();
  input.end_time_ns = input.start_time_ns + static_cast<int64_t>(kHoursPerYear) * kHourNs;
  input.final_equity = 1500;
  const Metrics m = compute_metrics(input);
  REQUIRE(m.cagr.has_value());
  CHECK(*m.cagr == doctest::Approx(0.5).epsilon(1e-12));
}

TEST_CASE("trade statistics: win rate, profit factor, expectancy, holding time, fees") {
  const Metrics m = compute_metrics(sample_backtest());
  CHECK(m.trade_count == 4);
  CHECK(m.wins == 2);
  CHECK(m.losses == 1);  // the breakeven trade is neither
  CHECK(m.win_rate == doctest::Approx(0.5));
  CHECK(m.gross_profit == doctest::Approx(57.5));
  CHECK(m.gross_loss == doctest::Approx(10.5));
  REQUIRE(m.profit_factor.has_value());
  CHECK(*m.profit_factor == doctest::Approx(57.5 / 10.5));
  CHECK(m.net_pnl == doctest::Approx(47.0));
  CHECK(m.expectancy == doctest::Approx(47.0 / 4));
  // pnl over entry notional: 9/100, -10.5/100, 48.5/200, 0/120.
  CHECK(m.expectancy_fraction == doctest::Approx((0.09 - 0.105 + 0.2425 + 0) / 4));
  CHECK(m.average_holding_ns == (2 + 4 + 1 + 0) * kHourNs / 4);
  CHECK(m.total_fees == doctest::Approx(1.0 + 0.5 + 1.5 + 0.0 + 0.2));  // open position's too
}

TEST_CASE("exposure counts the bars with a position open") {
  // Open at 1h-2h (trade 1), 2h-5h (trade 2), 7h (trade 3), 9h (open position); the trade opened
  // and closed at 8h covers no bar. 7 of 10 bars.
  CHECK(compute_metrics(sample_backtest()).exposure == doctest::Approx(0.7));
}

TEST_CASE("per pair and per exit reason tables, sorted by name") {
  const Metrics m = compute_metrics(sample_backtest());
  REQUIRE(m.per_pair.size() == 2);
  CHECK(m.per_pair[0].pair == "BTC/USDT");
  CHECK(m.per_pair[0].trades == 3);
  CHECK(m.per_pair[0].wins == 2);
  CHECK(m.per_pair[0].win_rate == doctest::Approx(2.0 / 3));
  CHECK(m.per_pair[0].pnl == doctest::Approx(57.5));
  CHECK(m.per_pair[0].fees == doctest::Approx(2.5));
  CHECK(m.per_pair[1].pair == "ETH/USDT");
  CHECK(m.per_pair[1].trades == 1);
  CHECK(m.per_pair[1].win_rate == 0);
  CHECK(m.per_pair[1].pnl == doctest::Approx(-10.5));

  REQUIRE(m.per_exit_reason.size() == 3);
  CHECK(m.per_exit_reason[0].reason == "signal");
  CHECK(m.per_exit_reason[0].count == 2);
  CHECK(m.per_exit_reason[0].pnl == doctest::Approx(9.0));
  CHECK(m.per_exit_reason[1].reason == "stop_loss");
  CHECK(m.per_exit_reason[1].pnl == doctest::Approx(-10.5));
  CHECK(m.per_exit_reason[2].reason == "take_profit");
  CHECK(m.per_exit_reason[2].count == 1);
}

TEST_CASE("a pair with candles but no trade still gets a row") {
  BacktestInput input = flat_backtest();
  input.candles = {make_series("XRP/USDT", kT0Ns, 1, {1, 1, 1})};
  const Metrics m = compute_metrics(input);
  REQUIRE(m.per_pair.size() == 1);
  CHECK(m.per_pair[0].pair == "XRP/USDT");
  CHECK(m.per_pair[0].trades == 0);
  CHECK(m.per_pair[0].win_rate == 0);
}

TEST_CASE("buy and hold splits the cash equally, buys at the first open, values at each close") {
  const Metrics m = compute_metrics(sample_backtest());
  const BuyAndHold& hold = m.buy_and_hold;
  // 500 USDT each: 5 BTC at 100 and 10 ETH at 50; at the end 5 * 130 + 10 * 42 = 1070.
  REQUIRE(hold.pairs.size() == 2);
  CHECK(hold.pairs[0].quantity == doctest::Approx(5));
  CHECK(hold.pairs[0].total_return == doctest::Approx(0.3));
  CHECK(hold.pairs[1].quantity == doctest::Approx(10));
  CHECK(hold.pairs[1].exit_price == 42);
  CHECK(hold.pairs[1].total_return == doctest::Approx(-0.16));
  CHECK(hold.final_value == doctest::Approx(1070));
  CHECK(hold.total_return == doctest::Approx(0.07));
  // Combined values 1000 1005 925 1020 1090 1075 910 940 1025 1070: deepest 1090 -> 910.
  CHECK(hold.max_drawdown == doctest::Approx(180.0 / 1090.0));

  const std::vector<EquityPoint> curve = buy_and_hold_curve(sample_backtest());
  REQUIRE(curve.size() == 10);
  CHECK(curve[4].time_ns == kT0Ns + 4 * kHourNs);
  CHECK(curve[4].equity == doctest::Approx(1090));
  CHECK(curve[6].equity == doctest::Approx(910));
}

TEST_CASE("buy and hold keeps a pair's share in cash until its first candle") {
  BacktestInput input = flat_backtest();
  input.starting_cash = 100;
  input.candles = {make_series("BTC/USDT", kT0Ns, 100, {110, 120, 90}),
                   make_series("ETH/USDT", kT0Ns + kHourNs, 10, {5, 10})};
  // 0.5 BTC and 5 ETH; values 55 + 50 (cash) = 105, 60 + 25 = 85, 45 + 50 = 95.
  const std::vector<EquityPoint> curve = buy_and_hold_curve(input);
  REQUIRE(curve.size() == 3);
  CHECK(curve[0].equity == doctest::Approx(105));
  CHECK(curve[1].equity == doctest::Approx(85));
  CHECK(curve[2].equity == doctest::Approx(95));
  const Metrics m = compute_metrics(input);
  CHECK(m.buy_and_hold.total_return == doctest::Approx(-0.05));
  CHECK(m.buy_and_hold.max_drawdown == doctest::Approx(20.0 / 105.0));
}

TEST_CASE("a flat run without trades gives zeros, not NaN; the undefined profit factor is null") {
  const Metrics m = compute_metrics(flat_backtest());
  CHECK(m.total_return == 0);
  REQUIRE(m.cagr.has_value());
  CHECK(*m.cagr == 0);
  REQUIRE(m.sharpe.has_value());
  CHECK(*m.sharpe == 0);
  REQUIRE(m.sortino.has_value());
  CHECK(*m.sortino == 0);
  REQUIRE(m.calmar.has_value());
  CHECK(*m.calmar == 0);
  CHECK(m.max_drawdown == 0);
  CHECK(m.max_drawdown_duration_ns == 0);
  CHECK(m.win_rate == 0);
  CHECK_FALSE(m.profit_factor.has_value());
  CHECK(m.expectancy == 0);
  CHECK(m.expectancy_fraction == 0);
  CHECK(m.exposure == 0);
  CHECK(m.average_holding_ns == 0);
  CHECK(m.buy_and_hold.final_value == 1000);
  CHECK(m.buy_and_hold.total_return == 0);
}

TEST_CASE("unbounded ratios are null: Sortino and Calmar without a losing bar") {
  BacktestInput input = flat_backtest();
  double value = 1000;
  for (auto& point : input.equity) point.equity = value *= 1.01;
  input.final_equity = value;
  const Metrics rising = compute_metrics(input);
  CHECK_FALSE(rising.sortino.has_value());
  CHECK_FALSE(rising.calmar.has_value());  // no drawdown
  // Only wins: no profit factor.
  input.trades = {ClosedTrade{"BTC/USDT", kT0Ns, 1, kT0Ns + kHourNs, 2, 1, 0, 1, "signal"}};
  CHECK_FALSE(compute_metrics(input).profit_factor.has_value());
}

TEST_CASE("too little data: no equity points, or no bar interval, leaves Sharpe null") {
  BacktestInput input = flat_backtest();
  input.equity.clear();
  const Metrics empty = compute_metrics(input);
  CHECK_FALSE(empty.sharpe.has_value());
  CHECK(empty.exposure == 0);
  CHECK(empty.max_drawdown == 0);
  CHECK(drawdown_curve(input).empty());

  BacktestInput no_interval = sample_backtest();
  no_interval.bar_interval_ns = 0;
  CHECK_FALSE(compute_metrics(no_interval).sharpe.has_value());

  BacktestInput no_period = sample_backtest();
  no_period.end_time_ns = no_period.start_time_ns;
  CHECK_FALSE(compute_metrics(no_period).cagr.has_value());
}

TEST_CASE("the drawdown curve has one depth per equity point, matching max_drawdown") {
  const BacktestInput input = sample_backtest();
  const std::vector<double> depth = drawdown_curve(input);
  REQUIRE(depth.size() == input.equity.size());
  CHECK(depth[0] == 0);
  CHECK(depth[1] == 0);
  CHECK(depth[2] == doctest::Approx(110.0 / 1100.0));
  CHECK(depth[6] == doctest::Approx(0.2));
  CHECK(depth[8] == 0);
  CHECK(depth[9] == doctest::Approx(50.0 / 1250.0));
}

TEST_CASE("an account wiped out has CAGR -1 and no NaN") {
  BacktestInput input = flat_backtest();
  input.equity.back().equity = 0;
  input.final_equity = 0;
  const Metrics m = compute_metrics(input);
  REQUIRE(m.cagr.has_value());
  CHECK(*m.cagr == -1);
  CHECK(m.max_drawdown == 1);
  REQUIRE(m.sharpe.has_value());
  CHECK(std::isfinite(*m.sharpe));
}

}  // namespace
}  // namespace cephalo::test
