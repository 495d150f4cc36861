// A/B slots in the reports: the whole account made of the slots' sub-accounts, the JSON `slots`
// and `slot_comparison` sections, and the side-by-side tables the console and HTML reports draw.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/backtest_report.hpp"
#include "report/slot_comparison.hpp"

namespace cephalo {

// One slot's run: what it was and its own sub-account's records.
struct SlotReport {
  std::string name;
  std::vector<std::string> strategies;  // tentacle names
  std::string trading_mode;             // "" without one
  double capital_share = 1;
  bool live = false;  // the live slot at the end of the run
  BacktestInput input;
};

// The whole account: the sub-accounts added up. Starting cash and equity are sums (the equity
// curve summed at every bar time), trades and rejections merged in time order, candles the first
// slot's (every slot sees the same market).
BacktestInput combine_slots(const std::vector<SlotReport>& slots, const std::string& strategy_name);

// Adds `slots` (one object per slot: name, live, capital_share, strategies, trading_mode,
// starting_cash, final_equity, the report's metrics, its risk counts, and its comparison with the
// first slot) and `slot_comparison` (the method, seed and confidence) to `extra`.
void add_slots_section(const std::vector<SlotReport>& slots, const BootstrapSettings& settings,
                       nlohmann::json& extra);

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// What the console and HTML reports show from those sections: the slots side by side, each
// slot's difference from the first with its interval and significance, and a line on the method.
struct SlotTables {
  TextTable side_by_side;
  TextTable comparison;
  std::string method_note;
};
std::optional<SlotTables> slot_tables(const nlohmann::json& extra);  // nullopt without `slots`

}  // namespace cephalo
