// Candle columns and the per-pair price chart with its trade markers.
#include <algorithm>
#include <cmath>
#include <limits>

#include "report/svg_charts.hpp"
#include "report/svg_frame.hpp"
#include "report/text_format.hpp"

namespace cephalo::report_svg {

using report_text::html_escape;

size_t candle_bucket_size(size_t bars, size_t max_columns) {
  if (max_columns == 0 || bars <= max_columns) return 1;
  return (bars + max_columns - 1) / max_columns;
}

std::vector<CandleColumn> aggregate_candles(const CandleSeries& series, size_t max_columns) {
  const size_t bars = std::min({series.open_time_ns.size(), series.open.size(), series.high.size(),
                                series.low.size(), series.close.size()});
  const size_t bucket = candle_bucket_size(bars, max_columns);
  std::vector<CandleColumn> columns;
  for (size_t first = 0; first < bars; first += bucket) {
    const size_t end = std::min(bars, first + bucket);
    CandleColumn column;
    column.open_time_ns = series.open_time_ns[first];
    column.first_bar = first;
    column.open = series.open[first];
    column.close = series.close[end - 1];
    column.high = *std::max_element(series.high.begin() + static_cast<std::ptrdiff_t>(first),
                                    series.high.begin() + static_cast<std::ptrdiff_t>(end));
    column.low = *std::min_element(series.low.begin() + static_cast<std::ptrdiff_t>(first),
                                   series.low.begin() + static_cast<std::ptrdiff_t>(end));
    columns.push_back(column);
  }
  return columns;
}
std::string candle_chart(const std::string& id, const CandleSeries& series,
                         const std::vector<ClosedTrade>& trades,
                         const std::vector<OpenPosition>& open_positions) {
  Frame frame;
  frame.height = 380;
  std::string out = svg_open(id, frame.height, series.pair + " candles with trades");
  const std::vector<CandleColumn> columns = aggregate_candles(series, kMaxCandleColumns);
  if (columns.empty()) {
    fit_range(frame, 0, 1, 0);
    return out + frame_box(frame) + no_data(frame, "No candles for " + series.pair) + "</svg>\n";
  }
  const size_t bars = std::min({series.open_time_ns.size(), series.open.size(), series.high.size(),
                                series.low.size(), series.close.size()});
  const size_t bucket = candle_bucket_size(bars, kMaxCandleColumns);
  const double column_width = frame.plot_width() / static_cast<double>(columns.size());
  auto column_x = [&](size_t column) {
    return frame.plot_left() + (static_cast<double>(column) + 0.5) * column_width;
  };
  // A time's marker goes to the column holding the bar open at that time (clamped to the chart).
  auto marker_x = [&](int64_t time_ns) {
    const auto begin = series.open_time_ns.begin();
    const auto end = begin + static_cast<std::ptrdiff_t>(bars);
    const auto after = std::upper_bound(begin, end, time_ns);
    const size_t bar = after == begin ? 0 : static_cast<size_t>(after - begin) - 1;
    return column_x(std::min(bar / bucket, columns.size() - 1));
  };

  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  auto include = [&](double price) {
    if (std::isfinite(price) && price > 0) {
      low = std::min(low, price);
      high = std::max(high, price);
    }
  };
  for (const auto& column : columns) {
    include(column.low);
    include(column.high);
  }
  for (const auto& trade : trades) {
    include(trade.entry_price);
    include(trade.exit_price);
  }
  for (const auto& position : open_positions) include(position.entry_price);
  fit_range(frame, low, high, 0.04);
  out += frame_box(frame);
  out += y_axis(frame, price_label);
  const int64_t first_ns = columns.front().open_time_ns;
  const int64_t last_ns = series.open_time_ns[bars - 1];
  out += time_axis(frame, first_ns, last_ns, [&](int64_t time_ns) -> std::optional<double> {
    if (time_ns < first_ns || time_ns > last_ns) return std::nullopt;
    return marker_x(time_ns);
  });

  // One path per colour keeps the file small: thousands of candles are a few elements.
  std::string wicks[2], bodies[2];
  const double body_width = std::max(column_width * 0.7, 0.6);
  for (size_t c = 0; c < columns.size(); ++c) {
    const CandleColumn& column = columns[c];
    if (!std::isfinite(column.open) || !std::isfinite(column.close)) continue;
    const int up = column.close >= column.open ? 1 : 0;
    const double x = column_x(c);
    wicks[up] += "M" + xy(x, frame.y(column.high)) + "V" + coord(frame.y(column.low));
    double top = frame.y(std::max(column.open, column.close));
    double bottom = frame.y(std::min(column.open, column.close));
    if (bottom - top < 0.6) bottom = top + 0.6;  // a doji still shows
    bodies[up] += "M" + xy(x - body_width / 2, top) + "h" + coord(body_width) + "V" +
                  coord(bottom) + "h" + coord(-body_width) + "Z";
  }
  for (int up : {1, 0}) {
    const std::string direction = up ? "up" : "down";
    out += "<path class=\"wick " + direction + "\" d=\"" + wicks[up] + "\"/>\n";
    out += "<path class=\"body " + direction + "\" d=\"" + bodies[up] + "\"/>\n";
  }

  const std::string& pair = series.pair;
  // Markers shrink on a crowded chart so the candles under them stay visible.
  const bool crowded = trades.size() + open_positions.size() > 60;
  const std::string up_triangle = crowded ? "l3.5,6h-7Z" : "l5,9h-10Z";
  const std::string down_triangle = crowded ? "l3.5,-6h-7Z" : "l5,-9h-10Z";
  std::string lines, markers;
  for (const auto& trade : trades) {
    const double x1 = marker_x(trade.entry_time_ns), y1 = frame.y(trade.entry_price);
    const double x2 = marker_x(trade.exit_time_ns), y2 = frame.y(trade.exit_price);
    lines += "<line class=\"trade-line " + std::string(trade.pnl > 0 ? "win" : "loss") +
             "\" x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
             coord(y2) + "\"/>\n";
    // Entry: a triangle pointing up at the entry price; exit: pointing down at the exit price.
    markers += "<path class=\"marker entry\" d=\"M" + xy(x1, y1) + up_triangle + "\"><title>" +
               html_escape(pair + " entry " + report_text::format_time_utc(trade.entry_time_ns) +
                           " at " + report_text::format_price(trade.entry_price)) +
               "</title></path>\n";
    markers += "<path class=\"marker exit\" d=\"M" + xy(x2, y2) + down_triangle + "\"><title>" +
               html_escape(pair + " exit (" + trade.exit_reason + ") " +
                           report_text::format_time_utc(trade.exit_time_ns) + " at " +
                           report_text::format_price(trade.exit_price) + ", pnl " +
                           report_text::format_price(trade.pnl)) +
               "</title></path>\n";
  }
  for (const auto& position : open_positions) {
    const double x = marker_x(position.entry_time_ns), y = frame.y(position.entry_price);
    markers += "<path class=\"marker entry open\" d=\"M" + xy(x, y) + up_triangle + "\"><title>" +
               html_escape(pair + " open position since " +
                           report_text::format_time_utc(position.entry_time_ns) + " at " +
                           report_text::format_price(position.entry_price)) +
               "</title></path>\n";
  }
  return out + lines + markers + "</svg>\n";
}

}  // namespace cephalo::report_svg
