// The machine-readable backtest report: one JSON document with the run's records and metrics.
// Thread-safety: pure functions of their arguments; the file writer is safe for distinct paths.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/result.hpp"
#include "report/backtest_report.hpp"
#include "report/metrics.hpp"

namespace cephalo {

// The report's "metrics" object (for a slot's own metrics in the "slots" section too).
nlohmann::ordered_json metrics_to_json(const Metrics& metrics);

// Top-level keys every report has, in output order; `input.extra` may not reuse them, nor
// "problems", which follows them when the run had problems.
const std::vector<std::string>& backtest_json_keys();

// The same input gives byte-identical output: keys in a fixed order, no wall-clock time, doubles
// in a form that reads back to the same double. Times are integer ms since epoch UTC (floored),
// durations integer ms; money in quote currency; undefined metrics are null. A run with problems
// has a "problems" array after "buy_and_hold" ({kind, where, message, count} each); a clean run
// has no such key. `input.extra`'s keys follow the report's own. Fails when extra is neither null
// nor an object, or reuses a report key.
Result<std::string> write_backtest_json(const BacktestInput& input, const Metrics& metrics);

// write_backtest_json, then write_report_file.
Status write_backtest_json_file(const std::filesystem::path& path, const BacktestInput& input,
                                const Metrics& metrics);

}  // namespace cephalo
