#include "report/svg_frame.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <system_error>

#include "report/text_format.hpp"

namespace cephalo::report_svg {
namespace {

using report_text::html_escape;

constexpr int64_t kNsPerSecond = 1'000'000'000;

// 1, 2 or 5 times a power of ten, giving about `target` intervals over `span`.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalised = raw / magnitude;
  const double factor = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10;
  return factor * magnitude;
}

struct TimeStep {
  int64_t seconds;
  const char* label_format;  // strftime, UTC
};
constexpr TimeStep kTimeSteps[] = {
    {60, "%m-%d %H:%M"},       {300, "%m-%d %H:%M"},       {900, "%m-%d %H:%M"},
    {1800, "%m-%d %H:%M"},     {3600, "%m-%d %H:%M"},      {3 * 3600, "%m-%d %H:%M"},
    {6 * 3600, "%m-%d %H:%M"}, {12 * 3600, "%m-%d %H:%M"}, {86400, "%Y-%m-%d"},
    {2 * 86400, "%Y-%m-%d"},   {7 * 86400, "%Y-%m-%d"},    {14 * 86400, "%Y-%m-%d"},
    {30 * 86400, "%Y-%m-%d"},  {91 * 86400, "%Y-%m-%d"},   {182 * 86400, "%Y-%m-%d"},
    {365 * 86400, "%Y-%m-%d"}};

std::string time_label(int64_t seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  if (gmtime_r(&t, &utc) == nullptr) return "";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &utc);
  return buffer;
}

}  // namespace

std::string coord(double value) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
  if (result.ec != std::errc() || !std::isfinite(value)) return "0";
  std::string text(buffer, result.ptr);
  return text == "-0.0" ? "0.0" : text;
}

std::string xy(double x, double y) {
  return coord(x) + "," + coord(y);
}

void fit_range(Frame& frame, double low, double high, double pad_fraction) {
  if (!std::isfinite(low) || !std::isfinite(high) || low > high) {
    low = 0;
    high = 1;
  }
  if (high == low) {
    const double half = low == 0 ? 1.0 : std::abs(low) * 0.01;
    low -= half;
    high += half;
  }
  const double pad = (high - low) * pad_fraction;
  frame.y_min = low - pad;
  frame.y_max = high + pad;
}

std::string svg_open(const std::string& id, double height, const std::string& label) {
  return "<svg id=\"" + html_escape(id) + "\" class=\"chart\" viewBox=\"0 0 " + coord(kWidth) +
         " " + coord(height) + "\" role=\"img\" aria-label=\"" + html_escape(label) + "\">\n";
}

std::string frame_box(const Frame& frame) {
  return "<rect class=\"plot-area\" x=\"" + coord(frame.plot_left()) + "\" y=\"" +
         coord(frame.plot_top()) + "\" width=\"" + coord(frame.plot_width()) + "\" height=\"" +
         coord(frame.plot_bottom() - frame.plot_top()) + "\"/>\n";
}

std::string no_data(const Frame& frame, const std::string& what) {
  return "<text class=\"no-data\" x=\"" + coord(kWidth / 2) + "\" y=\"" + coord(frame.height / 2) +
         "\" text-anchor=\"middle\">" + html_escape(what) + "</text>\n";
}

std::string y_axis(const Frame& frame, const std::function<std::string(double, double)>& label) {
  const double step = nice_step(frame.y_max - frame.y_min, 5);
  std::string out = "<g class=\"axis y-axis\">\n";
  const auto first = static_cast<int64_t>(std::ceil(frame.y_min / step));
  const auto last = static_cast<int64_t>(std::floor(frame.y_max / step));
  for (int64_t k = first; k <= last; ++k) {
    const double value = static_cast<double>(k) * step;
    const double y = frame.y(value);
    out += "<line class=\"grid\" x1=\"" + coord(frame.plot_left()) + "\" y1=\"" + coord(y) +
           "\" x2=\"" + coord(frame.plot_right()) + "\" y2=\"" + coord(y) + "\"/>";
    out += "<text x=\"" + coord(frame.plot_left() - 6) + "\" y=\"" + coord(y + 4) +
           "\" text-anchor=\"end\">" + html_escape(label(value, step)) + "</text>\n";
  }
  return out + "</g>\n";
}

std::string price_label(double value, double step) {
  return report_text::format_fixed(value,
                                   std::max(0, -static_cast<int>(std::floor(std::log10(step)))));
}

std::string time_axis(const Frame& frame, int64_t first_ns, int64_t last_ns, const TimeToX& to_x) {
  const int64_t span_s = std::max<int64_t>(1, (last_ns - first_ns) / kNsPerSecond);
  TimeStep step = kTimeSteps[std::size(kTimeSteps) - 1];
  for (const TimeStep& candidate : kTimeSteps) {
    if (span_s / candidate.seconds <= 9) {
      step = candidate;
      break;
    }
  }
  while (span_s / step.seconds > 9) step.seconds *= 2;  // runs longer than 9 years
  std::string out = "<g class=\"axis x-axis\">\n";
  const int64_t first_s = first_ns / kNsPerSecond, last_s = last_ns / kNsPerSecond;
  for (int64_t k = first_s / step.seconds; k * step.seconds <= last_s; ++k) {
    const int64_t tick_s = k * step.seconds;
    if (tick_s < first_s) continue;
    const std::optional<double> x = to_x(tick_s * kNsPerSecond);
    if (!x) continue;
    out += "<line class=\"grid\" x1=\"" + coord(*x) + "\" y1=\"" + coord(frame.plot_top()) +
           "\" x2=\"" + coord(*x) + "\" y2=\"" + coord(frame.plot_bottom()) + "\"/>";
    out += "<text x=\"" + coord(*x) + "\" y=\"" + coord(frame.plot_bottom() + 18) +
           "\" text-anchor=\"middle\">" + html_escape(time_label(tick_s, step.label_format)) +
           "</text>\n";
  }
  return out + "</g>\n";
}

std::vector<ScreenPoint> decimate(const std::vector<ScreenPoint>& points) {
  std::vector<ScreenPoint> kept;
  size_t i = 0;
  while (i < points.size()) {
    const double column = std::floor(points[i].x);
    size_t lowest = i, highest = i, last = i;
    size_t j = i;
    for (; j < points.size() && std::floor(points[j].x) == column; ++j) {
      // Screen y grows downwards: the lowest value has the largest y.
      if (points[j].y > points[lowest].y) lowest = j;
      if (points[j].y < points[highest].y) highest = j;
      last = j;
    }
    std::vector<size_t> picks = {i, lowest, highest, last};
    std::sort(picks.begin(), picks.end());
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
    for (size_t pick : picks) kept.push_back(points[pick]);
    i = j;
  }
  return kept;
}

std::string polyline_path(const std::vector<ScreenPoint>& points) {
  std::string d;
  for (size_t i = 0; i < points.size(); ++i) {
    d += (i == 0 ? "M" : i == 1 ? " L" : " ") + xy(points[i].x, points[i].y);
  }
  return d;
}

TimeToX linear_time(const Frame& frame, TimeSpan span) {
  const double width = static_cast<double>(std::max<int64_t>(1, span.last_ns - span.first_ns));
  return [frame, span, width](int64_t time_ns) -> std::optional<double> {
    if (time_ns < span.first_ns || time_ns > span.last_ns) return std::nullopt;
    return frame.plot_left() +
           static_cast<double>(time_ns - span.first_ns) / width * frame.plot_width();
  };
}

}  // namespace cephalo::report_svg
