// Event routing: candles → evaluators, strategies and trading modes; evaluations → strategies;
// signals → trading modes; fills → strategies and trading modes; everything → interfaces.
// The pipeline's other jobs have their own files: pipeline_risk.cpp (the risk tiers around the
// venue, kill switch), pipeline_services.cpp (what tentacles call: portfolio, indicators, sizing,
// history, timers, commands and queries), pipeline_promotion.cpp (A/B slots: promotion and the
// real account's hand-over), pipeline_journal.cpp (what is stored) and pipeline_operator.cpp
// (an operator's controls).
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "events/event_json.hpp"
#include "host/abi_event.hpp"
#include "model/market.hpp"

namespace cephalo {

Pipeline::Pipeline(EventLoop& loop, NameTable& names, Repository* repository,
                   std::shared_ptr<spdlog::logger> logger, size_t history_limit)
    : loop_(loop),
      names_(names),
      journal_(repository),
      timers_(loop),
      logger_(std::move(logger)),
      history_(history_limit) {}

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
    timers_.transfer(slot.get(), fresh[i].get());
    outcome.retired.push_back(std::exchange(slot, std::move(fresh[i])));
  }
  outcome.swapped = true;
  return outcome;
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
  const auto& manifest = target.library().manifest();
  journal_.tentacle(TentacleLoadRecord{now_ns(), manifest.name, kind_to_string(manifest.kind),
                                       manifest.version, manifest.library_path().string(),
                                       manifest.sha256, "quarantined", failure});
  loop_.emit(ErrorInfo{target.name().c_str(), failure});
  if (quarantine_listener_) quarantine_listener_(target);
}

void Pipeline::dispatch(const Event& event) {
  ++stats_.events_by_type[static_cast<size_t>(event.type())];
  journal_.dispatched(event.sequence);
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
  history_.add(candle);
  indicators_.on_candle(candle);
  if (journal_.stores_market_data()) journal_.event(event, {});
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
  const auto* journaled_intent = std::get_if<OrderIntent>(&event.payload);
  journal_.event(event, journaled_intent != nullptr ? slots_[journaled_intent->slot].name
                                                    : std::string_view{});
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

}  // namespace cephalo
