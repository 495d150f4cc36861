// The equity and drawdown charts: lines over time.
#include <algorithm>
#include <cmath>

#include "report/svg_charts.hpp"
#include "report/svg_frame.hpp"
#include "report/text_format.hpp"

namespace cephalo::report_svg {

using report_text::html_escape;

std::string line_chart(const std::string& id, const std::vector<LineSeries>& lines,
                       double reference_level, const std::string& unit) {
  Frame frame;
  frame.height = 340;
  frame.top = 34;  // the legend sits above the plot, clear of the lines
  std::string out = svg_open(id, frame.height, "equity over time");
  TimeSpan span;
  double low = reference_level, high = reference_level;
  for (const auto& line : lines) {
    for (const auto& point : line.points) {
      if (!std::isfinite(point.equity)) continue;
      span.first_ns = std::min(span.first_ns, point.time_ns);
      span.last_ns = std::max(span.last_ns, point.time_ns);
      low = std::min(low, point.equity);
      high = std::max(high, point.equity);
    }
  }
  fit_range(frame, low, high, 0.05);
  out += frame_box(frame);
  if (span.empty()) return out + no_data(frame, "No equity points") + "</svg>\n";
  const auto to_x = linear_time(frame, span);
  out += y_axis(frame, price_label);
  out += time_axis(frame, span.first_ns, span.last_ns, to_x);
  const double reference_y = frame.y(reference_level);
  out += "<line class=\"baseline\" x1=\"" + coord(frame.plot_left()) + "\" y1=\"" +
         coord(reference_y) + "\" x2=\"" + coord(frame.plot_right()) + "\" y2=\"" +
         coord(reference_y) + "\"/>\n";
  double legend_x = frame.plot_left() + 10;
  for (const auto& line : lines) {
    std::vector<ScreenPoint> points;
    for (const auto& point : line.points) {
      if (std::isfinite(point.equity))
        points.push_back({*to_x(point.time_ns), frame.y(point.equity)});
    }
    out += "<path class=\"line " + html_escape(line.css_class) + "\" d=\"" +
           polyline_path(decimate(points)) + "\"/>\n";
    out += "<g class=\"legend\"><line class=\"line " + html_escape(line.css_class) + "\" x1=\"" +
           coord(legend_x) + "\" y1=\"16\" x2=\"" + coord(legend_x + 24) + "\" y2=\"16\"/>" +
           "<text x=\"" + coord(legend_x + 30) + "\" y=\"20\">" + html_escape(line.label) +
           "</text></g>\n";
    legend_x += 40 + 7.0 * static_cast<double>(line.label.size());
  }
  out += "<text class=\"unit\" x=\"" + coord(frame.plot_left() - 6) + "\" y=\"20\" " +
         "text-anchor=\"end\">" + html_escape(unit) + "</text>\n";
  return out + "</svg>\n";
}

std::string drawdown_chart(const std::string& id, const std::vector<EquityPoint>& equity,
                           const std::vector<double>& depth) {
  Frame frame;
  frame.height = 200;
  std::string out = svg_open(id, frame.height, "drawdown below the running peak");
  const size_t count = std::min(equity.size(), depth.size());
  TimeSpan span;
  double deepest = 0;
  for (size_t i = 0; i < count; ++i) {
    span.first_ns = std::min(span.first_ns, equity[i].time_ns);
    span.last_ns = std::max(span.last_ns, equity[i].time_ns);
    if (std::isfinite(depth[i])) deepest = std::max(deepest, depth[i]);
  }
  // Never narrower than 1%, so a tiny drawdown is not drawn as a cliff.
  frame.y_min = -std::max(deepest * 1.1, 0.01);
  frame.y_max = 0;
  out += frame_box(frame);
  if (span.empty()) return out + no_data(frame, "No equity points") + "</svg>\n";
  const auto to_x = linear_time(frame, span);
  out += y_axis(frame, [](double value, double step) {
    return report_text::format_percent(
        value, std::max(0, -static_cast<int>(std::floor(std::log10(step * 100)))));
  });
  out += time_axis(frame, span.first_ns, span.last_ns, to_x);
  std::vector<ScreenPoint> points;
  for (size_t i = 0; i < count; ++i) {
    const double d = std::isfinite(depth[i]) ? depth[i] : 0.0;
    points.push_back({*to_x(equity[i].time_ns), frame.y(-d)});
  }
  const std::vector<ScreenPoint> kept = decimate(points);
  const double zero_y = frame.y(0);
  out += "<path class=\"drawdown-area\" d=\"" + polyline_path(kept) + " L" +
         xy(kept.back().x, zero_y) + " " + xy(kept.front().x, zero_y) + " Z\"/>\n";
  return out + "</svg>\n";
}

}  // namespace cephalo::report_svg
