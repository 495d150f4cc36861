// EquityCurve: a backtest's equity curve in bounded memory: exact streaming figures (drawdown,
// return moments, the times for exposure) and a downsampled curve for charts and reports.
// Thread-safety: a plain value; not thread-safe, owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/backtest_records.hpp"

namespace cephalo {

// What the metrics need from the whole curve, accumulated point by point in time order, so a run
// of any length keeps a fixed amount (plus one entry per gap in its bar times).
//
// "The curve" is the recorded points with a start point (the starting cash) in front of them, so a
// loss on the very first bar counts as a return and as a drawdown. The drawdown figures are those
// of a scan over every point (not the downsampled ones): exact. The sum of returns and of squared
// downside returns are the same left-to-right sums a two-pass computation would make; only the
// squared deviation from the mean (Sharpe's denominator) is Welford's streaming update, which
// agrees with the two-pass sum to rounding (about 1e-15 relative).
struct EquityStats {
  int64_t start_time_ns = 0;
  double start_value = 0;  // quote currency
  int64_t points = 0;      // recorded points, the start point not counted

  // Drawdown: depth = (running peak - value) / running peak (0 when the peak is not positive).
  // A spell starts at the point that set the peak and ends at the first later point whose value is
  // >= the peak (or at the last point); its duration is the time and number of points between.
  double max_depth = 0;
  int64_t peak_time_ns = 0, trough_time_ns = 0;  // of the deepest drawdown (0 if none)
  int64_t longest_ns = 0, longest_points = 0;    // longest spell

  // Simple returns r_i = v_i / v_(i-1) - 1 along the curve (0 after a value <= 0).
  int64_t returns = 0;
  double return_sum = 0;
  double return_mean = 0;  // Welford's running mean (only for the update below)
  double return_m2 = 0;    // Welford's sum of squared deviations from the mean
  double squared_downside = 0;

  // The recorded times as arithmetic runs (first, step, count): bar times are regular, so this
  // stays a few entries long while still answering "how many points are before t" exactly.
  struct TimeRun {
    int64_t first_ns = 0, step_ns = 0, count = 0;
  };
  std::vector<TimeRun> time_runs;
  // Recorded points with a time < `time_ns`.
  int64_t points_before(int64_t time_ns) const;
};

class EquityCurve {
 public:
  // The downsampled curve keeps at most this many points (an even number >= 2); up to it every
  // point is kept as recorded. 65,536 points are ~1.5 MB whatever the run's length.
  static constexpr size_t kDefaultMaxPoints = size_t{1} << 16;
  explicit EquityCurve(size_t max_points = kDefaultMaxPoints);

  // The start point of the curve; call before the first record() (the first record() otherwise
  // starts the curve at its own time with `value`).
  void start(int64_t time_ns, double value);
  // Records equity (quote currency) at `time_ns`. The same time again replaces the last point; an
  // earlier time is refused (false). Inline: a backtest calls it once per bar, and nearly always
  // with a later time, which commits the last point.
  bool record(int64_t time_ns, double equity) {
    if (has_pending_ && time_ns > pending_.time_ns) {
      commit(pending_);
      pending_ = EquityPoint{time_ns, equity};
      return true;
    }
    return record_first_or_again(time_ns, equity);
  }

  // Every figure with the last point included. Cheap; call once at the end of a run.
  EquityStats stats() const;
  // The downsampled curve: each kept point is the last recorded point of its bucket (consecutive
  // points, `stride()` per bucket), so with no more points than the limit it is the curve itself.
  std::vector<EquityPoint> points() const;
  // Per kept point, the deepest drawdown within its bucket: the drawdown chart stays exact.
  std::vector<double> drawdown_depths() const;
  // At most `max_points` (>= 2) of the kept points, evenly spread from the first to the last
  // recorded one (the pending last point included), in O(max_points): for a live view of the
  // curve while the run goes on, without copying it whole.
  std::vector<EquityPoint> sampled(size_t max_points) const;
  // Points recorded so far (the pending last one included), and the newest of them.
  int64_t recorded_points() const { return scan_.stats.points + (has_pending_ ? 1 : 0); }
  std::optional<EquityPoint> last_point() const {
    if (has_pending_) return pending_;
    if (!kept_.empty()) return kept_.back();
    return std::nullopt;
  }
  int64_t stride() const { return stride_; }

 private:
  struct Scan {
    EquityStats stats;
    double peak = 0;
    int64_t peak_index = 0;  // index in the curve, start point = 0
    int64_t peak_at_ns = 0;  // time of the point that set the running peak
    bool underwater = false;
    double last_value = 0;
    int64_t last_time_ns = 0;
    double last_depth = 0;  // drawdown depth at last_value under the current peak
    // The last run of recorded times, still growing (count 0: none yet), kept out of
    // stats.time_runs (which holds the finished ones) so a point extends it in registers.
    EquityStats::TimeRun run;
    int64_t run_next_ns = 0;  // run.first_ns + run.step_ns * run.count, once count >= 2
  };
  // A copy with the pending last point folded in.
  EquityCurve with_last_point() const;
  // record() for the first point, the same time again or an earlier time.
  bool record_first_or_again(int64_t time_ns, double equity);
  // Folds one point into the scan and the buckets.
  void commit(const EquityPoint& point);
  static double add_to_scan(Scan& scan, const EquityPoint& point);  // returns the depth
  static void close_spell(Scan& scan, int64_t end_index, int64_t end_time_ns);
  // A point that opens a bucket (merging neighbours first when every bucket is full).
  void add_bucket(const EquityPoint& point, double depth);

  size_t max_points_;
  bool started_ = false;
  Scan scan_;
  // The last point, replaceable until a later time comes (valid when has_pending_). A flag
  // rather than std::optional: record() runs once per bar and reads it in place.
  bool has_pending_ = false;
  EquityPoint pending_;
  std::vector<EquityPoint> kept_;
  std::vector<double> kept_depth_;
  int64_t stride_ = 1;
  int64_t in_last_bucket_ = 0;
};

}  // namespace cephalo
