// The human-readable backtest report: one self-contained HTML file with charts and tables.
// Thread-safety: pure functions of their arguments; the file writer is safe for distinct paths.
//
// The file opens offline: charts are inline SVG, styles inline, no script, and a
// Content-Security-Policy that forbids loading anything. Element ids a browser test can rely on:
// metrics-table, equity-chart, drawdown-chart, candles-<pair> (whitespace in the pair becomes _),
// trades-table, per-pair-table, exit-reasons-table, open-positions-table, rejected-orders-table,
// buy-and-hold-table. Each table has one <tr> in its <tbody> per record.
#pragma once

#include <filesystem>
#include <string>

#include "model/result.hpp"
#include "report/backtest_report.hpp"
#include "report/metrics.hpp"

namespace cephalo {

// Deterministic: the same input gives byte-identical output (no "generated at" time).
std::string write_backtest_html(const BacktestInput& input, const Metrics& metrics);

// write_backtest_html, then write_report_file.
Status write_backtest_html_file(const std::filesystem::path& path, const BacktestInput& input,
                                const Metrics& metrics);

// The id of a pair's candle chart: "candles-" + pair, whitespace replaced by '_'.
std::string candle_chart_id(const std::string& pair);

}  // namespace cephalo
