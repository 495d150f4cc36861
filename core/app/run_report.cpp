// Thread-safety: see run_report.hpp.
#include "run_report.hpp"

#include "report/slot_report.hpp"

namespace cephalo {

namespace {

// The backtest JSON's `risk` section: verdict counts overall, by tier and by rule, and events.
nlohmann::json risk_counts_json(const RiskCounts& counts) {
  nlohmann::json tiers = nlohmann::json::object();
  for (RiskTier tier : {RiskTier::kPosition, RiskTier::kStrategy, RiskTier::kAccount}) {
    const RiskRuleCount count = counts.of(tier);
    tiers[risk_tier_name(tier)] = {{"passed", count.passed}, {"refused", count.refused}};
  }
  nlohmann::json rules = nlohmann::json::object();
  for (size_t i = 0; i < kRiskRuleCount; ++i) {
    const auto rule = static_cast<RiskRule>(i);
    const RiskRuleCount& count = counts.of(rule);
    if (count.passed + count.refused == 0) continue;
    rules[risk_rule_name(rule)] = {{"tier", risk_tier_name(tier_of(rule))},
                                   {"passed", count.passed},
                                   {"refused", count.refused}};
  }
  return {{"intents", counts.intents},
          {"allowed", counts.allowed},
          {"refused", counts.refused},
          {"exits", counts.exits},
          {"by_tier", tiers},
          {"by_rule", rules},
          {"loss_pauses", counts.loss_pauses},
          {"daily_loss_halts", counts.daily_loss_halts},
          {"drawdown_halts", counts.drawdown_halts},
          {"kills", counts.kills},
          {"protective_exits",
           {{"stop_loss", counts.stop_loss_exits},
            {"take_profit", counts.take_profit_exits},
            {"trailing_stop", counts.trailing_stop_exits}}}};
}

// What a slot's run is called in reports: its strategies, or the trading mode that runs on its own
// (grid, dca) when it has no strategy.
std::string run_name(const SlotConfig& slot) {
  std::string name;
  for (const auto& use : slot.strategies) name += (name.empty() ? "" : "+") + use.tentacle;
  if (name.empty() && slot.trading_mode) name = slot.trading_mode->tentacle;
  return name;
}

}  // namespace

void build_run_report(const Config& config, const std::vector<SlotConfig>& slots,
                      const Pipeline& pipeline, const EventLoop& loop, RunAccounts& accounts,
                      int64_t main_interval_ns, RunSummary& summary) {
  const auto& counts = pipeline.stats().events_by_type;
  summary.events = loop.dispatched();
  summary.candles = counts[CEPHALO_EVENT_CANDLE];
  summary.evaluations = counts[CEPHALO_EVENT_EVALUATION];
  summary.signals = counts[CEPHALO_EVENT_SIGNAL];
  summary.order_intents = counts[CEPHALO_EVENT_ORDER_INTENT];
  summary.errors = counts[CEPHALO_EVENT_ERROR];
  summary.quarantined = pipeline.stats().quarantined;
  summary.live_slot = pipeline.slot_name(pipeline.live_slot());
  if (accounts.venues.empty() || config.mode == RunMode::kLive) return;

  std::vector<SlotReport> reports;
  for (SlotIndex index = 0; index < slots.size(); ++index) {
    const SlotConfig& slot = slots[index];
    SlotReport report;
    report.name = slot.name;
    for (const auto& use : slot.strategies) report.strategies.push_back(use.tentacle);
    report.trading_mode = slot.trading_mode ? slot.trading_mode->tentacle : "";
    report.capital_share = slot.capital_share;
    report.live = index == pipeline.live_slot();
    report.input = accounts.venues[index]->finish(
        run_name(slot), static_cast<int64_t>(summary.candles), main_interval_ns);
    report.input.extra["risk"] = risk_counts_json(accounts.risks[index]->counts());
    reports.push_back(std::move(report));
  }
  if (config.slots.empty()) {
    summary.backtest = std::move(reports.front().input);
  } else {
    std::string name = "A/B slots";
    for (size_t i = 0; i < reports.size(); ++i) {
      name += (i == 0 ? ": " : " vs ") + reports[i].name + " (" + run_name(slots[i]) + ")";
    }
    summary.backtest = combine_slots(reports, name);
    add_slots_section(reports, BootstrapSettings{}, summary.backtest->extra);
  }
  // Which rows of the database are this report's (cephalo runs show ID); none when unstored.
  if (!summary.database.empty()) summary.backtest->extra["run_id"] = summary.run_id;
}

}  // namespace cephalo
