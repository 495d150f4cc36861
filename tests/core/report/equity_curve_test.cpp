// The bounded equity curve: its streamed figures equal those of the full curve however far it is
// downsampled, its kept points and drawdown depths summarise their buckets exactly, and the
// metrics of a run read from it equal the metrics of the same curve handed over point by point.
#include "model/equity_curve.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
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

// The scan as first written, one point at a time with nothing cached: what the curve's figures must
// equal bit for bit, whatever shortcuts it takes for unchanged values or regular times.
struct PlainScan {
  EquityStats stats;
  double peak = 0, last_value = 0, last_depth = 0;
  int64_t peak_index = 0, peak_at_ns = 0, last_time_ns = 0;
  bool underwater = false;
  std::vector<double> depths;  // per point

  PlainScan(int64_t time_ns, double value) {
    stats.start_time_ns = time_ns;
    stats.start_value = value;
    peak = value;
    peak_at_ns = time_ns;
    last_value = value;
    last_time_ns = time_ns;
  }
  void close_spell(int64_t end_index, int64_t end_time_ns) {
    const int64_t points = end_index - peak_index;
    const int64_t ns = end_time_ns - peak_at_ns;
    if (ns > stats.longest_ns || (ns == stats.longest_ns && points > stats.longest_points)) {
      stats.longest_ns = ns;
      stats.longest_points = points;
    }
  }
  void add(int64_t time_ns, double value) {
    const int64_t index = ++stats.points;
    const double previous = last_value;
    const double r = previous <= 0 ? 0.0 : value / previous - 1.0;
    ++stats.returns;
    stats.return_sum += r;
    const double delta = r - stats.return_mean;
    stats.return_mean += delta / static_cast<double>(stats.returns);
    stats.return_m2 += delta * (r - stats.return_mean);
    const double downside = std::min(r, 0.0);
    stats.squared_downside += downside * downside;
    last_value = value;
    last_time_ns = time_ns;
    auto& runs = stats.time_runs;
    if (!runs.empty() && runs.back().count == 1) {
      runs.back().step_ns = time_ns - runs.back().first_ns;
      runs.back().count = 2;
    } else if (!runs.empty() &&
               time_ns == runs.back().first_ns + runs.back().step_ns * runs.back().count) {
      ++runs.back().count;
    } else {
      runs.push_back({time_ns, 0, 1});
    }
    if (value >= peak) {
      if (underwater) close_spell(index, time_ns);
      underwater = false;
      peak = value;
      peak_index = index;
      peak_at_ns = time_ns;
      depths.push_back(0.0);
      return;
    }
    const double depth = peak > 0 ? (peak - value) / peak : 0.0;
    underwater = true;
    if (depth > stats.max_depth) {
      stats.max_depth = depth;
      stats.peak_time_ns = peak_at_ns;
      stats.trough_time_ns = time_ns;
    }
    depths.push_back(depth);
  }
  EquityStats finish() {
    if (underwater) close_spell(stats.points, last_time_ns);
    return stats;
  }
};

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void check_identical(const EquityStats& curve, const EquityStats& plain) {
  CHECK(curve.start_time_ns == plain.start_time_ns);
  CHECK(same_bits(curve.start_value, plain.start_value));
  CHECK(curve.points == plain.points);
  CHECK(same_bits(curve.max_depth, plain.max_depth));
  CHECK(curve.peak_time_ns == plain.peak_time_ns);
  CHECK(curve.trough_time_ns == plain.trough_time_ns);
  CHECK(curve.longest_ns == plain.longest_ns);
  CHECK(curve.longest_points == plain.longest_points);
  CHECK(curve.returns == plain.returns);
  CHECK(same_bits(curve.return_sum, plain.return_sum));
  CHECK(same_bits(curve.return_mean, plain.return_mean));
  CHECK(same_bits(curve.return_m2, plain.return_m2));
  CHECK(same_bits(curve.squared_downside, plain.squared_downside));
  REQUIRE(curve.time_runs.size() == plain.time_runs.size());
  for (size_t i = 0; i < curve.time_runs.size(); ++i) {
    CHECK(curve.time_runs[i].first_ns == plain.time_runs[i].first_ns);
    CHECK(curve.time_runs[i].step_ns == plain.time_runs[i].step_ns);
    CHECK(curve.time_runs[i].count == plain.time_runs[i].count);
  }
}

// A backtest's curve: long stretches where the account is flat (the same value bar after bar, at
// the peak and under water), moves in between, a gap and an irregular step in the times, a value
// replaced at the same time, and a stretch at or below 0.
std::vector<EquityPoint> flat_stretches(size_t count, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> step(0.0, 0.01);
  std::uniform_int_distribution<int> stretch(1, 40);
  std::vector<EquityPoint> points;
  double value = 1000;
  int64_t time = 10 * kMinuteNs;
  while (points.size() < count) {
    const int flat = stretch(random);
    for (int i = 0; i < flat && points.size() < count; ++i) {
      time += points.size() % 997 == 5 ? 23 * kMinuteNs : kMinuteNs;
      if (points.size() % 1301 == 7) time += 7;  // off the grid: a new run of times
      points.push_back({time, value});
    }
    value *= std::exp(step(random));
    if (points.size() > count / 2 && points.size() < count / 2 + 30) value = 0;
    if (points.size() >= count / 2 + 30 && value == 0) value = 900;
  }
  return points;
}

TEST_CASE("flat stretches: the curve's figures equal the plain scan's bit for bit") {
  for (const uint32_t seed : {1u, 2u, 3u}) {
    const std::vector<EquityPoint> points = flat_stretches(20000, seed);
    PlainScan plain(0, 1000);
    EquityCurve curve(1 << 16);
    curve.start(0, 1000);
    for (const EquityPoint& point : points) {
      // An earlier value at the same time first: the curve keeps only the later one.
      REQUIRE(curve.record(point.time_ns, point.equity * 2));
      REQUIRE(curve.record(point.time_ns, point.equity));
      plain.add(point.time_ns, point.equity);
    }
    // Read in the middle of a run, then go on: reading changes nothing.
    (void)curve.stats();
    CHECK(curve.record(points.back().time_ns + kMinuteNs, points.back().equity));
    plain.add(points.back().time_ns + kMinuteNs, points.back().equity);
    check_identical(curve.stats(), plain.finish());
    const std::vector<EquityPoint> kept = curve.points();
    const std::vector<double> depths = curve.drawdown_depths();
    REQUIRE(kept.size() == plain.depths.size());
    REQUIRE(depths.size() == plain.depths.size());
    for (size_t i = 0; i < depths.size(); ++i) CHECK(same_bits(depths[i], plain.depths[i]));
    CHECK(kept.back().time_ns == points.back().time_ns + kMinuteNs);
  }
}

TEST_CASE("flat stretches downsampled: the streamed figures stay those of the plain scan") {
  const std::vector<EquityPoint> points = flat_stretches(30000, 9);
  PlainScan plain(0, 1000);
  EquityCurve curve(64);
  curve.start(0, 1000);
  for (const EquityPoint& point : points) {
    REQUIRE(curve.record(point.time_ns, point.equity));
    plain.add(point.time_ns, point.equity);
  }
  check_identical(curve.stats(), plain.finish());
  const std::vector<double> depths = curve.drawdown_depths();
  const auto stride = static_cast<size_t>(curve.stride());
  REQUIRE(depths.size() == (points.size() + stride - 1) / stride);
  for (size_t bucket = 0; bucket < depths.size(); ++bucket) {
    const size_t first = bucket * stride;
    const size_t last = std::min(points.size(), first + stride);
    const double deepest =
        *std::max_element(plain.depths.begin() + static_cast<std::ptrdiff_t>(first),
                          plain.depths.begin() + static_cast<std::ptrdiff_t>(last));
    CHECK(same_bits(depths[bucket], deepest));
  }
}

}  // namespace
}  // namespace cephalo::test
