// Event routing: candles → evaluators, strategies and trading modes; evaluations → strategies;
// signals → trading modes; fills → strategies and trading modes; everything → interfaces.
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "events/event_json.hpp"
#include "model/market.hpp"
#include "risk/position_sizing.hpp"

namespace cephalo {

namespace {

// The ABI view of one event: payload structs on the stack, strings borrowed from the event.
// Only the payload the event carries is written (each fill_payload assigns every field), so a
// candle does not pay for clearing the six structs it does not use.
struct AbiEvent {
  cephalo_event event{};
  union {
    cephalo_candle candle;
    cephalo_evaluation evaluation;
    cephalo_signal signal;
    cephalo_order_intent order_intent;
    cephalo_fill fill;
    cephalo_error_event error;
    cephalo_timer timer;
  };

  explicit AbiEvent(const Event& source) {
    fill_header(source);
    std::visit([this](const auto& payload) { fill_payload(payload); }, source.payload);
  }
  // The same for an event known to carry `payload`, without looking it up again.
  AbiEvent(const Event& source, const Candle& payload) {
    fill_header(source);
    fill_payload(payload);
  }

  void fill_header(const Event& source) {
    event.struct_size = sizeof event;
    event.type = source.type();
    event.sequence = source.sequence;
    event.exchange_time_ns = source.exchange_time_ns;
    event.receive_time_ns = source.receive_time_ns;
  }

  void fill_payload(const Candle& c) {
    candle = {sizeof candle,  0,       c.symbol.c_str(), c.timeframe.c_str(),
              c.open_time_ns, c.open,  c.high,           c.low,
              c.close,        c.volume};
    event.payload.candle = &candle;
  }
  void fill_payload(const Evaluation& e) {
    evaluation = {sizeof evaluation,   0,       e.symbol.c_str(),
                  e.evaluator.c_str(), e.value, e.confidence};
    event.payload.evaluation = &evaluation;
  }
  void fill_payload(const Signal& s) {
    signal = {sizeof signal, s.intent,     s.symbol.c_str(), s.strategy.c_str(),
              s.strength,    s.confidence, s.stop_price,     s.target_price};
    event.payload.signal = &signal;
  }
  void fill_payload(const OrderIntent& o) {
    order_intent = {sizeof order_intent, o.side,  o.symbol.c_str(), o.type,       o.time_in_force,
                    o.quantity,          o.price, o.stop_price,     o.tag.c_str()};
    event.payload.order_intent = &order_intent;
  }
  void fill_payload(const Fill& f) {
    fill = {sizeof fill, f.side, f.symbol.c_str(),      f.client_order_id.c_str(), f.quantity,
            f.price,     f.fee,  f.fee_currency.c_str()};
    event.payload.fill = &fill;
  }
  void fill_payload(const ErrorInfo& e) {
    error = {sizeof error, 0, e.source.c_str(), e.message.c_str()};
    event.payload.error = &error;
  }
  void fill_payload(const TimerFired& t) {
    timer = {sizeof timer, 0, t.timer_id, t.due_ns, t.period_ns};
    event.payload.timer = &timer;
  }
};

std::optional<double> non_zero(double value) {
  return value != 0 ? std::optional<double>(value) : std::nullopt;
}

spdlog::level::level_enum spdlog_level(cephalo_log_level level) {
  switch (level) {
    case CEPHALO_LOG_TRACE:
      return spdlog::level::trace;
    case CEPHALO_LOG_DEBUG:
      return spdlog::level::debug;
    case CEPHALO_LOG_INFO:
      return spdlog::level::info;
    case CEPHALO_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

}  // namespace

Pipeline::Pipeline(EventLoop& loop, NameTable& names, Repository* repository,
                   std::shared_ptr<spdlog::logger> logger, size_t history_limit)
    : loop_(loop),
      names_(names),
      repository_(repository),
      logger_(std::move(logger)),
      history_limit_(history_limit) {}

Pipeline::~Pipeline() {
  shutdown();
}

void Pipeline::set_slots(const std::vector<std::string>& names) {
  slots_.clear();
  for (const auto& name : names) slots_.emplace_back(name);
  if (slots_.empty()) slots_.emplace_back("main");
  live_slot_ = 0;
}

Status Pipeline::add(const std::shared_ptr<TentacleLibrary>& library, const TentacleUse& use,
                     SlotIndex slot) {
  const TentacleManifest& manifest = library->manifest();
  if (slot >= slots_.size()) {
    return Error{"slot " + std::to_string(slot) + " does not exist (" +
                 std::to_string(slots_.size()) + " slots)"};
  }
  auto values = resolve_parameters(manifest, use.params);
  if (!values.ok()) return Error{values.error()};

  auto instance = std::make_unique<TentacleInstance>(library, std::move(values.value()), *this,
                                                     names_.intern(manifest.name), use);
  const cephalo_kind kind = library->descriptor().kind;
  const bool per_slot = kind == CEPHALO_KIND_STRATEGY || kind == CEPHALO_KIND_TRADING_MODE;
  instance->set_slot(per_slot ? slot : 0);
  if (auto created = instance->create(); !created.ok()) return created;
  TentacleInstance* raw = instance.get();
  instances_.push_back(std::move(instance));
  routing_of(raw->kind(), raw->slot()).push_back(raw);
  return Ok{};
}

std::vector<TentacleInstance*>& Pipeline::routing_of(cephalo_kind kind, SlotIndex slot) {
  switch (kind) {
    case CEPHALO_KIND_EVALUATOR:
      return evaluators_;
    case CEPHALO_KIND_STRATEGY:
      return slots_[slot].strategies;
    case CEPHALO_KIND_TRADING_MODE:
      return slots_[slot].trading_modes;
    default:
      return interfaces_;
  }
}

std::vector<std::shared_ptr<TentacleLibrary>> Pipeline::running_libraries(
    std::string_view tentacle) const {
  std::vector<std::shared_ptr<TentacleLibrary>> found;
  for (const auto& instance : instances_) {
    if (instance->name().view() == tentacle) found.push_back(instance->shared_library());
  }
  return found;
}

Pipeline::SwapOutcome Pipeline::swap(const std::shared_ptr<TentacleLibrary>& library,
                                     const TentacleUse* use, const SwapTarget* target) {
  SwapOutcome outcome;
  const TentacleManifest& manifest = library->manifest();
  outcome.kind = kind_to_string(manifest.kind);
  std::vector<size_t> targets;
  size_t seen_in_slot = 0;
  for (size_t i = 0; i < instances_.size(); ++i) {
    if (instances_[i]->name().view() != manifest.name) continue;
    if (target == nullptr) {
      targets.push_back(i);
    } else if (instances_[i]->slot() == target->slot && seen_in_slot++ == target->occurrence) {
      targets.push_back(i);
    }
  }
  if (targets.empty()) {
    outcome.error = "tentacle '" + manifest.name + "' is not running in this bot" +
                    (target != nullptr ? " in slot " + slot_name(target->slot) : "");
    return outcome;
  }
  outcome.from_version = instances_[targets.front()]->library().manifest().version;
  if (instances_[targets.front()]->kind() != library->descriptor().kind) {
    outcome.error = describe_tentacle(manifest) + " is a " +
                    kind_to_string(library->descriptor().kind) + ", the running one a " +
                    kind_to_string(instances_[targets.front()]->kind());
    return outcome;
  }
  if (instances_[targets.front()]->kind() == CEPHALO_KIND_INTERFACE) {
    // An interface's threads read its subscription; swapping one is a restart, not a handoff.
    outcome.error = "interfaces are not hot-swapped (their threads own their state); restart";
    return outcome;
  }

  // Everything new is built first; nothing old is touched until all of it worked.
  std::vector<std::unique_ptr<TentacleInstance>> fresh;
  for (size_t index : targets) {
    TentacleInstance& old = *instances_[index];
    const TentacleUse& chosen = use != nullptr ? *use : old.use();
    auto values = resolve_parameters(manifest, chosen.params);
    if (!values.ok()) {
      outcome.error = values.error();
      return outcome;
    }
    auto instance = std::make_unique<TentacleInstance>(library, std::move(values.value()), *this,
                                                       old.name(), chosen);
    instance->set_slot(old.slot());
    if (auto created = instance->create(); !created.ok()) {
      outcome.error = created.error();
      return outcome;
    }
    if (auto saved = old.save_state(state_buffer_); !saved.ok()) {
      outcome.error = saved.error();
      return outcome;
    }
    outcome.state_bytes += state_buffer_.size();
    const uint32_t old_version = old.library().descriptor().state_version;
    if (old_version != 0 && state_buffer_.empty()) {
      // A tentacle that declares a state format but hands over nothing: its new instance starts
      // from scratch (an open position forgotten, a duplicate entry next). Said at every swap.
      logger_->warn(
          "{} declares state_version {} but handed over 0 bytes of state: the new instance "
          "starts from scratch. Implement save_state/load_state, or declare state_version 0 "
          "(kStateVersion = 0 in the SDK) if it really keeps no state",
          describe_tentacle(old.library().manifest()), old_version);
    }
    if (old_version == library->descriptor().state_version) {
      if (auto loaded = instance->load_state(old_version, state_buffer_); !loaded.ok()) {
        outcome.error = loaded.error();
        return outcome;
      }
      outcome.handoff = "state";
    } else {
      if (auto warmed = warm_up(*instance); !warmed.ok()) {
        outcome.error = warmed.error();
        return outcome;
      }
      outcome.handoff = "warmup";
    }
    fresh.push_back(std::move(instance));
  }

  // The switch: pointers only, so the next event goes to the new instances. Timers follow the
  // tentacle: their ids are part of the state just handed over.
  for (size_t i = 0; i < targets.size(); ++i) {
    auto& slot = instances_[targets[i]];
    auto& routing = routing_of(slot->kind(), slot->slot());
    std::replace(routing.begin(), routing.end(), slot.get(), fresh[i].get());
    for (auto& [id, timer] : timers_) {
      if (timer.owner == slot.get()) timer.owner = fresh[i].get();
    }
    outcome.retired.push_back(std::exchange(slot, std::move(fresh[i])));
  }
  outcome.swapped = true;
  return outcome;
}

std::vector<const Candle*> Pipeline::recent_candles() const {
  std::vector<const Candle*> candles;
  for (const auto& [key, series] : history_) {
    for (const Candle& candle : series) candles.push_back(&candle);
  }
  // Time order across series, as the loop delivered them; ties keep a fixed series order.
  std::stable_sort(candles.begin(), candles.end(), [](const Candle* a, const Candle* b) {
    if (a->open_time_ns != b->open_time_ns) return a->open_time_ns < b->open_time_ns;
    if (a->symbol != b->symbol) return a->symbol.view() < b->symbol.view();
    return a->timeframe.view() < b->timeframe.view();
  });
  return candles;
}

Status Pipeline::warm_up(TentacleInstance& instance) {
  const std::vector<const Candle*> candles = recent_candles();
  warming_up_ = &instance;
  Status result = Ok{};
  for (const Candle* candle : candles) {
    Event event;
    event.exchange_time_ns = candle->open_time_ns;
    event.receive_time_ns = candle->open_time_ns;
    event.sequence = 0;  // history, not a new event: see the warm-up note in tentacle.h
    event.payload = *candle;
    const AbiEvent abi(event);
    if (!instance.deliver(abi.event)) {
      result = Error{"warm-up on the candle history failed: " + instance.failure()};
      break;
    }
  }
  warming_up_ = nullptr;
  return result;
}

void Pipeline::deliver_each(std::vector<TentacleInstance*>& targets, const cephalo_event& event) {
  // deliver() itself skips a quarantined instance (returning true).
  for (TentacleInstance* target : targets) {
    if (!target->deliver(event)) report_quarantine(*target);
  }
}

void Pipeline::report_quarantine(TentacleInstance& target) {
  const std::string& failure = target.failure();
  ++stats_.quarantined;
  logger_->error("{}", failure);
  if (repository_ != nullptr) {
    const auto& manifest = target.library().manifest();
    repository_->record(TentacleLoadRecord{now_ns(), manifest.name, kind_to_string(manifest.kind),
                                           manifest.version, manifest.library_path().string(),
                                           manifest.sha256, "quarantined", failure});
  }
  loop_.emit(ErrorInfo{target.name().c_str(), failure});
  if (quarantine_listener_) quarantine_listener_(target);
}

void Pipeline::dispatch(const Event& event) {
  ++stats_.events_by_type[static_cast<size_t>(event.type())];
  last_dispatched_ = event.sequence;
  if (const auto* candle = std::get_if<Candle>(&event.payload)) {
    dispatch_candle(event, *candle);
  } else {
    dispatch_decision(event);
  }
  if (!interfaces_.empty()) {
    const std::string json = event_to_json(event).dump();
    for (TentacleInstance* interface : interfaces_) interface->subscription().push(json);
  }
  // Between this event and the next: the moment a pending promotion may take effect.
  if (pending_) (void)advance_promotion();
}

// Most events of a run are candles: their path tests the payload once.
void Pipeline::dispatch_candle(const Event& event, const Candle& candle) {
  // History first: a tentacle asking for history sees the candle it is being told about.
  const SeriesKey key{candle.symbol, candle.timeframe};
  if (recent_series_ == nullptr || !(key == recent_series_key_)) {
    recent_series_ = &history_.try_emplace(key, history_limit_).first->second;
    recent_series_key_ = key;
  }
  recent_series_->push_back(candle);
  indicators_.on_candle(candle);
  if (repository_ != nullptr && journal_market_data_) record(event);
  // Every slot's sub-account sees every candle. Resting orders fill against the new candle
  // before any tentacle sees it, so the portfolio view is current when they do; the fills are
  // dispatched as events right after.
  for (SlotIndex index = 0; index < slots_.size(); ++index) {
    Slot& slot = slots_[index];
    if (slot.venue == nullptr) continue;
    const std::optional<ProtectiveExit> exit =
        risk_before_venue(slot, index, candle, event.exchange_time_ns);
    slot.venue->on_candle(candle, event.exchange_time_ns, exit ? &*exit : nullptr, venue_events_);
    after_venue(slot, event.exchange_time_ns);
    update_atr(slot, candle);
    emit_all(venue_events_, index);
  }
  const AbiEvent abi(event, candle);
  deliver_to(evaluators_, abi.event);
  for (Slot& slot : slots_) {
    deliver_to(slot.strategies, abi.event);
    deliver_to(slot.trading_modes, abi.event);
  }
}

void Pipeline::dispatch_decision(const Event& event) {
  record(event);
  if (activity_ != nullptr) {
    if (const auto* error = std::get_if<ErrorInfo>(&event.payload)) {
      activity_->on_error(*error, event.exchange_time_ns);
    }
  }
  if (const auto* signal = std::get_if<Signal>(&event.payload)) {
    slots_[signal->slot].last_signal[signal->symbol.c_str()] = {
        signal->confidence, signal->stop_price, signal->target_price};
  }
  // An intent reaches only its own slot's risk gate and venue.
  if (const auto* intent = std::get_if<OrderIntent>(&event.payload)) {
    Slot& slot = slots_[intent->slot];
    // Every intent passes the calendar and risk; a tentacle can only propose.
    if (slot.venue != nullptr && calendar_ != nullptr &&
        !calendar_->is_open(event.exchange_time_ns)) {
      const std::string reason = "market closed: outside the trading calendar's sessions";
      logger_->info("{} {} {} refused: {}", side_name(intent->side), intent->quantity,
                    intent->symbol.view(), reason);
      slot.venue->refuse(*intent, event.exchange_time_ns, reason);
    } else if (slot.venue != nullptr && allowed_by_risk(slot, *intent, event)) {
      slot.venue->on_order_intent(*intent, event.sequence, event.exchange_time_ns, venue_events_);
      after_venue(slot, event.exchange_time_ns);
      emit_all(venue_events_, intent->slot);
    }
  }
  const AbiEvent abi(event);
  switch (event.type()) {
    case CEPHALO_EVENT_EVALUATION:
      for (Slot& slot : slots_) deliver_to(slot.strategies, abi.event);
      break;
    case CEPHALO_EVENT_SIGNAL:
      deliver_to(slots_[std::get<Signal>(event.payload).slot].trading_modes, abi.event);
      break;
    case CEPHALO_EVENT_FILL: {
      Slot& slot = slots_[std::get<Fill>(event.payload).slot];
      deliver_to(slot.strategies, abi.event);
      deliver_to(slot.trading_modes, abi.event);
      break;
    }
    case CEPHALO_EVENT_TIMER:
      fire_timer(std::get<TimerFired>(event.payload), event);
      break;
    default:
      break;
  }
}

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

void Pipeline::emit_each(std::vector<EventPayload>& payloads, SlotIndex slot) {
  for (auto& payload : payloads) {
    if (auto* fill = std::get_if<Fill>(&payload)) {
      fill->slot = slot;
      if (activity_ != nullptr) activity_->on_fill(slot, *fill, now_ns());
    }
    loop_.emit(std::move(payload));
  }
  payloads.clear();
}

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

void Pipeline::record_account_action(const AccountAction& action, int64_t time_ns, const char* rule,
                                     const std::string& slot) {
  logger_->warn("risk: {}", action.reason);
  if (repository_ != nullptr) {
    repository_->record(RiskVerdictRecord{0, time_ns, "account", rule, 0, false, action.reason,
                                          kNoFigure, kNoFigure, slot});
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
    if (repository_ != nullptr) {
      repository_->record(RiskVerdictRecord{0, time_ns, "account", "resume", 0, true, why,
                                            kNoFigure, kNoFigure, slot.name});
    }
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

std::optional<ProtectiveExit> Pipeline::risk_before_venue(Slot& slot, SlotIndex index,
                                                          const Candle& candle, int64_t time_ns) {
  if (slot.risk == nullptr) return std::nullopt;
  const int64_t kill_at = slot.risk->config().account.kill_at_ns;
  if (kill_at > 0 && !slot.kill_at_done && time_ns >= kill_at) {
    slot.kill_at_done = true;
    kill_slot(slot, index, "risk.account.kill_at reached");
  }
  // Judged on levels set by earlier bars; the venue fills it ahead of this bar's resting orders.
  return slot.risk->on_bar(candle.symbol.view(),
                           BarPrices{candle.open, candle.high, candle.low, candle.close},
                           candle.open_time_ns);
}

void Pipeline::set_atr_from_history(Slot& slot, const Candle& candle) {
  const auto series = history_.find(SeriesKey{candle.symbol, candle.timeframe});
  double atr = 0;
  uint32_t count = 0;
  std::string error;
  if (indicators_.values(candle.symbol, candle.timeframe, slot.atr_spec.c_str(),
                         series == history_.end() ? nullptr : &series->second, &atr, 1, &count,
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
  if (repository_ != nullptr && journal_decisions_) {
    for (const RiskVerdict& verdict : decision.verdicts) {
      repository_->record(
          RiskVerdictRecord{static_cast<int64_t>(event.sequence), event.exchange_time_ns,
                            risk_tier_name(verdict.tier), risk_rule_name(verdict.rule),
                            static_cast<int64_t>(event.sequence), verdict.allowed, verdict.reason,
                            verdict.value, verdict.limit, slot.name});
    }
  }
  if (decision.allowed) return true;
  const std::string reason = "risk: " + decision.refusal_text();
  logger_->info("{} {} {} refused by {}", side_name(intent.side), intent.quantity,
                intent.symbol.view(), reason);
  venue->refuse(intent, event.exchange_time_ns, reason);
  return false;
}

cephalo_status Pipeline::portfolio_cash(TentacleInstance& from, double* out_cash) {
  ExecutionVenue* venue = slots_[from.slot()].venue;
  if (venue == nullptr) return CEPHALO_UNSUPPORTED;
  *out_cash = venue->cash();
  return CEPHALO_OK;
}

cephalo_status Pipeline::portfolio_position(TentacleInstance& from, const char* symbol,
                                            double* out_quantity, double* out_average_price) {
  ExecutionVenue* venue = slots_[from.slot()].venue;
  if (venue == nullptr) return CEPHALO_UNSUPPORTED;
  venue->position(symbol, *out_quantity, *out_average_price);
  return CEPHALO_OK;
}

cephalo_status Pipeline::indicator(TentacleInstance& from, const char* symbol,
                                   const char* timeframe, const char* spec, double* out_values,
                                   uint32_t capacity, uint32_t* out_count) {
  cephalo_status status = CEPHALO_OK;
  if (indicators_.cached_values(symbol, timeframe, spec, out_values, capacity, out_count, status)) {
    return status;
  }
  const Name symbol_name = names_.intern(symbol);
  const Name timeframe_name = names_.intern(timeframe);
  const auto series = history_.find(SeriesKey{symbol_name, timeframe_name});
  std::string error;
  status = indicators_.values(symbol_name, timeframe_name, spec,
                              series == history_.end() ? nullptr : &series->second, out_values,
                              capacity, out_count, error);
  if (!error.empty()) from.refuse(error);
  return status;
}

cephalo_status Pipeline::indicator_handle(TentacleInstance& from, const char* symbol,
                                          const char* timeframe, const char* spec,
                                          uint64_t* out_handle) {
  const Name symbol_name = names_.intern(symbol);
  const Name timeframe_name = names_.intern(timeframe);
  const auto series = history_.find(SeriesKey{symbol_name, timeframe_name});
  std::string error;
  *out_handle = indicators_.handle(symbol_name, timeframe_name, spec,
                                   series == history_.end() ? nullptr : &series->second, error);
  if (*out_handle != 0) return CEPHALO_OK;
  from.refuse(error);
  return CEPHALO_INVALID_ARGUMENT;
}

cephalo_status Pipeline::position_size(TentacleInstance& from,
                                       const cephalo_sizing_request& request,
                                       cephalo_sizing_result& out_result) {
  // The slot's own sub-account and limits: a slot sizes against its share of the capital.
  const ExecutionVenue* venue = slots_[from.slot()].venue;
  const RiskEngine* risk = slots_[from.slot()].risk;
  if (venue == nullptr) {
    from.refuse("position_size: this run has no account to size against");
    return CEPHALO_UNSUPPORTED;
  }
  if (request.side != CEPHALO_SIDE_BUY && request.side != CEPHALO_SIDE_SELL) {
    from.refuse("position_size: side must be buy or sell");
    return CEPHALO_INVALID_ARGUMENT;
  }
  const double price = request.price > 0 ? request.price : venue->last_price(request.symbol);
  if (!(price > 0) || !std::isfinite(price)) {
    from.refuse(std::string("position_size: no price known for ") + request.symbol);
    return CEPHALO_NOT_FOUND;
  }
  // Without a risk engine the defaults still hold: a spot account cannot exceed its equity.
  const RiskConfig limits = risk != nullptr ? risk->config() : RiskConfig{};
  const AccountView account = venue->account_view();
  const double limit =
      entry_headroom_quantity(limits, account, request.symbol, request.side, price);
  const double unlimited = std::numeric_limits<double>::infinity();
  double wanted = 0;
  switch (request.method) {
    case CEPHALO_SIZING_FIXED_FRACTION:
      wanted = size_fixed_fraction(account.equity, price, request.value, unlimited);
      break;
    case CEPHALO_SIZING_RISK_PER_TRADE:
      if (!(request.stop_price > 0) || request.stop_price == price) {
        from.refuse("position_size: risk_per_trade needs a stop_price other than the price");
        return CEPHALO_INVALID_ARGUMENT;
      }
      wanted =
          size_risk_per_trade(account.equity, price, request.stop_price, request.value, unlimited);
      break;
    case CEPHALO_SIZING_VOLATILITY_TARGET:
      if (!(request.volatility > 0)) {
        from.refuse("position_size: volatility_target needs a volatility above 0");
        return CEPHALO_INVALID_ARGUMENT;
      }
      wanted = size_volatility_target(account.equity, price, request.value, request.volatility,
                                      unlimited);
      break;
    default:
      from.refuse("position_size: unknown method " + std::to_string(request.method));
      return CEPHALO_INVALID_ARGUMENT;
  }
  out_result.unclamped_quantity = wanted;
  out_result.limit_quantity = limit;
  out_result.quantity = std::min(wanted, limit);
  out_result.clamped = wanted > limit ? 1 : 0;
  return CEPHALO_OK;
}

void Pipeline::shutdown() {
  // Interfaces first: their threads read events and must be joined before anything they might
  // still be looking at goes away. Each gets a short grace period to read the last events, so a
  // dashboard or a notifier sees the end of the run; a stuck one cannot hold shutdown hostage.
  constexpr std::chrono::milliseconds kDrainGrace{2000};
  for (TentacleInstance* interface : interfaces_) interface->subscription().close();
  for (TentacleInstance* interface : interfaces_) {
    if (!interface->subscription().wait_drained(kDrainGrace)) {
      logger_->warn("interface {} did not read its last events within {} ms",
                    interface->name().view(), kDrainGrace.count());
    }
    interface->destroy();
  }
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) (*it)->destroy();
  evaluators_.clear();
  for (Slot& slot : slots_) {
    slot.strategies.clear();
    slot.trading_modes.clear();
  }
  interfaces_.clear();
  instances_.clear();
}

void Pipeline::log(const TentacleInstance& from, cephalo_log_level level,
                   std::string_view message) {
  logger_->log(spdlog_level(level), "[{}] {}", from.name().view(), message);
}

int64_t Pipeline::now_ns() const {
  return loop_.clock().now_ns();
}

cephalo_status Pipeline::emit(TentacleInstance& from, EventPayload payload) {
  if (!from.dispatching()) {
    from.refuse("records may be emitted only from on_event, on the loop thread");
    return CEPHALO_UNSUPPORTED;
  }
  if (&from == warming_up_) return CEPHALO_OK;
  // The slot travels with what a strategy or trading mode proposes, so it is routed inside it.
  if (auto* signal = std::get_if<Signal>(&payload)) {
    signal->slot = from.slot();
  } else if (auto* intent = std::get_if<OrderIntent>(&payload)) {
    intent->slot = from.slot();
  }
  loop_.emit(std::move(payload));
  return CEPHALO_OK;
}

cephalo_status Pipeline::candle_history(const char* symbol, const char* timeframe,
                                        uint32_t max_count, cephalo_candle* out_candles,
                                        uint32_t* out_count) {
  *out_count = 0;
  const auto found = history_.find(SeriesKey{names_.intern(symbol), names_.intern(timeframe)});
  if (found == history_.end()) return CEPHALO_NOT_FOUND;
  const auto& series = found->second;
  const size_t count = std::min<size_t>(max_count, series.size());
  const size_t first = series.size() - count;
  for (size_t i = 0; i < count; ++i) {
    const Candle& c = series[first + i];
    out_candles[i] = {sizeof(cephalo_candle),
                      0,
                      c.symbol.c_str(),
                      c.timeframe.c_str(),
                      c.open_time_ns,
                      c.open,
                      c.high,
                      c.low,
                      c.close,
                      c.volume};
  }
  *out_count = static_cast<uint32_t>(count);
  return CEPHALO_OK;
}

cephalo_status Pipeline::set_timer(TentacleInstance& from, int64_t first_due_ns, int64_t period_ns,
                                   uint64_t* out_timer_id) {
  const uint64_t id = next_timer_id_++;
  Event event;
  event.exchange_time_ns = event.receive_time_ns = first_due_ns;
  event.payload = TimerFired{id, first_due_ns, period_ns};
  timers_[id] = Timer{&from, period_ns, loop_.schedule(std::move(event))};
  *out_timer_id = id;
  return CEPHALO_OK;
}

cephalo_status Pipeline::cancel_timer(TentacleInstance& from, uint64_t timer_id) {
  const auto found = timers_.find(timer_id);
  if (found == timers_.end() || found->second.owner != &from) return CEPHALO_NOT_FOUND;
  loop_.cancel_scheduled(found->second.loop_token);
  timers_.erase(found);
  return CEPHALO_OK;
}

void Pipeline::fire_timer(const TimerFired& timer, const Event& event) {
  const auto found = timers_.find(timer.timer_id);
  if (found == timers_.end()) return;
  TentacleInstance* owner = found->second.owner;
  // An instance that set a timer and then went (a swap rolled back after its create) takes its
  // timers with it.
  const bool alive = std::any_of(instances_.begin(), instances_.end(),
                                 [owner](const auto& instance) { return instance.get() == owner; });
  if (!alive) {
    timers_.erase(found);
    return;
  }
  if (timer.period_ns > 0) {
    Event next;
    next.exchange_time_ns = next.receive_time_ns = timer.due_ns + timer.period_ns;
    next.payload = TimerFired{timer.timer_id, timer.due_ns + timer.period_ns, timer.period_ns};
    found->second.loop_token = loop_.schedule(std::move(next));
  } else {
    timers_.erase(found);
  }
  std::vector<TentacleInstance*> target{owner};
  deliver_to(target, AbiEvent(event).event);
}

cephalo_status Pipeline::command(TentacleInstance& from, std::string command_json) {
  if (control_ == nullptr) {
    from.refuse("send_command_json: this run has no command service");
    return CEPHALO_UNSUPPORTED;
  }
  const TentacleInstance* sender = &from;
  std::string name(from.name().view());
  control_->command(command_json, name, [this, sender, name](const CommandAnswer& answer) {
    answer_command(sender, name, answer);
  });
  return CEPHALO_OK;
}

std::string Pipeline::query(TentacleInstance& from, std::string_view request_json) {
  if (control_ == nullptr) {
    return R"({"version":1,"ok":false,"error":"this run has no query service"})";
  }
  return control_->query(request_json, std::string(from.name().view()));
}

void Pipeline::answer_command(const TentacleInstance* from, const std::string& from_name,
                              const CommandAnswer& answer) {
  if (answer.correlated) {
    // Only to the sender, and only while it runs: its threads read its own subscription.
    const auto alive = std::find(interfaces_.begin(), interfaces_.end(), from);
    if (alive == interfaces_.end()) return;
    const int64_t time_ns = now_ns();
    nlohmann::json event{{"sequence", loop_.dispatched()},
                         {"type", "command_result"},
                         {"exchange_time_ns", time_ns},
                         {"receive_time_ns", time_ns},
                         {"payload", nlohmann::json::parse(answer.json, nullptr, false)}};
    (*alive)->subscription().push(event.dump());
    return;
  }
  if (answer.ok) return;
  // Without an id (as before ABI 1.5) a refusal is an error event every interface sees.
  logger_->warn("{}: {}", from_name, answer.error);
  Event event;
  event.exchange_time_ns = now_ns();
  event.payload = ErrorInfo{from_name, answer.error};
  loop_.post_event(std::move(event));
}

void Pipeline::set_real_venue(ExecutionVenue* venue) {
  real_venue_ = venue;
  slots_.at(live_slot_).venue = venue;
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

std::string Pipeline::not_flat(const ExecutionVenue& venue) const {
  const AccountView view = venue.account_view();
  if (!view.open_orders.empty()) {
    return std::to_string(view.open_orders.size()) + " open order" +
           (view.open_orders.size() == 1 ? "" : "s") + " (" + view.open_orders.front().symbol + ")";
  }
  for (const AccountPosition& position : view.positions) {
    const double dust = venue.dust_quantity(position.symbol);
    if (std::abs(position.quantity) > dust + kRiskTolerance) {
      return "a position of " + format_risk_number(position.quantity) + " " + position.symbol;
    }
  }
  return {};
}

std::string Pipeline::promotion_waits_for(SlotIndex to) const {
  std::string waits;
  const Slot& live = slots_[live_slot_];
  if (live.venue != nullptr) {
    if (std::string why = not_flat(*live.venue); !why.empty()) {
      waits = "slot " + live.name + " to be flat on the real account: " + why;
    }
  }
  const Slot& promoted = slots_[to];
  if (promoted.venue != nullptr) {
    if (std::string why = not_flat(*promoted.venue); !why.empty()) {
      waits += (waits.empty() ? "" : "; ") + std::string("slot ") + promoted.name +
               " to be flat on paper: " + why;
    }
  }
  return waits;
}

std::optional<Pipeline::PendingPromotionView> Pipeline::pending_promotion() const {
  if (!pending_) return std::nullopt;
  return PendingPromotionView{slots_[pending_->to].name, promotion_waits_for(pending_->to),
                              pending_->now};
}

void Pipeline::flatten_for_promotion(SlotIndex index) {
  Slot& slot = slots_[index];
  if (slot.venue == nullptr) return;
  const AccountView view = slot.venue->account_view();
  AccountAction action;
  action.cancel_all_orders = !view.open_orders.empty();
  for (const AccountPosition& position : view.positions) {
    // Dust cannot be sold: an order for it would only be refused by the venue.
    action.flatten_all |=
        std::abs(position.quantity) > slot.venue->dust_quantity(position.symbol) + kRiskTolerance;
  }
  if (!action.cancel_all_orders && !action.flatten_all) return;
  action.reason = "flattening for the promotion of slot " + slots_[pending_->to].name + " (--now)";
  logger_->warn("slot {}: {}: {}{}", slot.name, action.reason,
                action.cancel_all_orders ? "cancelling open orders" : "",
                action.flatten_all
                    ? std::string(action.cancel_all_orders ? ", " : "") + "selling at market"
                    : "");
  const int64_t time_ns = now_ns();
  slot.venue->apply(action, time_ns, venue_events_);
  after_venue(slot, time_ns);  // a paper account fills at once: its risk engine sees the exits
  emit_all(venue_events_, index);
}

Status Pipeline::hand_over_real_account(SlotIndex to) {
  const SlotIndex from = live_slot_;
  Slot& old_live = slots_[from];
  Slot& promoted = slots_[to];
  if (!paper_accounts_) {
    return Error{"no paper sub-account can be opened for slot " + old_live.name +
                 " (this run has no paper accounts)"};
  }
  auto paper = paper_accounts_(from, real_venue_->equity());
  if (!paper.ok()) {
    return Error{"no paper sub-account for slot " + old_live.name + ": " + paper.error()};
  }
  const int64_t time_ns = now_ns();
  // Fills the real venue reported but has not handed over yet are the old live slot's: its risk
  // engine sees them and they are stamped with its slot before the account changes hands.
  real_venue_->take_events(venue_events_);
  after_venue(old_live, time_ns);
  emit_all(venue_events_, from);
  if (promoted.venue != nullptr) {
    promoted.venue->take_events(venue_events_);
    after_venue(promoted, time_ns);
    emit_all(venue_events_, to);
  }
  // The fresh paper account is marked to the latest candle of each series, so it can price the
  // old live slot's next intent at once instead of refusing it for want of a price.
  for (const auto& [key, series] : history_) {
    if (series.empty()) continue;
    paper.value()->on_candle(series.back(), series.back().open_time_ns, nullptr, venue_events_);
  }
  emit_all(venue_events_, from);
  old_live.venue = paper.value();
  promoted.venue = real_venue_;
  live_slot_ = to;
  if (old_live.risk != nullptr) old_live.risk->rebase_equity();
  if (promoted.risk != nullptr) promoted.risk->rebase_equity();
  return Ok{};
}

Status Pipeline::advance_promotion() {
  if (!pending_) return Ok{};
  const SlotIndex to = pending_->to;
  const SlotIndex from = live_slot_;
  const std::string from_name = slots_[from].name;
  const std::string& to_name = slots_[to].name;
  const std::string waits = promotion_waits_for(to);
  if (!waits.empty()) {
    if (pending_->now && !pending_->flatten_sent) {
      pending_->flatten_sent = true;
      flatten_for_promotion(live_slot_);
      flatten_for_promotion(to);
    }
    return Ok{};
  }
  const PendingPromotion pending = *pending_;
  pending_.reset();
  if (Status handed = hand_over_real_account(to); !handed.ok()) {
    logger_->error("promotion of slot {} refused: {}", to_name, handed.error());
    record_promotion("refused", to_name, from_name, pending.by, handed.error());
    ErrorInfo error{"promotion", "promotion of slot " + to_name + " refused: " + handed.error()};
    loop_.emit(std::move(error));
    return handed;
  }
  logger_->warn(
      "slot {} promoted to live (requested by {}): it trades the real account from now on; slot "
      "{} continues on a fresh paper sub-account funded with {}",
      to_name, pending.by, from_name, slots_[from].venue->equity());
  record_promotion("effective", to_name, from_name, pending.by,
                   "paper sub-account of " + from_name + " funded with " +
                       format_risk_number(slots_[from].venue->equity()));
  return Ok{};
}

Result<Pipeline::Promotion> Pipeline::promote(std::string_view name, std::string_view by,
                                              bool now) {
  const std::string requested_by(by);
  const std::string from = slots_[live_slot_].name;
  Promotion outcome;
  outcome.from = from;
  outcome.to = std::string(name);
  const auto refuse = [&](const std::string& reason) -> Result<Promotion> {
    logger_->warn("promotion of slot {} refused (requested by {}): {}", name, requested_by, reason);
    record_promotion("refused", std::string(name), from, requested_by, reason);
    return Error{reason};
  };
  SlotIndex index = 0;
  std::string known;
  while (index < slots_.size() && slots_[index].name != name) {
    known += (known.empty() ? "" : ", ") + slots_[index].name;
    ++index;
  }
  if (index == slots_.size()) {
    return refuse("no slot named '" + std::string(name) + "' (slots: " + known + ")");
  }
  if (index == live_slot_) {
    if (!pending_) return outcome;  // already live: nothing changes
    const std::string cancelled = slots_[pending_->to].name;
    pending_.reset();
    logger_->warn("pending promotion of slot {} cancelled by {}: slot {} stays live", cancelled,
                  requested_by, from);
    record_promotion("cancelled", cancelled, from, requested_by, "");
    outcome.state = Promotion::State::kCancelled;
    outcome.to = cancelled;
    return outcome;
  }
  if (pending_ && pending_->to != index) {
    return refuse("a promotion of slot " + slots_[pending_->to].name +
                  " is already pending; cancel it first with `cephalo slots promote " + from + "`");
  }
  if (real_venue_ == nullptr) {
    // Backtest and paper: the live role is a label, nothing real changes hands.
    record_promotion("requested", outcome.to, from, requested_by, "");
    live_slot_ = index;
    logger_->warn("slot {} promoted to live by {} (was {}); the others shadow it on paper", name,
                  requested_by, from);
    record_promotion("effective", outcome.to, from, requested_by, "");
    outcome.state = Promotion::State::kEffective;
    return outcome;
  }
  if (slots_[index].risk != nullptr && slots_[index].risk->halted()) {
    return refuse("slot " + outcome.to +
                  " is halted by its risk engine (kill switch or drawdown): a halted strategy "
                  "does not get the real account");
  }
  if (!paper_accounts_) {
    return refuse("this run cannot open a paper sub-account for slot " + from +
                  ", which would stop trading for real");
  }
  const bool again = pending_.has_value();
  if (!pending_) pending_ = PendingPromotion{index, requested_by, now, false};
  if (now) {
    pending_->now = true;
    pending_->flatten_sent = false;  // asked again: try again
  }
  logger_->warn("promotion of slot {} to live requested by {}{}{}", name, requested_by,
                now ? " (--now: flattening first)" : "", again ? " (again)" : "");
  record_promotion("requested", outcome.to, from, requested_by, now ? "now" : "");
  const Status advanced = advance_promotion();
  if (!advanced.ok())
    return Error{"promotion of slot " + outcome.to + " refused: " + advanced.error()};
  if (live_slot_ == index) {
    outcome.state = Promotion::State::kEffective;
    return outcome;
  }
  outcome.state = Promotion::State::kPending;
  outcome.waiting_for = promotion_waits_for(index);
  return outcome;
}

}  // namespace cephalo
