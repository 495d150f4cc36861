// Drawing pieces every chart of the HTML report shares: the plot frame, axes and line paths.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace cephalo::report_svg {

constexpr double kWidth = 1200;  // viewBox units; the page scales them

// A coordinate to 0.1 unit: sharp on screen and small in the file. to_chars ignores the locale.
std::string coord(double value);
std::string xy(double x, double y);

// The plot area inside a chart and the value range it shows (y grows downwards on screen).
struct Frame {
  double height = 300;
  double left = 84, right = 20, top = 14, bottom = 28;  // room for the axis labels
  double y_min = 0, y_max = 1;

  double plot_left() const { return left; }
  double plot_right() const { return kWidth - right; }
  double plot_top() const { return top; }
  double plot_bottom() const { return height - bottom; }
  double plot_width() const { return plot_right() - plot_left(); }
  double y(double value) const {
    return plot_bottom() - (value - y_min) / (y_max - y_min) * (plot_bottom() - plot_top());
  }
};

// Sets the value range to [low, high] plus padding; an empty or one-value range is widened so the
// mapping never divides by zero.
void fit_range(Frame& frame, double low, double high, double pad_fraction);

std::string svg_open(const std::string& id, double height, const std::string& label);
std::string frame_box(const Frame& frame);
std::string no_data(const Frame& frame, const std::string& what);

// Horizontal grid lines with labels at round values; `label` formats a value given the step.
std::string y_axis(const Frame& frame, const std::function<std::string(double, double)>& label);
// A price label with as many decimals as the grid step needs.
std::string price_label(double value, double step);

// Maps a time (ns since epoch UTC) to its x, or nothing when the time is off the chart.
using TimeToX = std::function<std::optional<double>(int64_t)>;
// Vertical grid lines with UTC labels at round times (multiples of a step since the epoch).
std::string time_axis(const Frame& frame, int64_t first_ns, int64_t last_ns, const TimeToX& to_x);

struct TimeSpan {
  int64_t first_ns = std::numeric_limits<int64_t>::max();
  int64_t last_ns = std::numeric_limits<int64_t>::min();
  bool empty() const { return first_ns > last_ns; }
};
// Times spread evenly over the plot's width.
TimeToX linear_time(const Frame& frame, TimeSpan span);

struct ScreenPoint {
  double x, y;
};
// Per pixel column, keeps the first, lowest, highest and last point in their time order: the
// line looks as if every point were drawn, while the path stays bounded by the chart's width.
std::vector<ScreenPoint> decimate(const std::vector<ScreenPoint>& points);
std::string polyline_path(const std::vector<ScreenPoint>& points);

}  // namespace cephalo::report_svg
