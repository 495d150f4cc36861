// EquityCurve: exact streaming figures of the whole curve and a bounded, downsampled copy of it.
// Thread-safety: see equity_curve.hpp.
#include "model/equity_curve.hpp"

#include <algorithm>

namespace cephalo {

int64_t EquityStats::points_before(int64_t time_ns) const {
  int64_t before = 0;
  for (const TimeRun& run : time_runs) {
    if (time_ns <= run.first_ns) break;
    const int64_t last_ns = run.first_ns + run.step_ns * (run.count - 1);
    if (time_ns > last_ns) {
      before += run.count;
      continue;
    }
    // first < time <= last, so step > 0: the points first + k * step < time.
    before += (time_ns - run.first_ns + run.step_ns - 1) / run.step_ns;
    break;
  }
  return before;
}

EquityCurve::EquityCurve(size_t max_points) : max_points_(std::max<size_t>(2, max_points & ~1u)) {
  kept_.reserve(std::min<size_t>(max_points_, 4096));
  kept_depth_.reserve(kept_.capacity());
}

void EquityCurve::start(int64_t time_ns, double value) {
  started_ = true;
  scan_.stats.start_time_ns = time_ns;
  scan_.stats.start_value = value;
  scan_.peak = value;
  scan_.peak_index = 0;
  scan_.peak_at_ns = time_ns;
  scan_.last_value = value;
  scan_.last_time_ns = time_ns;
}

bool EquityCurve::record_first_or_again(int64_t time_ns, double equity) {
  if (has_pending_) {
    if (time_ns < pending_.time_ns) return false;
    if (time_ns > pending_.time_ns) {
      commit(pending_);
    } else {
      pending_.equity = equity;
      return true;
    }
  } else if (!started_) {
    start(time_ns, equity);
  }
  pending_ = EquityPoint{time_ns, equity};
  has_pending_ = true;
  return true;
}

void EquityCurve::close_spell(Scan& scan, int64_t end_index, int64_t end_time_ns) {
  const int64_t points = end_index - scan.peak_index;
  const int64_t ns = end_time_ns - scan.peak_at_ns;
  EquityStats& stats = scan.stats;
  if (ns > stats.longest_ns || (ns == stats.longest_ns && points > stats.longest_points)) {
    stats.longest_ns = ns;
    stats.longest_points = points;
  }
}

double EquityCurve::add_to_scan(Scan& scan, const EquityPoint& point) {
  EquityStats& stats = scan.stats;
  const int64_t index = ++stats.points;  // the start point is index 0
  const double value = point.equity;
  const int64_t time_ns = point.time_ns;

  const double previous = scan.last_value;
  ++stats.returns;
  if (value == previous || previous <= 0) {
    // r = 0 (an unchanged value: a flat account, most bars of most runs): no division for r, and
    // return_sum += 0.0 and squared_downside += 0.0 * 0.0 would leave both bit for bit as they are
    // (neither is ever -0.0: both start at +0.0 and r is never -0.0), so only Welford's update
    // runs, with the operations and operands it would have with r = 0.0.
    const double delta = 0.0 - stats.return_mean;
    stats.return_mean += delta / static_cast<double>(stats.returns);
    stats.return_m2 += delta * (0.0 - stats.return_mean);
  } else {
    const double r = value / previous - 1.0;
    stats.return_sum += r;
    const double delta = r - stats.return_mean;
    stats.return_mean += delta / static_cast<double>(stats.returns);
    stats.return_m2 += delta * (r - stats.return_mean);
    const double downside = std::min(r, 0.0);
    stats.squared_downside += downside * downside;
  }
  scan.last_value = value;
  scan.last_time_ns = time_ns;

  // The times as runs: the open run is extended in place; a point off its grid closes it.
  EquityStats::TimeRun& run = scan.run;
  if (run.count >= 2 && time_ns == scan.run_next_ns) {
    ++run.count;
    scan.run_next_ns += run.step_ns;
  } else if (run.count == 1) {
    run.step_ns = time_ns - run.first_ns;
    run.count = 2;
    scan.run_next_ns = time_ns + run.step_ns;
  } else {
    if (run.count > 0) stats.time_runs.push_back(run);
    run = EquityStats::TimeRun{time_ns, 0, 1};
  }

  if (value >= scan.peak) {
    if (scan.underwater) close_spell(scan, index, time_ns);
    scan.underwater = false;
    scan.peak = value;
    scan.peak_index = index;
    scan.peak_at_ns = time_ns;
    return 0.0;
  }
  // Still under the same peak at the same value: the same depth, without dividing again.
  const double depth = scan.underwater && value == previous ? scan.last_depth
                       : scan.peak > 0                      ? (scan.peak - value) / scan.peak
                                                            : 0.0;
  scan.underwater = true;
  scan.last_depth = depth;
  if (depth > stats.max_depth) {
    stats.max_depth = depth;
    stats.peak_time_ns = scan.peak_at_ns;
    stats.trough_time_ns = time_ns;
  }
  return depth;
}

void EquityCurve::commit(const EquityPoint& point) {
  const double depth = add_to_scan(scan_, point);
  if (in_last_bucket_ > 0 && in_last_bucket_ < stride_) {
    // The point joins the last bucket (most points once the curve is downsampled).
    kept_.back() = point;
    kept_depth_.back() = std::max(kept_depth_.back(), depth);
    ++in_last_bucket_;
    return;
  }
  add_bucket(point, depth);
}

void EquityCurve::add_bucket(const EquityPoint& point, double depth) {
  if (kept_.size() == max_points_) {
    // Every bucket is full: merge neighbours, so twice as many points share one bucket.
    for (size_t i = 0; i < max_points_ / 2; ++i) {
      kept_[i] = kept_[2 * i + 1];
      kept_depth_[i] = std::max(kept_depth_[2 * i], kept_depth_[2 * i + 1]);
    }
    kept_.resize(max_points_ / 2);
    kept_depth_.resize(max_points_ / 2);
    stride_ *= 2;
  }
  kept_.push_back(point);
  kept_depth_.push_back(depth);
  in_last_bucket_ = 1;
}

EquityCurve EquityCurve::with_last_point() const {
  EquityCurve copy = *this;
  if (copy.has_pending_) {
    copy.commit(copy.pending_);
    copy.has_pending_ = false;
  }
  return copy;
}

EquityStats EquityCurve::stats() const {
  Scan scan = scan_;
  if (has_pending_) add_to_scan(scan, pending_);
  if (scan.underwater) close_spell(scan, scan.stats.points, scan.last_time_ns);
  if (scan.run.count > 0) scan.stats.time_runs.push_back(scan.run);
  return std::move(scan.stats);
}

std::vector<EquityPoint> EquityCurve::points() const {
  return has_pending_ ? with_last_point().kept_ : kept_;
}

std::vector<EquityPoint> EquityCurve::sampled(size_t max_points) const {
  const size_t total = kept_.size() + (has_pending_ ? 1 : 0);
  const auto at = [&](size_t i) { return i < kept_.size() ? kept_[i] : pending_; };
  std::vector<EquityPoint> out;
  if (total == 0 || max_points == 0) return out;
  const size_t count = std::min(total, std::max<size_t>(max_points, 2));
  out.reserve(count);
  if (count == 1) {
    out.push_back(at(total - 1));
    return out;
  }
  // Point k of count is kept point floor(k x (total - 1) / (count - 1)), first and last included,
  // stepped without a division per point (the loop builds this between two events).
  const size_t span = total - 1, steps = count - 1;
  size_t index = 0, remainder = 0;
  for (size_t k = 0; k < count; ++k) {
    out.push_back(at(index));
    index += span / steps;
    remainder += span % steps;
    if (remainder >= steps) {
      ++index;
      remainder -= steps;
    }
  }
  return out;
}

std::vector<double> EquityCurve::drawdown_depths() const {
  return has_pending_ ? with_last_point().kept_depth_ : kept_depth_;
}

}  // namespace cephalo
