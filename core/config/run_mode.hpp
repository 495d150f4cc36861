// The three ways the bot runs, named once: the config's `mode` (its schema takes the names from
// here), the runs table, the logs and the control API all spell a mode through this table.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cephalo {

enum class RunMode { kBacktest, kPaper, kLive };

inline constexpr std::array<std::pair<RunMode, std::string_view>, 3> kRunModeNames{{
    {RunMode::kBacktest, "backtest"},  // replays candle files as fast as it can, simulated fills
    {RunMode::kPaper, "paper"},        // replays (optionally paced) as a live market, simulated fills
    {RunMode::kLive, "live"},          // streams from the exchange and trades a real account
}};

inline std::string_view mode_name(RunMode mode) {
  for (const auto& [value, name] : kRunModeNames) {
    if (value == mode) return name;
  }
  return "unknown";
}

// For messages: "a " + mode_text(mode) + " run".
inline std::string mode_text(RunMode mode) { return std::string(mode_name(mode)); }

inline std::optional<RunMode> run_mode_named(std::string_view name) {
  for (const auto& [value, text] : kRunModeNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

inline std::vector<std::string> run_mode_names() {
  std::vector<std::string> names;
  names.reserve(kRunModeNames.size());
  for (const auto& entry : kRunModeNames) names.emplace_back(entry.second);
  return names;
}

}  // namespace cephalo
