#include "report/console_summary.hpp"

#include <algorithm>

#include "report/slot_report.hpp"
#include "report/summary_rows.hpp"
#include "report/text_format.hpp"

namespace cephalo {
namespace {

// Columns padded to their widest cell; the first column is left-aligned, numbers right-aligned.
std::string text_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = " ";
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const std::string pad(widths[c] - std::min(widths[c], cell.size()), ' ');
      if (c == 0) {
        out.append(cell).append(pad);
      } else {
        out.append("  ").append(pad).append(cell);
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  size_t total = 1;
  for (size_t c = 0; c < widths.size(); ++c) total += widths[c] + (c == 0 ? 0 : 2);
  std::string out = line(header) + " " + std::string(total - 1, '-') + "\n";
  for (const auto& row : rows) out += line(row);
  return out;
}

}  // namespace

std::string format_console_summary(const BacktestInput& input, const Metrics& metrics) {
  using namespace report_text;
  const int decimals = amount_decimals(input.starting_cash);
  std::string out =
      "Backtest of " + (input.strategy_name.empty() ? "(unnamed strategy)" : input.strategy_name);
  if (!input.config_file.empty()) out += " (" + input.config_file + ")";
  out += "\n\n";

  std::vector<std::vector<std::string>> rows;
  for (const auto& row : summary_rows(input, metrics)) rows.push_back({row.label, row.value});
  out += text_table({"Metric", "Value"}, rows);

  rows.clear();
  for (const auto& pair : metrics.per_pair) {
    rows.push_back({pair.pair, std::to_string(pair.trades),
                    pair.trades > 0 ? format_percent(pair.win_rate) : "-",
                    format_fixed(pair.pnl, decimals), format_fixed(pair.fees, decimals)});
  }
  const std::string unit = input.quote_currency.empty() ? "" : " (" + input.quote_currency + ")";
  out += "\nPer pair\n";
  out += rows.empty()
             ? " (no pairs)\n"
             : text_table({"Pair", "Trades", "Win rate", "Pnl" + unit, "Fees" + unit}, rows);

  rows.clear();
  for (const auto& reason : metrics.per_exit_reason) {
    rows.push_back({reason.reason.empty() ? "(untagged)" : reason.reason,
                    std::to_string(reason.count), format_fixed(reason.pnl, decimals)});
  }
  out += "\nPer exit reason\n";
  out += rows.empty() ? " (no closed trades)\n"
                      : text_table({"Exit reason", "Trades", "Pnl" + unit}, rows);
  return out;
}

std::string format_problems(const std::vector<Problem>& problems) {
  if (problems.empty()) return "";
  std::string out = "\nProblems (" + std::to_string(problems.size()) + "):\n";
  for (const Problem& problem : problems) {
    out += " " + problem.kind + " " + problem.where;
    if (problem.count > 1) out += " (x" + std::to_string(problem.count) + ")";
    out += ": " + problem.message + "\n";
  }
  return out;
}

std::string format_slots_summary(const nlohmann::json& extra) {
  const auto tables = slot_tables(extra);
  if (!tables) return "";
  std::string out = "\nA/B slots (each its own sub-account; the metrics above are all of them)\n";
  out += text_table(tables->side_by_side.header, tables->side_by_side.rows);
  if (!tables->comparison.rows.empty()) {
    out += "\nCompared with the first slot\n";
    out += text_table(tables->comparison.header, tables->comparison.rows);
    out += " " + tables->method_note + "\n";
  }
  return out;
}

}  // namespace cephalo
