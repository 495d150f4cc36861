// The risk tiers around the venue: trades and equity seen by the risk engine, account halts,
// the kill switch and resuming, ATR-following stops, and the pre-trade check of every intent.
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "model/market.hpp"

namespace cephalo {

void Pipeline::risk_sees_trades(Slot& slot, int64_t time_ns) {
  RiskEngine* risk = slot.risk;
  ExecutionVenue* venue = slot.venue;
  for (const EventPayload& payload : venue_events_) {
    if (const auto* fill = std::get_if<Fill>(&payload)) {
      risk->on_fill(RiskFill{std::string(fill->symbol.view()), fill->side, fill->quantity,
                             fill->price, time_ns});
    }
  }
  if (venue->has_closed_trades()) {
    for (const ClosedTrade& trade : venue->take_closed_trades()) {
      risk->on_trade_closed(
          TradeOutcome{trade.pair, trade.pnl, trade.exit_reason, trade.exit_time_ns});
      if (activity_ != nullptr) {
        activity_->on_closed_trade(static_cast<SlotIndex>(&slot - slots_.data()), trade);
      }
    }
  }
}

void Pipeline::halt_account(Slot& slot, const AccountAction& action, int64_t time_ns) {
  record_account_action(action, time_ns, "halt", slot.name);
  slot.venue->apply(action, time_ns, venue_events_);
}

void Pipeline::set_risk(RiskEngine* risk, SlotIndex index) {
  Slot& slot = slots_.at(index);
  slot.risk = risk;
  slot.atr_spec.clear();
  if (risk != nullptr && risk->config().position.stop_loss_atr_multiple > 0) {
    slot.atr_spec = "atr:" + std::to_string(risk->config().position.atr_period);
  }
}

Status Pipeline::resume_trading(const std::string& reason) {
  bool resumed = false;
  const int64_t time_ns = now_ns();
  for (Slot& slot : slots_) {
    if (slot.risk == nullptr) continue;
    slot.risk->resume();
    const std::string why = slots_.size() > 1 ? reason + " (slot " + slot.name + ")" : reason;
    logger_->warn("risk: trading resumed {}", why);
    journal_.account_action(time_ns, "resume", true, why, slot.name);
    resumed = true;
  }
  if (!resumed) return Error{"resume: this run has no risk engine (no venue)"};
  return Ok{};
}

void Pipeline::kill_slot(Slot& slot, SlotIndex index, const std::string& reason) {
  const int64_t time_ns = now_ns();
  const AccountAction action = slot.risk->kill(reason);
  record_account_action(action, time_ns, "kill_switch", slot.name);
  if (slot.venue != nullptr) {
    slot.venue->apply(action, time_ns, venue_events_);
    emit_all(venue_events_, index);
  }
}

Status Pipeline::kill_switch(const std::string& reason) {
  bool killed = false;
  for (SlotIndex index = 0; index < slots_.size(); ++index) {
    if (slots_[index].risk == nullptr) continue;
    kill_slot(slots_[index], index,
              slots_.size() > 1 ? reason + " (slot " + slots_[index].name + ")" : reason);
    killed = true;
  }
  if (!killed) return Error{"kill switch: this run has no risk engine (no venue)"};
  return Ok{};
}

void Pipeline::set_atr_from_history(Slot& slot, const Candle& candle) {
  double atr = 0;
  uint32_t count = 0;
  std::string error;
  if (indicators_.values(candle.symbol, candle.timeframe, slot.atr_spec.c_str(),
                         history_.find(candle.symbol, candle.timeframe), &atr, 1, &count,
                         error) == CEPHALO_OK) {
    slot.risk->set_atr(candle.symbol.view(), atr);
  }
}

bool Pipeline::allowed_by_risk(Slot& slot, const OrderIntent& intent, const Event& event) {
  RiskEngine* risk = slot.risk;
  ExecutionVenue* venue = slot.venue;
  if (risk == nullptr) return true;
  IntentToCheck check;
  check.symbol = std::string(intent.symbol.view());
  check.side = intent.side;
  check.quantity = intent.quantity;
  check.price = intent.price > 0        ? intent.price
                : intent.stop_price > 0 ? intent.stop_price
                                        : venue->last_price(check.symbol);
  if (const auto found = slot.last_signal.find(intent.symbol.c_str());
      found != slot.last_signal.end()) {
    check.confidence = found->second.confidence;
    check.stop_price = found->second.stop_price;
    check.target_price = found->second.target_price;
  }
  // The engine's own reused decision: valid until its next judge(), which no code below makes.
  const RiskDecision& decision = risk->judge(check, venue->account_view(), event.exchange_time_ns);
  journal_.risk_verdicts(event, decision, slot.name);
  if (decision.allowed) return true;
  const std::string reason = "risk: " + decision.refusal_text();
  logger_->info("{} {} {} refused by {}", side_name(intent.side), intent.quantity,
                intent.symbol.view(), reason);
  venue->refuse(intent, event.exchange_time_ns, reason);
  return false;
}

void Pipeline::record_account_action(const AccountAction& action, int64_t time_ns, const char* rule,
                                     const std::string& slot) {
  logger_->warn("risk: {}", action.reason);
  journal_.account_action(time_ns, rule, false, action.reason, slot);
}

}  // namespace cephalo
