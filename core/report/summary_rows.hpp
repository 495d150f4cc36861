// The key figures of a backtest as label/value text, for the console and HTML reports alike.
// Thread-safety: pure function of its arguments.
//
// One list for both, so the terminal and the page always show the same figures, formatted alike.
#pragma once

#include <string>
#include <vector>

#include "report/backtest_report.hpp"
#include "report/metrics.hpp"

namespace cephalo {

struct SummaryRow {
  std::string key;    // stable identifier (the JSON metric name where there is one)
  std::string label;  // for people
  std::string value;  // formatted, with its unit; "n/a" for an undefined metric
};

std::vector<SummaryRow> summary_rows(const BacktestInput& input, const Metrics& metrics);

}  // namespace cephalo
