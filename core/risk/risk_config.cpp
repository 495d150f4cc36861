// Validation of RiskConfig: reports every nonsense limit, not just the first.
// Thread-safety: pure functions.
#include "risk/risk_config.hpp"

#include <cmath>

#include "risk/risk_verdict.hpp"

namespace cephalo {
namespace {

class Problems {
 public:
  void add(const char* key, const std::string& what, double found, const char* fix) {
    list_.push_back(std::string(key) + ": " + what + ", found " + format_risk_number(found) + "; " +
                    fix);
  }
  // Finite and >= 0; returns whether it is, so callers skip checks that would only repeat it.
  bool non_negative(const char* key, double value) {
    if (!std::isfinite(value)) {
      add(key, "expected a finite number", value, "write a plain number");
      return false;
    }
    if (value < 0) {
      add(key, "expected 0 or more", value, "remove the minus sign (0 turns a limit off)");
      return false;
    }
    return true;
  }
  // Fractions a position or account cannot lose more than all of.
  void below_one(const char* key, double value, const char* why) {
    if (non_negative(key, value) && value >= 1) add(key, why, value, "write a fraction below 1");
  }
  std::vector<std::string> take() { return std::move(list_); }

 private:
  std::vector<std::string> list_;
};

}  // namespace

std::vector<std::string> validate(const RiskConfig& config) {
  Problems problems;
  const PositionRiskConfig& pos = config.position;
  problems.below_one("position.stop_loss_fraction", pos.stop_loss_fraction,
                     "a stop 100% or more away from the entry can never trigger for a long");
  problems.non_negative("position.stop_loss_atr_multiple", pos.stop_loss_atr_multiple);
  problems.non_negative("position.take_profit_fraction", pos.take_profit_fraction);
  problems.below_one("position.trailing_stop_fraction", pos.trailing_stop_fraction,
                     "a trail 100% or more below the high can never trigger");
  problems.non_negative("position.trailing_activation_fraction", pos.trailing_activation_fraction);
  // Only a usable leverage is compared with the limits that depend on it, so one mistake is
  // reported once.
  bool leverage_ok = problems.non_negative("position.max_leverage", pos.max_leverage);
  if (leverage_ok && pos.max_leverage < 1) {
    leverage_ok = false;
    problems.add("position.max_leverage", "expected 1 (spot) or more", pos.max_leverage,
                 "use account.max_exposure_fraction to keep part of the equity uninvested");
  }
  if (problems.non_negative("position.max_position_fraction", pos.max_position_fraction)) {
    if (pos.max_position_fraction == 0) {
      problems.add("position.max_position_fraction", "expected more than 0 (it cannot be off)", 0,
                   "write 1 to allow a position as large as the equity");
    } else if (leverage_ok && pos.max_position_fraction > pos.max_leverage) {
      problems.add("position.max_position_fraction",
                   "a position larger than the equity needs leverage; max_leverage is " +
                       format_risk_number(pos.max_leverage),
                   pos.max_position_fraction,
                   "lower it to at most max_leverage or raise position.max_leverage");
    }
  }
  problems.non_negative("position.max_position_quote", pos.max_position_quote);
  if (pos.atr_period < 1) {
    problems.add("position.atr_period", "expected 1 or more bars", pos.atr_period,
                 "write the ATR's period in bars (14 is usual)");
  }

  const StrategyRiskConfig& strat = config.strategy;
  problems.non_negative("strategy.max_consecutive_losses", strat.max_consecutive_losses);
  problems.non_negative("strategy.loss_pause_bars", strat.loss_pause_bars);
  problems.non_negative("strategy.loss_pause_ns", static_cast<double>(strat.loss_pause_ns));
  if (strat.max_consecutive_losses > 0 && strat.loss_pause_bars <= 0 && strat.loss_pause_ns <= 0) {
    problems.add("strategy.max_consecutive_losses", "a loss pause needs a length",
                 strat.max_consecutive_losses,
                 "set strategy.loss_pause_bars or strategy.loss_pause_ns");
  }
  if (problems.non_negative("strategy.min_confidence", strat.min_confidence) &&
      strat.min_confidence > 1) {
    problems.add("strategy.min_confidence", "confidence is between 0 and 1", strat.min_confidence,
                 "write a value from 0 to 1");
  }
  problems.non_negative("strategy.max_trades_per_day", strat.max_trades_per_day);
  problems.non_negative("strategy.max_open_positions", strat.max_open_positions);
  problems.non_negative("strategy.stop_out_cooldown_bars", strat.stop_out_cooldown_bars);
  problems.non_negative("strategy.stop_out_cooldown_ns",
                        static_cast<double>(strat.stop_out_cooldown_ns));

  const AccountRiskConfig& acct = config.account;
  problems.below_one("account.max_daily_loss_fraction", acct.max_daily_loss_fraction,
                     "losing 100% of the day's equity is no limit");
  problems.below_one("account.max_drawdown_fraction", acct.max_drawdown_fraction,
                     "a drawdown of 100% or more is no limit");
  // UTC−12:00 to UTC+14:00 are the offsets in use anywhere.
  if (acct.day_start_utc_offset_minutes < -720 || acct.day_start_utc_offset_minutes > 840) {
    problems.add("account.day_start_utc_offset_minutes",
                 "expected an offset from -720 (UTC-12) to 840 (UTC+14) minutes",
                 acct.day_start_utc_offset_minutes, "write the time zone's offset in minutes");
  }
  if (problems.non_negative("account.max_exposure_fraction", acct.max_exposure_fraction)) {
    if (acct.max_exposure_fraction == 0) {
      problems.add("account.max_exposure_fraction", "expected more than 0 (it cannot be off)", 0,
                   "write 1 to allow the whole equity to be invested");
    } else if (leverage_ok && acct.max_exposure_fraction > pos.max_leverage) {
      problems.add("account.max_exposure_fraction",
                   "exposure above the equity needs leverage; max_leverage is " +
                       format_risk_number(pos.max_leverage),
                   acct.max_exposure_fraction,
                   "lower it to at most position.max_leverage or raise position.max_leverage");
    }
  }
  problems.non_negative("account.max_open_orders", acct.max_open_orders);
  return problems.take();
}

}  // namespace cephalo
