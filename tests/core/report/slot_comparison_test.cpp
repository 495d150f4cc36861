// The A/B slot statistics on known cases: identical slots are never significant, a clearly
// better slot is, the seed makes the interval reproducible, too few trades give no figure, and the
// whole account adds the sub-accounts up.
#include "report/slot_comparison.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "report/slot_report.hpp"

namespace cephalo {
namespace {

std::vector<double> noisy(double mean, double spread, size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<double> values;
  for (size_t i = 0; i < count; ++i) {
    // Uniform in [mean - spread, mean + spread], from the standard-fixed generator output.
    values.push_back(mean + spread * (2.0 * static_cast<double>(random() >> 11) * 0x1.0p-53 - 1.0));
  }
  return values;
}

BacktestInput run_with(const std::vector<double>& equity, std::vector<double> trade_pnls) {
  BacktestInput input;
  input.starting_cash = 100;
  input.bar_interval_ns = 300'000'000'000;  // 5m
  for (size_t i = 0; i < equity.size(); ++i) {
    input.equity.push_back({static_cast<int64_t>(i + 1) * input.bar_interval_ns, equity[i]});
  }
  input.final_equity = equity.empty() ? 100 : equity.back();
  for (double pnl : trade_pnls) {
    input.trades.push_back(ClosedTrade{"ETH/BTC", 0, 10.0, 1, 10.0, 1.0, 0, pnl, "signal"});
  }
  return input;
}

}  // namespace

TEST_CASE("identical slots: both intervals contain 0 and nothing is significant") {
  const auto returns = noisy(0.001, 0.01, 500, 7);
  const auto mean = bootstrap_mean_difference(returns, returns, BootstrapSettings{});
  REQUIRE(mean.difference.has_value());
  CHECK(*mean.difference == 0.0);
  CHECK(*mean.low <= 0.0);
  CHECK(*mean.high >= 0.0);
  CHECK_FALSE(mean.significant);
  const auto sharpe = bootstrap_sharpe_difference(returns, returns, 1.0, 8, BootstrapSettings{});
  REQUIRE(sharpe.difference.has_value());
  CHECK(*sharpe.low == 0.0);  // paired: every resample is the same bars for both
  CHECK(*sharpe.high == 0.0);
  CHECK_FALSE(sharpe.significant);
}

TEST_CASE("a clearly better slot is significant, in the right direction") {
  const auto baseline = noisy(0.0, 0.01, 400, 1);
  const auto better = noisy(0.01, 0.01, 400, 2);
  const auto mean = bootstrap_mean_difference(baseline, better, BootstrapSettings{});
  CHECK(mean.significant);
  CHECK(*mean.low > 0.0);
  CHECK(*mean.difference == doctest::Approx(0.01).epsilon(0.2));
  const auto sharpe = bootstrap_sharpe_difference(baseline, better, 1.0, 7, BootstrapSettings{});
  CHECK(sharpe.significant);
  CHECK(*sharpe.low > 0.0);
  // And the other way round the difference is negative and significant too.
  const auto worse = bootstrap_mean_difference(better, baseline, BootstrapSettings{});
  CHECK(worse.significant);
  CHECK(*worse.high < 0.0);
}

TEST_CASE("a small difference drowned in noise is not significant") {
  const auto baseline = noisy(0.0, 0.05, 30, 3);
  const auto other = noisy(0.0005, 0.05, 30, 4);
  const auto mean = bootstrap_mean_difference(baseline, other, BootstrapSettings{});
  CHECK_FALSE(mean.significant);
  CHECK(*mean.low < 0.0);
  CHECK(*mean.high > 0.0);
}

TEST_CASE("the seed fixes the interval; another seed moves it") {
  const auto a = noisy(0.0, 0.02, 100, 5);
  const auto b = noisy(0.002, 0.02, 100, 6);
  BootstrapSettings settings;
  const auto first = bootstrap_mean_difference(a, b, settings);
  const auto again = bootstrap_mean_difference(a, b, settings);
  CHECK(*first.low == *again.low);
  CHECK(*first.high == *again.high);
  settings.seed = 99;
  const auto other_seed = bootstrap_mean_difference(a, b, settings);
  CHECK(*other_seed.difference == *first.difference);  // the estimate itself does not depend on it
  CHECK(*other_seed.low != *first.low);
}

TEST_CASE("fewer than two values give no figure and no significance") {
  const auto none = bootstrap_mean_difference({0.1}, {0.2, 0.3}, BootstrapSettings{});
  CHECK_FALSE(none.difference.has_value());
  CHECK_FALSE(none.low.has_value());
  CHECK_FALSE(none.significant);
  CHECK(none.baseline_count == 1);
  // A flat baseline and a steadily rising slot: the Sharpe ratio of the riser is unbounded.
  const auto flat = bootstrap_sharpe_difference({0, 0, 0}, {0.5, 0.5, 0.5}, 1, 1, {});
  CHECK_FALSE(flat.difference.has_value());
}

TEST_CASE("compare_slots reads trade returns and bar returns from the runs") {
  const BacktestInput baseline = run_with({100, 101, 100, 101, 100, 101}, {1, -1, 1, -1});
  const BacktestInput better = run_with({100, 102, 104, 103, 106, 108}, {2, 3, 2, 3});
  CHECK(trade_returns(better) == std::vector<double>{0.2, 0.3, 0.2, 0.3});  // pnl / 10 notional
  CHECK(bar_returns(baseline).front() == 0.0);  // from the starting cash to the first point
  CHECK(bar_returns(baseline).size() == 6);
  const SlotComparison comparison = compare_slots(baseline, better, BootstrapSettings{});
  CHECK(*comparison.mean_trade_return.difference == doctest::Approx(0.25));
  CHECK(comparison.mean_trade_return.significant);
  CHECK(comparison.block_length == 2);  // cube root of 6 bars, rounded
}

TEST_CASE("the whole account adds the sub-accounts up") {
  SlotReport a{"a", {"sma_crossover"}, "spot", 0.25, true, run_with({100, 110}, {10})};
  SlotReport b{"b", {"sma_crossover"}, "spot", 0.75, false, run_with({300, 290, 280}, {-20})};
  b.input.starting_cash = 300;
  b.input.trades.front().exit_time_ns = -1;  // closed before a's trade
  const BacktestInput all = combine_slots({a, b}, "A/B");
  CHECK(all.starting_cash == 400);
  CHECK(all.final_equity == 390);
  REQUIRE(all.equity.size() == 3);
  CHECK(all.equity[0].equity == 400);
  CHECK(all.equity[1].equity == 400);
  CHECK(all.equity[2].equity == 390);  // a holds its last value where it has no point
  REQUIRE(all.trades.size() == 2);
  CHECK(all.trades[0].pnl == -20);  // in exit time order
  nlohmann::json extra = nlohmann::json::object();
  add_slots_section({a, b}, BootstrapSettings{}, extra);
  REQUIRE(extra["slots"].size() == 2);
  CHECK(extra["slots"][0]["comparison"].is_null());
  CHECK(extra["slots"][1]["comparison"]["baseline"] == "a");
  CHECK(extra["slot_comparison"]["seed"] == 20240501);
  const auto tables = slot_tables(extra);
  REQUIRE(tables.has_value());
  CHECK(tables->side_by_side.rows.size() == 2);
  CHECK(tables->comparison.rows.size() == 1);
  CHECK(tables->comparison.rows[0][0] == "b vs a");
}

}  // namespace cephalo
