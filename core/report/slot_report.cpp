// Slot sections of the reports, built from the slots' own BacktestInputs.
// Thread-safety: see slot_report.hpp.
#include "report/slot_report.hpp"

#include <algorithm>
#include <map>

#include "report/metrics.hpp"
#include "report/report_json.hpp"
#include "report/text_format.hpp"

namespace cephalo {

namespace {

nlohmann::json estimate_json(const DifferenceEstimate& estimate) {
  const auto nullable = [](const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  return {{"difference", nullable(estimate.difference)}, {"ci_low", nullable(estimate.low)},
          {"ci_high", nullable(estimate.high)},          {"significant", estimate.significant},
          {"baseline_n", estimate.baseline_count},       {"other_n", estimate.other_count}};
}

std::string join(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

double number_or(const nlohmann::json& object, const char* key, double fallback) {
  return object.contains(key) && object[key].is_number() ? object[key].get<double>() : fallback;
}

std::string optional_number(const nlohmann::json& object, const char* key, int decimals,
                            bool percent) {
  if (!object.contains(key) || !object[key].is_number()) return "n/a";
  const double value = object[key].get<double>();
  return percent ? report_text::format_percent(value, decimals)
                 : report_text::format_fixed(value, decimals);
}

// "+0.52% [-0.10%, +1.20%]" or "n/a (3 and 1 trades)".
std::string estimate_text(const nlohmann::json& estimate, bool percent, const char* unit) {
  if (!estimate.is_object() || !estimate["difference"].is_number()) {
    return "n/a (" + std::to_string(estimate.value("baseline_n", 0)) + " and " +
           std::to_string(estimate.value("other_n", 0)) + " " + unit + ")";
  }
  const auto shown = [percent](double value) {
    const std::string text =
        percent ? report_text::format_percent(value, 3) : report_text::format_fixed(value, 3);
    return value > 0 ? "+" + text : text;
  };
  std::string out = shown(estimate["difference"].get<double>());
  if (estimate["ci_low"].is_number() && estimate["ci_high"].is_number()) {
    out += " [" + shown(estimate["ci_low"].get<double>()) + ", " +
           shown(estimate["ci_high"].get<double>()) + "]";
  }
  return out;
}

}  // namespace

BacktestInput combine_slots(const std::vector<SlotReport>& slots,
                            const std::string& strategy_name) {
  BacktestInput all;
  all.strategy_name = strategy_name;
  if (slots.empty()) return all;
  const BacktestInput& first = slots.front().input;
  all.config_file = first.config_file;
  all.quote_currency = first.quote_currency;
  all.bars = first.bars;
  all.start_time_ns = first.start_time_ns;
  all.end_time_ns = first.end_time_ns;
  all.bar_interval_ns = first.bar_interval_ns;
  all.candles = first.candles;
  std::map<int64_t, double> equity;  // by time: the sum of every slot's last equity then
  for (const SlotReport& slot : slots) {
    const BacktestInput& input = slot.input;
    all.starting_cash += input.starting_cash;
    all.final_equity += input.final_equity;
    all.start_time_ns = std::min(all.start_time_ns, input.start_time_ns);
    all.end_time_ns = std::max(all.end_time_ns, input.end_time_ns);
    all.trades.insert(all.trades.end(), input.trades.begin(), input.trades.end());
    all.open_positions.insert(all.open_positions.end(), input.open_positions.begin(),
                              input.open_positions.end());
    all.rejected_orders.insert(all.rejected_orders.end(), input.rejected_orders.begin(),
                               input.rejected_orders.end());
    for (const EquityPoint& point : input.equity) equity[point.time_ns];
  }
  // A slot without a point at some time still holds what it last had (its starting cash before
  // its first point), so the sum never dips because one curve is sparser.
  for (const SlotReport& slot : slots) {
    double last = slot.input.starting_cash;
    auto next = slot.input.equity.begin();
    for (auto& [time_ns, sum] : equity) {
      while (next != slot.input.equity.end() && next->time_ns <= time_ns) last = (next++)->equity;
      sum += last;
    }
  }
  for (const auto& [time_ns, sum] : equity) all.equity.push_back({time_ns, sum});
  std::stable_sort(
      all.trades.begin(), all.trades.end(),
      [](const ClosedTrade& a, const ClosedTrade& b) { return a.exit_time_ns < b.exit_time_ns; });
  std::stable_sort(
      all.rejected_orders.begin(), all.rejected_orders.end(),
      [](const RejectedOrder& a, const RejectedOrder& b) { return a.time_ns < b.time_ns; });
  return all;
}

void add_slots_section(const std::vector<SlotReport>& slots, const BootstrapSettings& settings,
                       nlohmann::json& extra) {
  if (slots.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < slots.size(); ++i) {
    const SlotReport& slot = slots[i];
    const Metrics metrics = compute_metrics(slot.input);
    nlohmann::json row = {{"name", slot.name},
                          {"live", slot.live},
                          {"capital_share", slot.capital_share},
                          {"strategies", slot.strategies},
                          {"trading_mode", slot.trading_mode},
                          {"starting_cash", slot.input.starting_cash},
                          {"final_equity", slot.input.final_equity},
                          {"metrics", nlohmann::json(metrics_to_json(metrics))},
                          {"comparison", nullptr}};
    if (slot.input.extra.is_object() && slot.input.extra.contains("risk")) {
      row["risk"] = slot.input.extra["risk"];
    }
    if (i > 0) {
      const SlotComparison comparison = compare_slots(slots.front().input, slot.input, settings);
      row["comparison"] = {{"baseline", slots.front().name},
                           {"mean_trade_return", estimate_json(comparison.mean_trade_return)},
                           {"sharpe", estimate_json(comparison.sharpe)},
                           {"sharpe_block_bars", comparison.block_length}};
    }
    rows.push_back(std::move(row));
  }
  extra["slots"] = std::move(rows);
  extra["slot_comparison"] = {
      {"baseline", slots.front().name},
      {"method", "percentile bootstrap"},
      {"seed", settings.seed},
      {"resamples", settings.resamples},
      {"confidence", settings.confidence},
      {"mean_trade_return",
       "difference (slot - baseline) in mean pnl / entry notional per closed trade; the two slots' "
       "trades resampled independently"},
      {"sharpe",
       "difference (slot - baseline) in annualised Sharpe of per-bar equity returns; bars "
       "resampled jointly in circular blocks"},
      {"significant", "the confidence interval excludes 0"}};
}

std::optional<SlotTables> slot_tables(const nlohmann::json& extra) {
  if (!extra.is_object() || !extra.contains("slots") || !extra["slots"].is_array()) {
    return std::nullopt;
  }
  SlotTables tables;
  tables.side_by_side.header = {"Slot",   "Live",   "Share",  "Strategies", "Start",    "Final",
                                "Return", "Sharpe", "Max DD", "Trades",     "Win rate", "Refused"};
  tables.comparison.header = {"Slot", "Mean trade return diff [95% CI]", "Significant",
                              "Sharpe diff [95% CI]", "Significant"};
  for (const auto& slot : extra["slots"]) {
    const nlohmann::json& m = slot.contains("metrics") ? slot["metrics"] : nlohmann::json::object();
    const double start = number_or(slot, "starting_cash", 0);
    const int decimals = report_text::amount_decimals(start);
    std::vector<std::string> strategies;
    if (slot.contains("strategies")) {
      for (const auto& name : slot["strategies"]) strategies.push_back(name.get<std::string>());
    }
    const std::string mode = slot.value("trading_mode", "");
    std::string tentacles = join(strategies, "+");
    if (!mode.empty()) tentacles += (tentacles.empty() ? "" : " / ") + mode;
    tables.side_by_side.rows.push_back(
        {slot.value("name", ""), slot.value("live", false) ? "live" : "paper",
         report_text::format_percent(number_or(slot, "capital_share", 0), 0), tentacles,
         report_text::format_fixed(start, decimals),
         report_text::format_fixed(number_or(slot, "final_equity", 0), decimals),
         optional_number(m, "total_return", 2, true), optional_number(m, "sharpe", 2, false),
         optional_number(m, "max_drawdown", 2, true), std::to_string(m.value("trade_count", 0)),
         optional_number(m, "win_rate", 1, true),
         std::to_string(slot.contains("risk") ? slot["risk"].value("refused", 0) : 0)});
    const nlohmann::json& comparison = slot["comparison"];
    if (!comparison.is_object()) continue;
    const auto significant = [](const nlohmann::json& estimate) {
      if (!estimate["difference"].is_number()) return std::string("n/a");
      return std::string(estimate.value("significant", false) ? "yes" : "no");
    };
    tables.comparison.rows.push_back(
        {slot.value("name", "") + " vs " + comparison.value("baseline", ""),
         estimate_text(comparison["mean_trade_return"], true, "trades"),
         significant(comparison["mean_trade_return"]),
         estimate_text(comparison["sharpe"], false, "bars"), significant(comparison["sharpe"])});
  }
  if (extra.contains("slot_comparison")) {
    const nlohmann::json& method = extra["slot_comparison"];
    tables.method_note =
        "Percentile bootstrap, " + std::to_string(method.value("resamples", 0)) +
        " resamples, seed " + std::to_string(method.value("seed", uint64_t{0})) + ", " +
        report_text::format_percent(method.value("confidence", 0.0), 0) +
        " confidence; significant = the interval excludes 0. Trade returns are pnl / entry "
        "notional; Sharpe is annualised, of per-bar equity returns, bars resampled jointly in "
        "blocks.";
  }
  return tables;
}

}  // namespace cephalo
