// Names of risk tiers and rules, decision summaries and the number format of reasons.
// Thread-safety: pure functions.
#include "risk/risk_verdict.hpp"

#include <charconv>
#include <system_error>

namespace cephalo {

RiskTier tier_of(RiskRule rule) {
  if (rule <= RiskRule::kMaxLeverage) return RiskTier::kPosition;
  if (rule <= RiskRule::kPairCooldown) return RiskTier::kStrategy;
  return RiskTier::kAccount;
}

const char* risk_tier_name(RiskTier tier) {
  switch (tier) {
    case RiskTier::kPosition:
      return "position";
    case RiskTier::kStrategy:
      return "strategy";
    case RiskTier::kAccount:
      return "account";
  }
  return "unknown";
}

const char* risk_rule_name(RiskRule rule) {
  switch (rule) {
    case RiskRule::kReducesRisk:
      return "reduces_risk";
    case RiskRule::kIntentValid:
      return "intent_valid";
    case RiskRule::kStopRequired:
      return "stop_required";
    case RiskRule::kStopSide:
      return "stop_side";
    case RiskRule::kMaxPositionFraction:
      return "max_position_fraction";
    case RiskRule::kMaxPositionQuote:
      return "max_position_quote";
    case RiskRule::kMaxLeverage:
      return "max_leverage";
    case RiskRule::kLossStreakPause:
      return "loss_streak_pause";
    case RiskRule::kMinConfidence:
      return "min_confidence";
    case RiskRule::kMaxTradesPerDay:
      return "max_trades_per_day";
    case RiskRule::kMaxOpenPositions:
      return "max_open_positions";
    case RiskRule::kPairCooldown:
      return "pair_cooldown";
    case RiskRule::kKillSwitch:
      return "kill_switch";
    case RiskRule::kDrawdownHalt:
      return "drawdown_halt";
    case RiskRule::kDailyLoss:
      return "daily_loss";
    case RiskRule::kMaxExposure:
      return "max_exposure";
    case RiskRule::kMaxOpenOrders:
      return "max_open_orders";
    case RiskRule::kEntriesPaused:
      return "entries_paused";
  }
  return "unknown";
}

const RiskVerdict* RiskDecision::first_refusal() const {
  for (const RiskVerdict& verdict : verdicts) {
    if (!verdict.allowed) return &verdict;
  }
  return nullptr;
}

std::string RiskDecision::refusal_text() const {
  std::string text;
  for (const RiskVerdict& verdict : verdicts) {
    if (verdict.allowed) continue;
    if (!text.empty()) text += "; ";
    text += risk_rule_name(verdict.rule);
    text += ": ";
    text += verdict.reason;
  }
  return text;
}

RiskRuleCount RiskCounts::of(RiskTier tier) const {
  RiskRuleCount sum;
  for (size_t i = 0; i < kRiskRuleCount; ++i) {
    if (tier_of(static_cast<RiskRule>(i)) != tier) continue;
    sum.passed += by_rule[i].passed;
    sum.refused += by_rule[i].refused;
  }
  return sum;
}

std::string format_risk_number(double value) {
  // Shortest text that reads back exactly (fixed or scientific, whichever is shorter: 600 stays
  // "600"), and fast: every verdict of every intent carries numbers in its reason.
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) return "?";
  return std::string(buffer, end);
}

}  // namespace cephalo
