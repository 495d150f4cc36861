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

bool EquityCurve::record(int64_t time_ns, double equity) {
  if (!started_) start(time_ns, equity);
  if (pending_) {
    if (time_ns == pending_->time_ns) {
      pending_->equity = equity;
      return true;
    }
    if (time_ns < pending_->time_ns) return false;
    commit(*pending_);
  }
  pending_ = EquityPoint{time_ns, equity};
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

  const double previous = scan.last_value;
  // An unchanged value (a flat account, most bars of most runs) returns exactly 0: no division.
  const double r = value == previous || previous <= 0 ? 0.0 : value / previous - 1.0;
  ++stats.returns;
  stats.return_sum += r;
  const double delta = r - stats.return_mean;
  stats.return_mean += delta / static_cast<double>(stats.returns);
  stats.return_m2 += delta * (r - stats.return_mean);
  const double downside = std::min(r, 0.0);
  stats.squared_downside += downside * downside;
  scan.last_value = value;
  scan.last_time_ns = point.time_ns;

  auto& runs = stats.time_runs;
  if (!runs.empty() && runs.back().count == 1) {
    runs.back().step_ns = point.time_ns - runs.back().first_ns;
    runs.back().count = 2;
  } else if (!runs.empty() &&
             point.time_ns == runs.back().first_ns + runs.back().step_ns * runs.back().count) {
    ++runs.back().count;
  } else {
    runs.push_back({point.time_ns, 0, 1});
  }

  if (value >= scan.peak) {
    if (scan.underwater) close_spell(scan, index, point.time_ns);
    scan.underwater = false;
    scan.peak = value;
    scan.peak_index = index;
    scan.peak_at_ns = point.time_ns;
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
    stats.trough_time_ns = point.time_ns;
  }
  return depth;
}

void EquityCurve::commit(const EquityPoint& point) {
  add_to_buckets(point, add_to_scan(scan_, point));
}

void EquityCurve::add_to_buckets(const EquityPoint& point, double depth) {
  if (in_last_bucket_ > 0 && in_last_bucket_ < stride_) {
    kept_.back() = point;
    kept_depth_.back() = std::max(kept_depth_.back(), depth);
    ++in_last_bucket_;
    return;
  }
  if (kept_.size() == max_points_) {
    // Every bucket is full: merge neighbours, so twice as many points share one bucket.
    for (size_t i = 0; i < max_points_ / 2; ++i) {
      kept_[i] = kept_[2 * i + 1];
      kept_depth_[i] = std::max(kept_depth_[2 * i], kept_depth_[2 * i + 1]);
    }
    kept_.resize(max_points_ / 2);
    kept_depth_.resize(max_points_ / 2);
    stride_ *= 2;
    kept_.push_back(point);
    kept_depth_.push_back(depth);
    in_last_bucket_ = 1;
    return;
  }
  kept_.push_back(point);
  kept_depth_.push_back(depth);
  in_last_bucket_ = 1;
}

EquityCurve EquityCurve::with_last_point() const {
  EquityCurve copy = *this;
  if (copy.pending_) {
    copy.commit(*copy.pending_);
    copy.pending_.reset();
  }
  return copy;
}

EquityStats EquityCurve::stats() const {
  Scan scan = scan_;
  if (pending_) add_to_scan(scan, *pending_);
  if (scan.underwater) close_spell(scan, scan.stats.points, scan.last_time_ns);
  return std::move(scan.stats);
}

std::vector<EquityPoint> EquityCurve::points() const {
  return pending_ ? with_last_point().kept_ : kept_;
}

std::vector<double> EquityCurve::drawdown_depths() const {
  return pending_ ? with_last_point().kept_depth_ : kept_depth_;
}

}  // namespace cephalo
