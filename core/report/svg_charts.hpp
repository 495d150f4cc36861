// Inline SVG charts for the HTML report: equity, drawdown, and candles with trade markers.
// Thread-safety: pure functions of their arguments.
//
// Charts are drawn in C++ so the report needs no script and no network, and tests can read them.
// Coordinates are in a fixed viewBox (1200 wide); the page scales the SVG to its width.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/backtest_records.hpp"
#include "report/backtest_report.hpp"

namespace cephalo::report_svg {

// Candle columns per chart: a long series is aggregated so each column stays about 2 px wide.
constexpr size_t kMaxCandleColumns = 600;

// One drawn column: `bars` consecutive candles merged (first open, highest high, lowest low,
// last close). Prices in quote currency.
struct CandleColumn {
  int64_t open_time_ns = 0;  // of the first candle merged
  size_t first_bar = 0;      // index of that candle in the series
  double open = 0, high = 0, low = 0, close = 0;
};

// Candles merged per column so that at most `max_columns` remain (1 for a short series).
size_t candle_bucket_size(size_t bars, size_t max_columns);
std::vector<CandleColumn> aggregate_candles(const CandleSeries& series, size_t max_columns);

struct LineSeries {
  std::string css_class;  // styles the line, e.g. "equity-line"
  std::string label;      // legend text (escaped here)
  std::vector<EquityPoint> points;
};

// Lines over time in quote currency with a dashed reference level (the starting cash).
std::string line_chart(const std::string& id, const std::vector<LineSeries>& lines,
                       double reference_level, const std::string& unit);

// Depth below the running peak (fractions >= 0, one per point), drawn downwards from 0%.
std::string drawdown_chart(const std::string& id, const std::vector<EquityPoint>& equity,
                           const std::vector<double>& depth);

// One pair's candles with an entry marker per trade and open position, an exit marker per trade
// and a line joining each trade's entry and exit (green for a gain, red otherwise).
std::string candle_chart(const std::string& id, const CandleSeries& series,
                         const std::vector<ClosedTrade>& trades,
                         const std::vector<OpenPosition>& open_positions);

}  // namespace cephalo::report_svg
