// Percentile bootstrap intervals for slot differences. Formulas next to each function.
// Thread-safety: see slot_comparison.hpp.
#include "report/slot_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace cephalo {

namespace {

constexpr double kNsPerYear = 365.25 * 24 * 3600 * 1e9;  // as metrics.cpp: a Julian year

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

// mean / sample standard deviation; 0 for a flat series, empty when unbounded.
std::optional<double> sharpe_of(const std::vector<double>& returns) {
  if (returns.size() < 2) return std::nullopt;
  const double mean = mean_of(returns);
  double squared = 0;
  for (double r : returns) squared += (r - mean) * (r - mean);
  const double deviation = std::sqrt(squared / static_cast<double>(returns.size() - 1));
  if (deviation == 0) return mean == 0 ? std::optional<double>(0.0) : std::nullopt;
  return mean / deviation;
}

// Linear interpolation between order statistics at position q × (n − 1) of the sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * weight;
}

void set_interval(std::vector<double>& differences, const BootstrapSettings& settings,
                  DifferenceEstimate& out) {
  if (differences.empty()) return;
  std::sort(differences.begin(), differences.end());
  const double tail = (1.0 - settings.confidence) / 2.0;
  out.low = quantile(differences, tail);
  out.high = quantile(differences, 1.0 - tail);
  out.significant = *out.low > 0 || *out.high < 0;
}

}  // namespace

DifferenceEstimate bootstrap_mean_difference(const std::vector<double>& baseline,
                                             const std::vector<double>& other,
                                             const BootstrapSettings& settings) {
  DifferenceEstimate out;
  out.baseline_count = baseline.size();
  out.other_count = other.size();
  if (baseline.size() < 2 || other.size() < 2 || settings.resamples < 1) return out;
  out.difference = mean_of(other) - mean_of(baseline);
  std::mt19937_64 random(settings.seed);
  std::vector<double> differences;
  differences.reserve(static_cast<size_t>(settings.resamples));
  const auto resampled_mean = [&random](const std::vector<double>& sample) {
    double sum = 0;
    for (size_t i = 0; i < sample.size(); ++i) sum += sample[random() % sample.size()];
    return sum / static_cast<double>(sample.size());
  };
  for (int b = 0; b < settings.resamples; ++b) {
    const double base = resampled_mean(baseline);
    differences.push_back(resampled_mean(other) - base);
  }
  set_interval(differences, settings, out);
  return out;
}

DifferenceEstimate bootstrap_sharpe_difference(const std::vector<double>& baseline,
                                               const std::vector<double>& other, double annualise,
                                               size_t block_length,
                                               const BootstrapSettings& settings) {
  DifferenceEstimate out;
  const size_t n = std::min(baseline.size(), other.size());
  out.baseline_count = n;
  out.other_count = n;
  if (n < 2 || settings.resamples < 1) return out;
  const std::vector<double> a(baseline.end() - static_cast<std::ptrdiff_t>(n), baseline.end());
  const std::vector<double> b(other.end() - static_cast<std::ptrdiff_t>(n), other.end());
  const auto sharpe_a = sharpe_of(a);
  const auto sharpe_b = sharpe_of(b);
  if (!sharpe_a || !sharpe_b) return out;
  out.difference = (*sharpe_b - *sharpe_a) * annualise;

  const size_t block = std::clamp<size_t>(block_length, 1, n);
  std::mt19937_64 random(settings.seed);
  std::vector<double> differences, draw_a(n), draw_b(n);
  differences.reserve(static_cast<size_t>(settings.resamples));
  for (int r = 0; r < settings.resamples; ++r) {
    // Circular block bootstrap: blocks of consecutive bars from random starts, wrapping around,
    // the same bars for both slots.
    for (size_t filled = 0; filled < n;) {
      const size_t start = random() % n;
      for (size_t k = 0; k < block && filled < n; ++k, ++filled) {
        draw_a[filled] = a[(start + k) % n];
        draw_b[filled] = b[(start + k) % n];
      }
    }
    const auto resampled_a = sharpe_of(draw_a);
    const auto resampled_b = sharpe_of(draw_b);
    if (resampled_a && resampled_b)
      differences.push_back((*resampled_b - *resampled_a) * annualise);
  }
  set_interval(differences, settings, out);
  return out;
}

std::vector<double> trade_returns(const BacktestInput& input) {
  std::vector<double> returns;
  returns.reserve(input.trades.size());
  for (const ClosedTrade& trade : input.trades) {
    const double notional = trade.entry_price * trade.quantity;
    if (notional > 0) returns.push_back(trade.pnl / notional);
  }
  return returns;
}

std::vector<double> bar_returns(const BacktestInput& input) {
  std::vector<double> returns;
  returns.reserve(input.equity.size());
  double previous = input.starting_cash;
  for (const EquityPoint& point : input.equity) {
    returns.push_back(previous > 0 ? point.equity / previous - 1.0 : 0.0);
    previous = point.equity;
  }
  return returns;
}

double sharpe_annualisation(const BacktestInput& input) {
  if (input.bar_interval_ns <= 0) return 1.0;
  return std::sqrt(kNsPerYear / static_cast<double>(input.bar_interval_ns));
}

size_t default_block_length(size_t bars) {
  return std::max<size_t>(1,
                          static_cast<size_t>(std::llround(std::cbrt(static_cast<double>(bars)))));
}

SlotComparison compare_slots(const BacktestInput& baseline, const BacktestInput& other,
                             const BootstrapSettings& settings) {
  SlotComparison out;
  out.mean_trade_return =
      bootstrap_mean_difference(trade_returns(baseline), trade_returns(other), settings);
  const std::vector<double> base_returns = bar_returns(baseline);
  out.block_length = default_block_length(base_returns.size());
  out.sharpe = bootstrap_sharpe_difference(
      base_returns, bar_returns(other), sharpe_annualisation(baseline), out.block_length, settings);
  return out;
}

}  // namespace cephalo
