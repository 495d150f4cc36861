// Thread-safety: see pipeline_journal.hpp.
#include "host/pipeline_journal.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "events/event_json.hpp"

namespace cephalo {

namespace {

std::optional<double> non_zero(double value) {
  return value != 0 ? std::optional<double>(value) : std::nullopt;
}

}  // namespace

void PipelineJournal::event(const Event& event, std::string_view intent_slot) {
  if (repository_ == nullptr) return;
  const auto sequence = static_cast<int64_t>(event.sequence);
  const bool market_data = std::holds_alternative<Candle>(event.payload) ||
                           std::holds_alternative<Evaluation>(event.payload);
  if (market_data ? !market_data_ : !decisions_) return;
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
    repository_->record(OrderIntentRecord{
        sequence, event.exchange_time_ns, std::string(i->symbol.view()),
        std::string(i->source.view()), std::string(intent_slot), side_name(i->side),
        order_type_name(i->type), time_in_force_name(i->time_in_force), i->quantity,
        non_zero(i->price), non_zero(i->stop_price), i->tag});
  } else if (!std::holds_alternative<Fill>(event.payload)) {
    // Errors and the rest: the events table is their journal. Fills are not: the venue stores
    // each in the fills table with its trade id, so a second copy would only double the writes.
    repository_->record(EventRecord{sequence, event_type_name(event.type()), event.exchange_time_ns,
                                    event.receive_time_ns, payload_json_text(event.payload)});
  }
}

void PipelineJournal::risk_verdicts(const Event& intent_event, const RiskDecision& decision,
                                    const std::string& slot) {
  if (!stores_decisions()) return;
  const auto sequence = static_cast<int64_t>(intent_event.sequence);
  for (const RiskVerdict& verdict : decision.verdicts) {
    repository_->record(RiskVerdictRecord{sequence, intent_event.exchange_time_ns,
                                          risk_tier_name(verdict.tier),
                                          risk_rule_name(verdict.rule), sequence, verdict.allowed,
                                          verdict.reason, verdict.value, verdict.limit, slot});
  }
}

void PipelineJournal::account_action(int64_t time_ns, const char* rule, bool allowed,
                                     const std::string& reason, const std::string& slot) {
  if (repository_ == nullptr) return;
  repository_->record(RiskVerdictRecord{0, time_ns, "account", rule, 0, allowed, reason, kNoFigure,
                                        kNoFigure, slot});
}

void PipelineJournal::tentacle(TentacleLoadRecord record) {
  if (repository_ != nullptr) repository_->record(std::move(record));
}

void PipelineJournal::promotion(int64_t time_ns, const char* stage, const std::string& slot,
                                const std::string& from, const std::string& by,
                                const std::string& detail) {
  if (repository_ == nullptr) return;
  nlohmann::json payload{{"slot", slot}, {"from", from}, {"by", by}, {"stage", stage}};
  if (!detail.empty()) payload[std::string(stage) == "refused" ? "reason" : "detail"] = detail;
  // Its sequence is the last event dispatched before it: order intents journaled with a higher
  // sequence were dispatched after this stage (the order_intents table has no shared rowids).
  repository_->record(EventRecord{static_cast<int64_t>(last_dispatched_), "slot_promoted", time_ns,
                                  time_ns, payload.dump()});
}

}  // namespace cephalo
