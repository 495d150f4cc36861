// RiskVerdict and RiskDecision: what each rule said about an order intent, and the counts by rule.
// Thread-safety: plain values; the name functions are pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cephalo {

enum class RiskTier { kPosition, kStrategy, kAccount };

// Listed tier by tier, in the order the engine checks them.
enum class RiskRule {
  // Position tier.
  kReducesRisk,  // an exit: the only verdict an exit gets, and it always allows
  kIntentValid,
  kStopRequired,
  kStopSide,
  kMaxPositionFraction,
  kMaxPositionQuote,
  kMaxLeverage,
  // Strategy tier.
  kLossStreakPause,
  kMinConfidence,
  kMaxTradesPerDay,
  kMaxOpenPositions,
  kPairCooldown,
  // Account tier.
  kKillSwitch,
  kDrawdownHalt,
  kDailyLoss,
  kMaxExposure,
  kMaxOpenOrders,
  // An operator's pause of entries (the command/query set's pause_entries); account tier. Judged
  // only while on, so a run that is never paused counts no verdict of it.
  kEntriesPaused,
};
inline constexpr size_t kRiskRuleCount = static_cast<size_t>(RiskRule::kEntriesPaused) + 1;

RiskTier tier_of(RiskRule rule);
// snake_case, stable: they are keys in the backtest JSON and values in storage.
const char* risk_tier_name(RiskTier tier);
const char* risk_rule_name(RiskRule rule);

// One rule's verdict on one intent. `value` and `limit` are the two numbers compared, in the unit
// the reason names (quote currency, a fraction of equity, a count); both 0 for yes/no rules.
struct RiskVerdict {
  RiskTier tier = RiskTier::kPosition;
  RiskRule rule = RiskRule::kIntentValid;
  bool allowed = true;
  double value = 0;
  double limit = 0;
  std::string reason;  // for people: names the rule's numbers and, on refusal, what to change
};

// Never a shrunk order: the intent goes through as it is, or not at all.
struct RiskDecision {
  bool allowed = true;
  bool reduces_risk = false;          // an exit: entry limits were not applied
  std::vector<RiskVerdict> verdicts;  // every rule checked, position tier first

  // The first refusal, or nullptr when allowed.
  const RiskVerdict* first_refusal() const;
  // "rule: reason" of every refusal joined by "; ", empty when allowed.
  std::string refusal_text() const;
};

struct RiskRuleCount {
  uint64_t passed = 0;
  uint64_t refused = 0;
};

// Counts for the backtest JSON `risk` section; to_json lives with the report, not here.
struct RiskCounts {
  uint64_t intents = 0;  // every evaluate() call
  uint64_t allowed = 0;
  uint64_t refused = 0;
  uint64_t exits = 0;  // intents classed as risk-reducing (always allowed)
  std::array<RiskRuleCount, kRiskRuleCount> by_rule{};  // indexed by RiskRule
  uint64_t stop_loss_exits = 0, take_profit_exits = 0, trailing_stop_exits = 0;  // from on_bar
  uint64_t loss_pauses = 0, daily_loss_halts = 0, drawdown_halts = 0, kills = 0;

  const RiskRuleCount& of(RiskRule rule) const { return by_rule[static_cast<size_t>(rule)]; }
  // Summed over the rules of one tier.
  RiskRuleCount of(RiskTier tier) const;
};

// Shortest text that reads back as the same double ("0.1", "1e-08"), for reasons and messages.
std::string format_risk_number(double value);

}  // namespace cephalo
