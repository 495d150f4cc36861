// RiskEngine::evaluate: the rules of the three tiers applied to one order intent.
// Thread-safety: see risk_engine.hpp (one thread).
#include <cmath>
#include <string_view>
#include <type_traits>

#include "risk/risk_engine.hpp"

namespace cephalo {
namespace {

std::string_view text(std::string_view s) {
  return s;
}
std::string text(double value) {
  return format_risk_number(value);
}

// "a b c" from numbers and strings, so reasons read as sentences without stream boilerplate.
template <class... Parts>
std::string say(const Parts&... parts) {
  std::string out;
  ((out += text(parts)), ...);
  return out;
}

// Limits met exactly by a size computed from them pass (see kRiskTolerance).
bool within(double value, double limit) {
  return value <= limit + std::fabs(limit) * kRiskTolerance;
}

// A verdict's reason is built only when someone reads it: always for a refusal, for a pass only
// when passes are explained (journaled). An intent passes a dozen rules, and formatting their
// figures would otherwise cost more than checking them.
class VerdictList {
 public:
  VerdictList(RiskDecision& decision, bool explain_passes)
      : decision_(decision), explain_passes_(explain_passes) {}
  // `reason`: a text, or a callable that makes it.
  template <class Reason>
  void add(RiskRule rule, bool allowed, double value, double limit, const Reason& reason) {
    std::string text;
    if (!allowed || explain_passes_) {
      if constexpr (std::is_invocable_v<const Reason&>) {
        text = reason();
      } else {
        text = reason;
      }
    }
    decision_.verdicts.push_back(
        RiskVerdict{tier_of(rule), rule, allowed, value, limit, std::move(text)});
  }

 private:
  RiskDecision& decision_;
  bool explain_passes_;
};

}  // namespace

RiskDecision RiskEngine::evaluate(const IntentToCheck& intent, const AccountView& account,
                                  int64_t now_ns) {
  RiskDecision decision;
  evaluate_into(intent, account, now_ns, decision);
  return decision;
}

const RiskDecision& RiskEngine::judge(const IntentToCheck& intent, const AccountView& account,
                                      int64_t now_ns) {
  judged_.allowed = true;
  judged_.reduces_risk = false;
  judged_.verdicts.clear();  // keeps its capacity
  evaluate_into(intent, account, now_ns, judged_);
  return judged_;
}

void RiskEngine::evaluate_into(const IntentToCheck& intent, const AccountView& account,
                               int64_t now_ns, RiskDecision& decision) {
  // An intent meets at most one verdict per rule: one allocation, never a regrowth.
  decision.verdicts.reserve(kRiskRuleCount);
  const double held = position_quantity(account, intent.symbol);
  const bool opposite = (held > 0 && intent.side == CEPHALO_SIDE_SELL) ||
                        (held < 0 && intent.side == CEPHALO_SIDE_BUY);
  const bool valid_quantity = std::isfinite(intent.quantity) && intent.quantity > 0;
  // Judged from the account, not from the proposer's say-so: a tentacle cannot call an entry an
  // exit to slip past the limits. An exit larger than the position reverses it, so is an entry.
  if (valid_quantity && opposite && within(intent.quantity, std::fabs(held))) {
    decision.reduces_risk = true;
    VerdictList(decision, explain_passes_)
        .add(RiskRule::kReducesRisk, true, intent.quantity, std::fabs(held), [&] {
          return std::string(say("exit of ", intent.quantity, " of a position of ", std::fabs(held),
                                 " (base): entry limits do not apply"));
        });
  } else {
    check_entry(intent, account, now_ns, decision);
  }

  decision.allowed = decision.first_refusal() == nullptr;
  ++counts_.intents;
  ++(decision.allowed ? counts_.allowed : counts_.refused);
  if (decision.reduces_risk) ++counts_.exits;
  for (const RiskVerdict& verdict : decision.verdicts) {
    RiskRuleCount& count = counts_.by_rule[static_cast<size_t>(verdict.rule)];
    ++(verdict.allowed ? count.passed : count.refused);
  }
  if (decision.allowed && !decision.reduces_risk) {
    // Counted when approved, not when filled: orders approved together in one bar must not all
    // slip under the daily count before any of them fills.
    const int64_t day = day_of(now_ns);
    if (day != trades_day_) {
      trades_day_ = day;
      trades_today_ = 0;
    }
    ++trades_today_;
    pending_[intent.symbol] = PendingEntry{intent.stop_price, intent.target_price};
  }
}

void RiskEngine::check_entry(const IntentToCheck& intent, const AccountView& account,
                             int64_t now_ns, RiskDecision& decision) const {
  VerdictList verdicts(decision, explain_passes_);
  const PositionRiskConfig& position = config_.position;
  const StrategyRiskConfig& strategy = config_.strategy;
  const AccountRiskConfig& acct = config_.account;
  const bool is_long = intent.side == CEPHALO_SIDE_BUY;

  // ---- Position tier.
  const bool valid = std::isfinite(intent.quantity) && intent.quantity > 0 &&
                     std::isfinite(intent.price) && intent.price > 0 &&
                     std::isfinite(intent.stop_price) && intent.stop_price >= 0 &&
                     std::isfinite(intent.target_price) && intent.target_price >= 0 &&
                     std::isfinite(account.equity);
  verdicts.add(RiskRule::kIntentValid, valid, intent.quantity, 0, [&] {
    return std::string(
        valid ? say("quantity ", intent.quantity, " at ", intent.price, " (quote per base)")
              : say("an entry needs a quantity and a price estimate above 0 and finite "
                    "stop, target and equity; found quantity ",
                    intent.quantity, ", price ", intent.price, ", stop ", intent.stop_price,
                    ", target ", intent.target_price, ", equity ", account.equity));
  });
  // The other rules' arithmetic would be meaningless on these numbers.
  if (!valid) return;

  if (intent.stop_price > 0) {
    const bool right_side =
        is_long ? intent.stop_price < intent.price : intent.stop_price > intent.price;
    verdicts.add(RiskRule::kStopSide, right_side, intent.stop_price, intent.price, [&] {
      return std::string(say("stop ", intent.stop_price, right_side ? " is " : " must be ",
                             is_long ? "below" : "above", " the entry estimate ", intent.price));
    });
  }
  if (position.require_stop_on_entry) {
    const ProtectiveLevels levels =
        entry_levels(position, is_long, intent.price, intent.stop_price, 0, atr_of(intent.symbol));
    const bool has_stop = levels.stop > 0;
    verdicts.add(RiskRule::kStopRequired, has_stop, levels.stop, 0, [&] {
      return std::string(
          has_stop ? say("stop loss at ", levels.stop)
                   : std::string("every entry needs a stop loss: the signal gave none and "
                                 "no position.stop_loss_fraction (or ATR for "
                                 "stop_loss_atr_multiple) is available"));
    });
  }

  const double equity = account.equity;
  const double quantity_after = worst_case_quantity(
      account, intent.symbol, is_long ? intent.quantity : 0, is_long ? 0 : intent.quantity);
  const double notional = quantity_after * intent.price;
  const double position_limit = position.max_position_fraction * equity;
  verdicts.add(RiskRule::kMaxPositionFraction, within(notional, position_limit), notional,
               position_limit, [&] {
                 return std::string(say("position after the fill ", notional,
                                        " quote (resting orders counted) vs ",
                                        position.max_position_fraction, " of equity ", equity,
                                        " = ", position_limit, " quote"));
               });
  if (position.max_position_quote > 0) {
    verdicts.add(RiskRule::kMaxPositionQuote, within(notional, position.max_position_quote),
                 notional, position.max_position_quote, [&] {
                   return std::string(say("position after the fill ", notional, " quote vs limit ",
                                          position.max_position_quote, " quote"));
                 });
  }
  const double gross = gross_notional_except(account, intent.symbol) + notional;
  const double leverage_limit = position.max_leverage * equity;
  verdicts.add(RiskRule::kMaxLeverage, within(gross, leverage_limit), gross, leverage_limit, [&] {
    return std::string(say("gross exposure after the fill ", gross, " quote vs leverage ",
                           position.max_leverage, " × equity ", equity, " = ", leverage_limit,
                           " quote"));
  });

  // ---- Strategy tier.
  if (strategy.max_consecutive_losses > 0) {
    const bool paused = active(loss_pause_, now_ns);
    verdicts.add(
        RiskRule::kLossStreakPause, !paused, consecutive_losses_, strategy.max_consecutive_losses,
        [&] {
          return std::string(paused ? say("paused after ", strategy.max_consecutive_losses,
                                          " consecutive losses until ",
                                          static_cast<double>(loss_pause_.until_ns), " ns and bar ",
                                          static_cast<double>(loss_pause_.until_bar), " (now bar ",
                                          static_cast<double>(bars_seen_), ")")
                                    : say(consecutive_losses_, " consecutive losses of ",
                                          strategy.max_consecutive_losses, " allowed"));
        });
  }
  if (strategy.min_confidence > 0) {
    if (intent.confidence) {
      const bool enough = *intent.confidence >= strategy.min_confidence;
      verdicts.add(
          RiskRule::kMinConfidence, enough, *intent.confidence, strategy.min_confidence, [&] {
            return std::string(say("signal confidence ", *intent.confidence,
                                   enough ? " >= " : " < ", "minimum ", strategy.min_confidence));
          });
    } else {
      verdicts.add(RiskRule::kMinConfidence, true, 0, strategy.min_confidence,
                   "no signal confidence given: not filtered");
    }
  }
  if (strategy.max_trades_per_day > 0) {
    const int today = day_of(now_ns) == trades_day_ ? trades_today_ : 0;
    const bool room = today < strategy.max_trades_per_day;
    verdicts.add(RiskRule::kMaxTradesPerDay, room, today + 1, strategy.max_trades_per_day, [&] {
      return std::string(say("this would be entry ", today + 1, " of the trading day; limit ",
                             strategy.max_trades_per_day));
    });
  }
  if (strategy.max_open_positions > 0) {
    const int count =
        open_position_count_except(account, intent.symbol) + (quantity_after > 0 ? 1 : 0);
    const bool room = count <= strategy.max_open_positions;
    verdicts.add(RiskRule::kMaxOpenPositions, room, count, strategy.max_open_positions, [&] {
      return std::string(say("open positions after the fill ", count,
                             " (resting entries counted); limit ", strategy.max_open_positions));
    });
  }
  if (strategy.stop_out_cooldown_bars > 0 || strategy.stop_out_cooldown_ns > 0) {
    auto found = pair_cooldowns_.find(intent.symbol);
    const bool cooling = found != pair_cooldowns_.end() && active(found->second, now_ns);
    verdicts.add(RiskRule::kPairCooldown, !cooling, 0, 0, [&] {
      return std::string(cooling ? say(intent.symbol, " was stopped out: no entry until ",
                                       static_cast<double>(found->second.until_ns), " ns and bar ",
                                       static_cast<double>(found->second.until_bar), " (now bar ",
                                       static_cast<double>(bars_seen_), ")")
                                 : say(intent.symbol, " is not cooling down after a stop-out"));
    });
  }

  // ---- Account tier.
  verdicts.add(
      RiskRule::kKillSwitch, !killed_, 0, 0,
      killed_ ? "the kill switch is on: no entries until resumed" : "the kill switch is off");
  if (entries_paused_) {
    verdicts.add(RiskRule::kEntriesPaused, false, 0, 0, [&] {
      return say("entries paused by an operator (", pause_reason_,
                 "): no entries until resume_entries");
    });
  }
  if (acct.max_drawdown_fraction > 0) {
    const double drawdown = peak_equity_ > 0 ? (peak_equity_ - equity) / peak_equity_ : 0;
    verdicts.add(
        RiskRule::kDrawdownHalt, !drawdown_halted_, drawdown, acct.max_drawdown_fraction, [&] {
          return std::string(drawdown_halted_
                                 ? say("halted: drawdown from peak equity ", peak_equity_,
                                       " reached the limit ", acct.max_drawdown_fraction)
                                 : say("drawdown ", drawdown, " of peak equity ", peak_equity_,
                                       " vs limit ", acct.max_drawdown_fraction));
        });
  }
  if (acct.max_daily_loss_fraction > 0) {
    const bool halted_today = daily_halt_day_ == day_of(now_ns);
    verdicts.add(RiskRule::kDailyLoss, !halted_today, start_of_day_equity_ - equity,
                 acct.max_daily_loss_fraction * start_of_day_equity_, [&] {
                   return std::string(
                       halted_today
                           ? say("the daily loss limit ", acct.max_daily_loss_fraction,
                                 " of start-of-day equity ", start_of_day_equity_,
                                 " was reached: no entries until the next trading day")
                           : say("day's loss ", start_of_day_equity_ - equity, " quote vs limit ",
                                 acct.max_daily_loss_fraction * start_of_day_equity_));
                 });
  }
  const double exposure_limit = acct.max_exposure_fraction * equity;
  verdicts.add(RiskRule::kMaxExposure, within(gross, exposure_limit), gross, exposure_limit, [&] {
    return std::string(say("gross exposure after the fill ", gross, " quote vs ",
                           acct.max_exposure_fraction, " of equity ", equity, " = ", exposure_limit,
                           " quote"));
  });
  if (acct.max_open_orders > 0) {
    const double orders = static_cast<double>(account.open_orders.size()) + 1;
    const bool room = orders <= acct.max_open_orders;
    verdicts.add(RiskRule::kMaxOpenOrders, room, orders, acct.max_open_orders, [&] {
      return std::string(
          say("open orders with this one ", orders, "; limit ", acct.max_open_orders));
    });
  }
}

}  // namespace cephalo
