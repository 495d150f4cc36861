// Formulas of every metric. "The curve" below is the equity curve with starting_cash put in front
// of it at start_time_ns, so a loss on the very first bar counts as a return and as a drawdown.
#include "report/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "model/equity_curve.hpp"

namespace cephalo {
namespace {

constexpr double kNsPerYear = 365.25 * 24 * 3600 * 1e9;  // a Julian year

// The run's own streamed figures, or (a BacktestInput built by hand) the same figures streamed
// from its equity points.
EquityStats curve_stats(const BacktestInput& input) {
  if (input.equity_stats) return *input.equity_stats;
  EquityCurve curve(2);  // only the figures are wanted here, not the kept points
  int64_t start = input.start_time_ns;
  if (!input.equity.empty()) start = std::min(start, input.equity.front().time_ns);
  curve.start(start, input.starting_cash);
  for (const EquityPoint& point : input.equity) curve.record(point.time_ns, point.equity);
  return curve.stats();
}

// A ratio whose denominator is 0 is 0 when nothing happened (numerator 0 too, e.g. a flat curve)
// and unbounded (null) otherwise; neither case may print NaN or inf into a report.
std::optional<double> bounded_ratio(double numerator, double denominator) {
  if (denominator == 0) {
    if (numerator == 0) return 0.0;
    return std::nullopt;
  }
  const double ratio = numerator / denominator;
  if (!std::isfinite(ratio)) return std::nullopt;
  return ratio;
}

// Sharpe = mean(r) / sample standard deviation(r) * sqrt(bars per year);
// Sortino = mean(r) / sqrt(sum(min(r, 0)^2) / N) * sqrt(bars per year), the downside deviation
// taken over all N returns. Risk-free rate 0. Bars per year = 365.25 days / bar_interval_ns.
// Null with fewer than 2 returns or no bar interval; see bounded_ratio for a zero denominator.
void risk_adjusted_returns(const EquityStats& stats, int64_t bar_interval_ns, Metrics& out) {
  if (stats.returns < 2 || bar_interval_ns <= 0) return;
  const double n = static_cast<double>(stats.returns);
  const double mean = stats.return_sum / n;
  const double sample_stddev = std::sqrt(stats.return_m2 / (n - 1));
  const double downside_deviation = std::sqrt(stats.squared_downside / n);
  const double annualise = std::sqrt(kNsPerYear / static_cast<double>(bar_interval_ns));
  if (auto sharpe = bounded_ratio(mean, sample_stddev)) out.sharpe = *sharpe * annualise;
  if (auto sortino = bounded_ratio(mean, downside_deviation)) out.sortino = *sortino * annualise;
}

// CAGR = (final_equity / starting_cash)^(1 / years) - 1 with years = (end - start) / 365.25 days.
// -1 when the account ended at or below zero; null for an empty period, no starting cash, or an
// overflow (a large gain over a few days).
std::optional<double> compound_annual_growth(const BacktestInput& input) {
  const double years = static_cast<double>(input.end_time_ns - input.start_time_ns) / kNsPerYear;
  if (years <= 0 || input.starting_cash <= 0) return std::nullopt;
  if (input.final_equity <= 0) return -1.0;
  const double cagr = std::pow(input.final_equity / input.starting_cash, 1.0 / years) - 1.0;
  if (!std::isfinite(cagr)) return std::nullopt;
  return cagr;
}

// Exposure = equity points at whose time some position is open / all equity points. A closed
// trade is open at t when entry <= t < exit, an open position when entry <= t; a trade opened and
// closed between two points does not count.
// Counted on point indices: each trade covers the points in [entry, exit), and the exposed points
// are the union of those ranges. The times come from the streamed runs, so no curve is needed.
double exposure(const BacktestInput& input, const EquityStats& stats) {
  if (stats.points == 0) return 0;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  auto mark = [&](int64_t from_ns, std::optional<int64_t> to_ns) {
    const int64_t first = stats.points_before(from_ns);
    const int64_t last = to_ns ? stats.points_before(*to_ns) : stats.points;
    if (first < last) ranges.emplace_back(first, last);
  };
  for (const auto& trade : input.trades) mark(trade.entry_time_ns, trade.exit_time_ns);
  for (const auto& position : input.open_positions) mark(position.entry_time_ns, std::nullopt);
  std::sort(ranges.begin(), ranges.end());
  int64_t exposed = 0, covered_to = 0;
  for (const auto& [first, last] : ranges) {
    const int64_t from = std::max(first, covered_to);
    if (last > from) exposed += last - from;
    covered_to = std::max(covered_to, last);
  }
  return static_cast<double>(exposed) / static_cast<double>(stats.points);
}

void trade_statistics(const BacktestInput& input, Metrics& out) {
  out.trade_count = static_cast<int64_t>(input.trades.size());
  double holding_ns = 0, return_sum = 0;
  for (const auto& trade : input.trades) {
    out.net_pnl += trade.pnl;
    out.total_fees += trade.fees;
    if (trade.pnl > 0) {
      ++out.wins;
      out.gross_profit += trade.pnl;
    } else if (trade.pnl < 0) {
      ++out.losses;
      out.gross_loss -= trade.pnl;
    }
    holding_ns += static_cast<double>(trade.exit_time_ns - trade.entry_time_ns);
    // Expectancy as a fraction: the trade's pnl over the notional it put at risk on entry.
    const double notional = std::abs(trade.entry_price * trade.quantity);
    if (notional > 0) return_sum += trade.pnl / notional;
  }
  for (const auto& position : input.open_positions) out.total_fees += position.fees;
  if (out.trade_count == 0) return;
  const double count = static_cast<double>(out.trade_count);
  out.win_rate = static_cast<double>(out.wins) / count;
  // Profit factor is null without a losing trade (explicitly, not by bounded_ratio).
  if (out.gross_loss > 0) out.profit_factor = out.gross_profit / out.gross_loss;
  out.expectancy = out.net_pnl / count;
  out.expectancy_fraction = return_sum / count;
  out.average_holding_ns = static_cast<int64_t>(holding_ns / count);
}

// Every pair with candles or trades gets a row, so a pair the strategy never traded shows as 0.
std::vector<PairStats> per_pair(const BacktestInput& input) {
  std::map<std::string, PairStats> rows;
  for (const auto& series : input.candles) rows[series.pair].pair = series.pair;
  for (const auto& trade : input.trades) {
    PairStats& row = rows[trade.pair];
    row.pair = trade.pair;
    ++row.trades;
    if (trade.pnl > 0) ++row.wins;
    row.pnl += trade.pnl;
    row.fees += trade.fees;
  }
  std::vector<PairStats> table;
  for (auto& [pair, row] : rows) {
    if (row.trades > 0)
      row.win_rate = static_cast<double>(row.wins) / static_cast<double>(row.trades);
    table.push_back(row);
  }
  return table;
}

std::vector<ExitReasonStats> per_exit_reason(const BacktestInput& input) {
  std::map<std::string, ExitReasonStats> rows;
  for (const auto& trade : input.trades) {
    ExitReasonStats& row = rows[trade.exit_reason];
    row.reason = trade.exit_reason;
    ++row.count;
    row.pnl += trade.pnl;
  }
  std::vector<ExitReasonStats> table;
  table.reserve(rows.size());
  for (auto& [reason, row] : rows) table.push_back(row);
  return table;
}

// Bars a series can be read at: every price column must have it.
size_t usable_length(const CandleSeries& series) {
  return std::min({series.open_time_ns.size(), series.open.size(), series.high.size(),
                   series.low.size(), series.close.size()});
}

// Buy-and-hold: starting_cash is split equally across the candle series; each share buys the pair
// at its first bar's open and is valued at each later close. A share whose pair has no usable
// first open (no candles, open <= 0) stays cash. No fees.
std::vector<BuyAndHoldPair> buy_and_hold_legs(const BacktestInput& input) {
  std::vector<BuyAndHoldPair> legs;
  if (input.candles.empty()) return legs;
  const double share = input.starting_cash / static_cast<double>(input.candles.size());
  for (const auto& series : input.candles) {
    BuyAndHoldPair leg;
    leg.pair = series.pair;
    leg.final_value = share;
    const size_t length = usable_length(series);
    if (length > 0 && series.open.front() > 0 && std::isfinite(series.open.front())) {
      leg.entry_price = series.open.front();
      leg.exit_price = series.close[length - 1];
      leg.quantity = share / leg.entry_price;
      leg.final_value = leg.quantity * leg.exit_price;
    }
    leg.total_return = share > 0 ? leg.final_value / share - 1.0 : 0.0;
    legs.push_back(leg);
  }
  return legs;
}

std::vector<EquityPoint> combined_value(const BacktestInput& input,
                                        const std::vector<BuyAndHoldPair>& legs) {
  if (input.candles.empty()) return {};
  std::vector<int64_t> times;
  for (const auto& series : input.candles) {
    const size_t length = usable_length(series);
    times.insert(times.end(), series.open_time_ns.begin(),
                 series.open_time_ns.begin() + static_cast<std::ptrdiff_t>(length));
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  const double share = input.starting_cash / static_cast<double>(input.candles.size());
  std::vector<size_t> next_bar(input.candles.size(), 0);
  std::vector<EquityPoint> curve;
  curve.reserve(times.size());
  for (int64_t time : times) {
    double value = 0;
    for (size_t p = 0; p < input.candles.size(); ++p) {
      const CandleSeries& series = input.candles[p];
      const size_t length = usable_length(series);
      while (next_bar[p] < length && series.open_time_ns[next_bar[p]] <= time) ++next_bar[p];
      const bool holding = legs[p].quantity > 0 && next_bar[p] > 0;
      // Before its first bar (or without a usable one) a leg is still its share of cash.
      value += holding ? legs[p].quantity * series.close[next_bar[p] - 1] : share;
    }
    curve.push_back({time, value});
  }
  return curve;
}

}  // namespace

std::vector<double> drawdown_curve(const BacktestInput& input) {
  if (input.equity_stats) return input.equity_drawdown;
  EquityCurve curve(std::numeric_limits<size_t>::max());
  int64_t start = input.start_time_ns;
  if (!input.equity.empty()) start = std::min(start, input.equity.front().time_ns);
  curve.start(start, input.starting_cash);
  for (const EquityPoint& point : input.equity) curve.record(point.time_ns, point.equity);
  return curve.drawdown_depths();
}

std::vector<EquityPoint> buy_and_hold_curve(const BacktestInput& input) {
  return combined_value(input, buy_and_hold_legs(input));
}

Metrics compute_metrics(const BacktestInput& input) {
  Metrics out;
  if (input.starting_cash > 0) out.total_return = input.final_equity / input.starting_cash - 1.0;
  if (!std::isfinite(out.total_return)) out.total_return = 0;

  const EquityStats stats = curve_stats(input);
  out.max_drawdown = stats.max_depth;
  out.max_drawdown_peak_time_ns = stats.peak_time_ns;
  out.max_drawdown_trough_time_ns = stats.trough_time_ns;
  out.max_drawdown_duration_ns = stats.longest_ns;
  out.max_drawdown_duration_bars = stats.longest_points;

  risk_adjusted_returns(stats, input.bar_interval_ns, out);
  out.cagr = compound_annual_growth(input);
  // Calmar = CAGR / max drawdown.
  if (out.cagr) out.calmar = bounded_ratio(*out.cagr, out.max_drawdown);

  trade_statistics(input, out);
  out.exposure = exposure(input, stats);
  out.per_pair = per_pair(input);
  out.per_exit_reason = per_exit_reason(input);

  BuyAndHold& hold = out.buy_and_hold;
  hold.pairs = buy_and_hold_legs(input);
  hold.final_value = input.candles.empty() ? input.starting_cash : 0.0;
  for (const auto& leg : hold.pairs) hold.final_value += leg.final_value;
  if (input.starting_cash > 0) hold.total_return = hold.final_value / input.starting_cash - 1.0;
  EquityCurve hold_curve(2);
  hold_curve.start(stats.start_time_ns, input.starting_cash);
  for (const EquityPoint& point : combined_value(input, hold.pairs)) {
    hold_curve.record(point.time_ns, point.equity);
  }
  hold.max_drawdown = hold_curve.stats().max_depth;
  return out;
}

}  // namespace cephalo
