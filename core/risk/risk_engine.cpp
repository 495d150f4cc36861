// RiskEngine's state: tracked positions and their protective exits, loss streaks, cooldowns,
// daily loss, drawdown and the kill switch.
// Thread-safety: see risk_engine.hpp (one thread).
#include "risk/risk_engine.hpp"

#include <algorithm>
#include <cmath>

namespace cephalo {
namespace {

double sign_of(double value) {
  return value < 0 ? -1 : 1;
}

}  // namespace

void RiskEngine::set_atr(std::string_view symbol, double atr) {
  if (!std::isfinite(atr) || atr < 0) return;
  auto found = atr_.find(symbol);
  if (found == atr_.end()) {
    atr_.emplace(std::string(symbol), atr);
  } else {
    found->second = atr;
  }
}

double RiskEngine::atr_of(std::string_view symbol) const {
  auto found = atr_.find(symbol);
  return found == atr_.end() ? 0 : found->second;
}

const TrackedPosition* RiskEngine::position(std::string_view symbol) const {
  auto found = positions_.find(symbol);
  return found == positions_.end() ? nullptr : &found->second;
}

void RiskEngine::place_levels(const std::string& symbol, TrackedPosition& position) {
  PendingEntry hints;
  if (auto found = pending_.find(symbol); found != pending_.end()) hints = found->second;
  // The trail is kept: it ratchets from the highs seen, which adding to a position does not undo.
  const double trailing = position.levels.trailing_stop;
  position.levels = entry_levels(config_.position, position.quantity > 0, position.entry_price,
                                 hints.stop, hints.target, atr_of(symbol));
  position.levels.trailing_stop = trailing;
  const ProtectiveLevels& levels = position.levels;
  if (levels.stop > 0 || levels.target > 0 || levels.trailing_stop > 0) levels_possible_ = true;
}

void RiskEngine::open_position(const std::string& symbol, double signed_quantity, double price,
                               int64_t time_ns) {
  TrackedPosition& position = positions_[symbol];
  position = TrackedPosition{};
  position.quantity = signed_quantity;
  position.entry_price = price;
  position.opened_ns = time_ns;
  position.trail.extreme = price;
  place_levels(symbol, position);
  // The entry is the first price of the trail: with no activation offset it arms right here.
  advance_trail(config_.position, signed_quantity > 0, price, BarPrices{price, price, price, price},
                position.trail, position.levels);
}

void RiskEngine::on_fill(const RiskFill& fill) {
  if (!std::isfinite(fill.quantity) || !std::isfinite(fill.price) || fill.quantity <= 0 ||
      fill.price <= 0) {
    return;
  }
  const double delta = fill.side == CEPHALO_SIDE_BUY ? fill.quantity : -fill.quantity;
  auto found = positions_.find(fill.symbol);
  if (found == positions_.end()) {
    open_position(fill.symbol, delta, fill.price, fill.time_ns);
    return;
  }
  TrackedPosition& position = found->second;
  const double after = position.quantity + delta;
  if (sign_of(delta) == sign_of(position.quantity)) {
    position.entry_price =
        (std::fabs(position.quantity) * position.entry_price + fill.quantity * fill.price) /
        std::fabs(after);
    position.quantity = after;
    place_levels(fill.symbol, position);
    return;
  }
  // Dust left by rounding is flat: a stop on it would only produce refused orders.
  if (std::fabs(after) <= kRiskTolerance * std::fabs(position.quantity)) {
    positions_.erase(found);
    if (positions_.empty()) levels_possible_ = false;
    if (auto pending = pending_.find(fill.symbol); pending != pending_.end()) {
      pending->second = PendingEntry{};
    }
    return;
  }
  if (sign_of(after) == sign_of(position.quantity)) {
    position.quantity = after;
    return;
  }
  // Reversed through flat: the remainder is a new position entered at this fill's price.
  open_position(fill.symbol, after, fill.price, fill.time_ns);
}

void RiskEngine::on_trade_closed(const TradeOutcome& outcome) {
  const StrategyRiskConfig& strategy = config_.strategy;
  if (outcome.pnl < 0) {
    ++consecutive_losses_;
    if (strategy.max_consecutive_losses > 0 &&
        consecutive_losses_ >= strategy.max_consecutive_losses) {
      loss_pause_ =
          Cooldown{outcome.time_ns + strategy.loss_pause_ns, bars_seen_ + strategy.loss_pause_bars};
      consecutive_losses_ = 0;
      ++counts_.loss_pauses;
    }
  } else {
    consecutive_losses_ = 0;
  }
  const bool stopped_out =
      outcome.exit_reason == "stop_loss" || outcome.exit_reason == "trailing_stop";
  if (stopped_out && (strategy.stop_out_cooldown_bars > 0 || strategy.stop_out_cooldown_ns > 0)) {
    pair_cooldowns_[outcome.symbol] = Cooldown{outcome.time_ns + strategy.stop_out_cooldown_ns,
                                               bars_seen_ + strategy.stop_out_cooldown_bars};
  }
}

void RiskEngine::start_equity_day(double equity, int64_t time_ns) {
  const int64_t day = day_of(time_ns);
  const int64_t day_start_ns =
      day * kNsPerDay - int64_t{config_.account.day_start_utc_offset_minutes} * 60'000'000'000;
  if (!any_equity_) {
    any_equity_ = true;
    start_of_day_equity_ = equity;
    peak_equity_ = equity;
    equity_day_ = day;
    equity_day_start_ns_ = day_start_ns;
  } else if (day != equity_day_) {
    // The day starts with the last equity valued at or before its midnight: this one if it
    // sits exactly on the boundary (a bar closing at midnight), else the previous one.
    start_of_day_equity_ = time_ns == day_start_ns ? equity : last_equity_;
    equity_day_ = day;
    equity_day_start_ns_ = day_start_ns;
  }
}

AccountAction RiskEngine::start_halt(double equity, bool daily_halt, bool drawdown_halt) {
  const AccountRiskConfig& account = config_.account;
  AccountAction action;
  if (daily_halt) {
    const double day_loss = start_of_day_equity_ - equity;
    daily_halt_day_ = equity_day_;
    ++counts_.daily_loss_halts;
    action.cancel_entry_orders = true;
    action.flatten_all = account.flatten_on_daily_loss;
    action.reason = "daily loss " + format_risk_number(day_loss) + " reached " +
                    format_risk_number(account.max_daily_loss_fraction) +
                    " of start-of-day equity " + format_risk_number(start_of_day_equity_) +
                    ": no entries until the next trading day";
  }
  if (drawdown_halt) {
    const double drawdown = peak_equity_ - equity;
    drawdown_halted_ = true;
    ++counts_.drawdown_halts;
    action.cancel_entry_orders = true;
    action.flatten_all = action.flatten_all || account.flatten_on_drawdown;
    if (!action.reason.empty()) action.reason += "; ";
    action.reason += "drawdown " + format_risk_number(drawdown) + " reached " +
                     format_risk_number(account.max_drawdown_fraction) + " of peak equity " +
                     format_risk_number(peak_equity_) + ": halted until resumed";
  }
  return action;
}

std::optional<ProtectiveExit> RiskEngine::exit_in_bar(std::string_view symbol,
                                                      const BarPrices& bar) {
  auto found = positions_.find(symbol);
  if (found == positions_.end()) return std::nullopt;
  TrackedPosition& position = found->second;
  const bool is_long = position.quantity > 0;
  const std::optional<BarExit> exit = protective_exit_in_bar(is_long, position.levels, bar);
  advance_trail(config_.position, is_long, position.entry_price, bar, position.trail,
                position.levels);
  if (!exit) return std::nullopt;
  switch (exit->reason) {
    case ProtectiveExitReason::kStopLoss:
      ++counts_.stop_loss_exits;
      break;
    case ProtectiveExitReason::kTakeProfit:
      ++counts_.take_profit_exits;
      break;
    case ProtectiveExitReason::kTrailingStop:
      ++counts_.trailing_stop_exits;
      break;
  }
  return ProtectiveExit{found->first, is_long ? CEPHALO_SIDE_SELL : CEPHALO_SIDE_BUY,
                        std::fabs(position.quantity), *exit};
}

AccountAction RiskEngine::kill(const std::string& reason) {
  killed_ = true;
  ++counts_.kills;
  AccountAction action;
  action.cancel_entry_orders = true;
  action.cancel_all_orders = true;
  action.reason = reason.empty() ? "kill switch" : "kill switch: " + reason;
  return action;
}

void RiskEngine::resume() {
  killed_ = false;
  drawdown_halted_ = false;
  daily_halt_day_.reset();
  loss_pause_ = Cooldown{};
  consecutive_losses_ = 0;
  peak_equity_ = last_equity_;
}

RiskState RiskEngine::state(int64_t now_ns) const {
  RiskState state;
  state.killed = killed_;
  state.drawdown_halted = drawdown_halted_;
  state.daily_loss_halted = daily_halt_day_ == day_of(now_ns);
  state.loss_paused = active(loss_pause_, now_ns);
  state.entries_paused = entries_paused_;
  state.consecutive_losses = consecutive_losses_;
  state.start_of_day_equity = start_of_day_equity_;
  state.peak_equity = peak_equity_;
  return state;
}

}  // namespace cephalo
