// What the pipeline stores besides the events themselves: account actions (halts, kill
// switch) and the stages of an A/B promotion.
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "events/event_json.hpp"

namespace cephalo {

namespace {

std::optional<double> non_zero(double value) {
  return value != 0 ? std::optional<double>(value) : std::nullopt;
}

}  // namespace

void Pipeline::record(const Event& event) {
  if (repository_ == nullptr) return;
  const auto sequence = static_cast<int64_t>(event.sequence);
  const bool market_data = std::holds_alternative<Candle>(event.payload) ||
                           std::holds_alternative<Evaluation>(event.payload);
  if (market_data ? !journal_market_data_ : !journal_decisions_) return;
  // A timer is a tentacle's alarm clock, not a fact about the market or the account; what it
  // leads to (signals, orders) is journaled as usual.
  if (std::holds_alternative<TimerFired>(event.payload)) return;
  if (const auto* c = std::get_if<Candle>(&event.payload)) {
    // Candles have their own table; journaling each again as an event would double the volume.
    repository_->record(CandleRecord{std::string(c->symbol.view()),
                                     std::string(c->timeframe.view()), c->open_time_ns, c->open,
                                     c->high, c->low, c->close, c->volume});
    return;
  }
  if (const auto* e = std::get_if<Evaluation>(&event.payload)) {
    repository_->record(
        EvaluationRecord{sequence, event.exchange_time_ns, std::string(e->symbol.view()),
                         std::string(e->evaluator.view()), e->value, e->confidence});
  } else if (const auto* s = std::get_if<Signal>(&event.payload)) {
    repository_->record(SignalRecord{sequence, event.exchange_time_ns,
                                     std::string(s->symbol.view()), std::string(s->strategy.view()),
                                     signal_intent_name(s->intent), s->strength, s->confidence,
                                     non_zero(s->stop_price), non_zero(s->target_price)});
  } else if (const auto* i = std::get_if<OrderIntent>(&event.payload)) {
    repository_->record(
        OrderIntentRecord{sequence, event.exchange_time_ns, std::string(i->symbol.view()),
                          std::string(i->source.view()), slots_[i->slot].name, side_name(i->side),
                          order_type_name(i->type), time_in_force_name(i->time_in_force),
                          i->quantity, non_zero(i->price), non_zero(i->stop_price), i->tag});
  } else if (!std::holds_alternative<Fill>(event.payload)) {
    // Errors and the rest: the events table is their journal. Fills are not: the venue stores
    // each in the fills table with its trade id, so a second copy would only double the writes.
    repository_->record(EventRecord{sequence, event_type_name(event.type()), event.exchange_time_ns,
                                    event.receive_time_ns, payload_json_text(event.payload)});
  }
}

void Pipeline::record_account_action(const AccountAction& action, int64_t time_ns, const char* rule,
                                     const std::string& slot) {
  logger_->warn("risk: {}", action.reason);
  if (repository_ != nullptr) {
    repository_->record(RiskVerdictRecord{0, time_ns, "account", rule, 0, false, action.reason,
                                          kNoFigure, kNoFigure, slot});
  }
}

void Pipeline::record_promotion(const char* stage, const std::string& slot, const std::string& from,
                                const std::string& by, const std::string& detail) {
  if (repository_ == nullptr) return;
  const int64_t time_ns = now_ns();
  nlohmann::json payload{{"slot", slot}, {"from", from}, {"by", by}, {"stage", stage}};
  if (!detail.empty()) payload[std::string(stage) == "refused" ? "reason" : "detail"] = detail;
  // Its sequence is the last event dispatched before it: order intents journaled with a higher
  // sequence were dispatched after this stage (the order_intents table has no shared rowids).
  repository_->record(EventRecord{static_cast<int64_t>(last_dispatched_), "slot_promoted", time_ns,
                                  time_ns, payload.dump()});
}

}  // namespace cephalo
