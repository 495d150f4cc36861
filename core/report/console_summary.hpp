// The end-of-backtest summary for the terminal: key metrics, per-pair and per-exit-reason tables.
// Thread-safety: pure function of its arguments.
#pragma once

#include <string>

#include "report/backtest_report.hpp"
#include "report/metrics.hpp"

namespace cephalo {

// Plain ASCII lines ending in '\n', no colour codes, so it reads the same in a log file.
std::string format_console_summary(const BacktestInput& input, const Metrics& metrics);

// The A/B slots side by side and each one's difference from the first with its significance,
// from the report's `slots` and `slot_comparison` sections; "" when there are none.
std::string format_slots_summary(const nlohmann::json& extra);

// "Problems (N): ..." with one line per problem (its count when more than one); "" when none.
std::string format_problems(const std::vector<Problem>& problems);

}  // namespace cephalo
