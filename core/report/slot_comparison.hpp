// The statistics behind an A/B slot comparison: seeded bootstrap confidence intervals for the
// difference in mean trade return and in Sharpe ratio between a slot and the baseline (the first).
// Thread-safety: pure functions of their arguments (each call owns its random generator).
//
// Deterministic: the generator is std::mt19937_64 (its output is fixed by the C++ standard) with
// the seed in BootstrapSettings, and indices are drawn as `next() % n`, so the same inputs and
// seed give the same interval on every platform.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "report/backtest_report.hpp"

namespace cephalo {

struct BootstrapSettings {
  uint64_t seed = 20240501;  // printed with the report so a run can be reproduced
  int resamples = 2000;
  double confidence = 0.95;  // two-sided percentile interval
};

// other − baseline, with its percentile bootstrap interval. `significant` when the interval
// excludes 0. Everything is empty (and not significant) when either sample is too small (fewer
// than 2 values) or the statistic is undefined on the data.
struct DifferenceEstimate {
  std::optional<double> difference;
  std::optional<double> low, high;
  bool significant = false;
  size_t baseline_count = 0, other_count = 0;  // sample sizes (trades or bar returns)
};

// Difference in means. The two samples are resampled independently (two different sets of
// trades, so there is no pairing to keep).
DifferenceEstimate bootstrap_mean_difference(const std::vector<double>& baseline,
                                             const std::vector<double>& other,
                                             const BootstrapSettings& settings);

// Difference in Sharpe ratio, mean / sample standard deviation × `annualise`, of two return series
// over the same bars. Bars are resampled jointly (both slots saw the same market in each bar) in
// circular blocks of `block_length` bars, which keeps most of the returns' serial dependence.
// Series of different lengths are compared on their common last bars. Resamples where a ratio is
// unbounded (zero deviation, non-zero mean) are left out of the interval.
DifferenceEstimate bootstrap_sharpe_difference(const std::vector<double>& baseline,
                                               const std::vector<double>& other, double annualise,
                                               size_t block_length,
                                               const BootstrapSettings& settings);

// Per closed trade: pnl / entry notional (entry_price × quantity), after fees. A fraction.
std::vector<double> trade_returns(const BacktestInput& input);
// Per bar: equity_i / equity_(i−1) − 1 along the equity curve, starting from the starting cash.
std::vector<double> bar_returns(const BacktestInput& input);
// sqrt(bars per year) for the input's bar interval (1 without one): what Metrics::sharpe uses.
double sharpe_annualisation(const BacktestInput& input);
// The block length used for Sharpe: the cube root of the number of bars, at least 1.
size_t default_block_length(size_t bars);

struct SlotComparison {
  DifferenceEstimate mean_trade_return;
  DifferenceEstimate sharpe;
  size_t block_length = 1;
};

SlotComparison compare_slots(const BacktestInput& baseline, const BacktestInput& other,
                             const BootstrapSettings& settings);

}  // namespace cephalo
