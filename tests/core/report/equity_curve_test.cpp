// The bounded equity curve: its streamed figures equal those of the full curve however far it is
// downsampled, its kept points and drawdown depths summarise their buckets exactly, and the
// metrics of a run read from it equal the metrics of the same curve handed over point by point.
#include "model/equity_curve.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "report/metrics.hpp"

namespace cephalo::test {
namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

// A random walk of equity with a gap in its times (a missing stretch of bars) and a dip to 0.
std::vector<EquityPoint> walk(size_t count, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> step(0.0002, 0.01);
  std::vector<EquityPoint> points;
  double value = 1000;
  int64_t time = 10 * kMinuteNs;
  for (size_t i = 0; i < count; ++i) {
    time += i == count / 3 ? 17 * kMinuteNs : kMinuteNs;
    value *= std::exp(step(random));
    points.push_back({time, i == count / 2 ? 0.0 : value});
  }
  return points;
}

EquityCurve record_all(const std::vector<EquityPoint>& points, size_t max_points) {
  EquityCurve curve(max_points);
  curve.start(0, 1000);
  for (const EquityPoint& point : points) REQUIRE(curve.record(point.time_ns, point.equity));
  return curve;
}

TEST_CASE("downsampling keeps every streamed figure exact") {
  const std::vector<EquityPoint> points = walk(5000, 7);
  const EquityStats full = record_all(points, 1 << 20).stats();
  const EquityCurve small = record_all(points, 16);
  const EquityStats bounded = small.stats();
  CHECK(bounded.points == 5000);
  CHECK(bounded.max_depth == full.max_depth);
  CHECK(bounded.max_depth > 0.5);  // the dip to 0 makes it 1, the walk alone less
  CHECK(bounded.peak_time_ns == full.peak_time_ns);
  CHECK(bounded.trough_time_ns == full.trough_time_ns);
  CHECK(bounded.longest_ns == full.longest_ns);
  CHECK(bounded.longest_points == full.longest_points);
  CHECK(bounded.return_sum == full.return_sum);
  CHECK(bounded.return_m2 == full.return_m2);
  CHECK(bounded.squared_downside == full.squared_downside);
  CHECK(small.points().size() <= 16);
  CHECK(small.stride() == 512);
}

TEST_CASE("each kept point is the last of its bucket and carries the bucket's deepest drawdown") {
  const std::vector<EquityPoint> points = walk(1000, 11);
  const EquityCurve full = record_all(points, 1 << 20);
  const std::vector<double> depth = full.drawdown_depths();
  REQUIRE(full.points().size() == points.size());
  REQUIRE(depth.size() == points.size());
  CHECK(full.points()[123].equity == points[123].equity);

  const EquityCurve small = record_all(points, 8);
  const std::vector<EquityPoint> kept = small.points();
  const std::vector<double> kept_depth = small.drawdown_depths();
  REQUIRE(kept.size() == kept_depth.size());
  const auto stride = static_cast<size_t>(small.stride());
  CHECK(stride == 128);
  for (size_t bucket = 0; bucket < kept.size(); ++bucket) {
    const size_t first = bucket * stride;
    const size_t last = std::min(points.size(), first + stride) - 1;
    CHECK(kept[bucket].time_ns == points[last].time_ns);
    CHECK(kept[bucket].equity == points[last].equity);
    const double deepest = *std::max_element(depth.begin() + static_cast<std::ptrdiff_t>(first),
                                             depth.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    CHECK(kept_depth[bucket] == deepest);
  }
  CHECK(*std::max_element(kept_depth.begin(), kept_depth.end()) == small.stats().max_depth);
}

TEST_CASE("Sharpe's streamed deviation agrees with the two-pass sum") {
  const std::vector<EquityPoint> points = walk(20000, 3);
  const EquityStats stats = record_all(points, 64).stats();
  std::vector<double> returns;
  double previous = 1000, sum = 0;
  for (const EquityPoint& point : points) {
    returns.push_back(previous > 0 ? point.equity / previous - 1 : 0);
    previous = point.equity;
    sum += returns.back();
  }
  const double mean = sum / static_cast<double>(returns.size());
  double squared = 0;
  for (double r : returns) squared += (r - mean) * (r - mean);
  CHECK(stats.return_sum == sum);
  CHECK(stats.return_m2 == doctest::Approx(squared).epsilon(1e-12));
}

TEST_CASE("points before a time are counted exactly across gaps and irregular steps") {
  std::vector<int64_t> times = {5, 10, 15, 20, 40, 41, 42, 100, 103, 200};
  EquityCurve curve;
  for (int64_t time : times) curve.record(time, 1);
  const EquityStats stats = curve.stats();
  for (int64_t probe = 0; probe <= 210; ++probe) {
    const auto expected =
        std::count_if(times.begin(), times.end(), [probe](int64_t time) { return time < probe; });
    CHECK(stats.points_before(probe) == expected);
  }
}

TEST_CASE("the same time again replaces the last point; an earlier time is refused") {
  EquityCurve curve;
  curve.start(0, 100);
  CHECK(curve.record(10, 90));
  CHECK(curve.record(10, 80));
  CHECK_FALSE(curve.record(5, 70));
  CHECK(curve.record(20, 100));
  const std::vector<EquityPoint> points = curve.points();
  REQUIRE(points.size() == 2);
  CHECK(points[0].equity == 80);
  CHECK(curve.stats().max_depth == doctest::Approx(0.2));
  CHECK(curve.stats().points == 2);
}

TEST_CASE("a run's streamed metrics equal those of its curve handed over point by point") {
  BacktestInput input;
  input.starting_cash = 1000;
  input.bar_interval_ns = kMinuteNs;
  const std::vector<EquityPoint> points = walk(3000, 5);
  input.start_time_ns = points.front().time_ns - kMinuteNs;
  input.end_time_ns = points.back().time_ns;
  input.final_equity = points.back().equity;
  input.equity = points;
  // Trades over the gap and overlapping each other, plus a position still open.
  input.trades = {
      ClosedTrade{"A/USD", points[10].time_ns, 1, points[900].time_ns, 1, 1, 0, 1, "s"},
      ClosedTrade{"B/USD", points[800].time_ns + 1, 1, points[1200].time_ns, 1, 1, 0, -1, "s"}};
  input.open_positions = {OpenPosition{"A/USD", points[2500].time_ns, 1, 1, 0, 1, 0}};
  const Metrics by_points = compute_metrics(input);

  EquityCurve curve(32);
  curve.start(input.start_time_ns, input.starting_cash);
  for (const EquityPoint& point : points) curve.record(point.time_ns, point.equity);
  BacktestInput streamed = input;
  streamed.equity = curve.points();
  streamed.equity_stats = curve.stats();
  streamed.equity_drawdown = curve.drawdown_depths();
  const Metrics by_stream = compute_metrics(streamed);
  CHECK(by_stream.exposure == by_points.exposure);
  CHECK(by_stream.exposure == doctest::Approx((1200.0 - 10 + 500) / 3000));
  CHECK(by_stream.max_drawdown == by_points.max_drawdown);
  CHECK(by_stream.max_drawdown_duration_bars == by_points.max_drawdown_duration_bars);
  REQUIRE(by_stream.sharpe.has_value());
  CHECK(*by_stream.sharpe == *by_points.sharpe);
  CHECK(*by_stream.sortino == *by_points.sortino);
  CHECK(drawdown_curve(streamed).size() == streamed.equity.size());
}

}  // namespace
}  // namespace cephalo::test
