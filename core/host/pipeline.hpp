// Pipeline: the running tentacles and the routing of events between them, owned by the loop.
// Thread-safety: loop thread only, except the HostContext calls documented as any-thread.
#pragma once

#include <spdlog/logger.h>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "events/event_loop.hpp"
#include "events/trading_calendar.hpp"
#include "host/candle_history.hpp"
#include "host/control_port.hpp"
#include "host/execution_venue.hpp"
#include "host/host_context.hpp"
#include "host/indicator_service.hpp"
#include "host/pipeline_journal.hpp"
#include "host/tentacle_instance.hpp"
#include "host/tentacle_timers.hpp"
#include "model/candle_ring.hpp"
#include "model/market.hpp"
#include "storage/repository.hpp"

namespace cephalo {

struct PipelineStats {
  std::array<uint64_t, CEPHALO_EVENT_TIMER + 1> events_by_type{};  // indexed by cephalo_event_type
  uint64_t quarantined = 0;
};

class Pipeline final : public HostContext {
 public:
  // repository may be null (commands that only inspect); history_limit bounds each candle series.
  Pipeline(EventLoop& loop, NameTable& names, Repository* repository,
           std::shared_ptr<spdlog::logger> logger, size_t history_limit = 1000);
  ~Pipeline() override;

  // A/B slots, before any add: their names, in config order. Without this call the pipeline has
  // one slot, "main". Strategies and trading modes belong to one slot; evaluators, interfaces,
  // the candle history and the indicators are shared by all.
  void set_slots(const std::vector<std::string>& names);
  // Resolves the config's parameters against the manifest (all problems at once, with file:line)
  // and creates the instance in `slot` (ignored for evaluators and interfaces, which are shared).
  // On failure nothing is added and the error says why.
  Status add(const std::shared_ptr<TentacleLibrary>& library, const TentacleUse& use,
             SlotIndex slot = 0);
  // Hot swap, on the loop thread between two events. Replaces every running instance of the
  // library's tentacle with one created from `library` and `use` (each old instance's own config
  // entry when null): create, then the state handoff (old save_state → new load_state when both
  // declare the same state version, otherwise the new one warms up on the candle history with
  // its emissions dropped), then the switch. Any failure destroys what was new and leaves the old
  // instances running untouched. The old instances come back in `retired`, still created: the
  // caller destroys and unloads them between later events, outside the pause.
  struct SwapOutcome {
    bool swapped = false;
    std::string error;  // why it rolled back
    std::string kind, from_version;
    uint64_t state_bytes = 0;
    std::string handoff;  // state, warmup, none
    std::vector<std::unique_ptr<TentacleInstance>> retired;
  };
  // One instance among several of the same tentacle (A/B slots running it with their own
  // parameters): the `occurrence`-th (0-based, in creation order) of those in `slot`.
  struct SwapTarget {
    SlotIndex slot = 0;
    size_t occurrence = 0;
  };
  // `target` null: every running instance of the tentacle.
  SwapOutcome swap(const std::shared_ptr<TentacleLibrary>& library, const TentacleUse* use,
                   const SwapTarget* target = nullptr);
  // The libraries of the running instances called `tentacle` (empty when none runs).
  std::vector<std::shared_ptr<TentacleLibrary>> running_libraries(std::string_view tentacle) const;
  // Every candle of the history the pipeline keeps (history_limit per series), in the order the
  // loop delivered them: what a warm-up replays, and what a smoke test feeds a new build.
  std::vector<const Candle*> recent_candles() const { return history_.in_delivery_order(); }
  // Called (loop thread) right after an instance is quarantined, with the instance; the run's
  // owner records it as a problem and may stop the run (run.on_tentacle_failure).
  void set_quarantine_listener(std::function<void(const TentacleInstance&)> listener) {
    quarantine_listener_ = std::move(listener);
  }

  // Where a slot's approved order intents go and what its portfolio view reads: its own
  // sub-account; may be null (no trading).
  void set_venue(ExecutionVenue* venue, SlotIndex slot = 0) { slots_.at(slot).venue = venue; }
  // A slot's risk gate between its trading mode and its venue; may be null (no limits).
  void set_risk(RiskEngine* risk, SlotIndex slot = 0);
  size_t slot_count() const { return slots_.size(); }
  const std::string& slot_name(SlotIndex slot) const { return slots_.at(slot).name; }
  // The slot that trades for real in live mode; the others shadow it on paper.
  SlotIndex live_slot() const { return live_slot_; }
  void set_live_slot(SlotIndex slot) { live_slot_ = slot; }

  // Live mode: the real account, traded by the live slot (this also makes it that slot's venue).
  // Without it (backtest, paper) the live slot is a role only and promote() moves it at once.
  void set_real_venue(ExecutionVenue* venue);
  // Where a slot that stops trading for real continues: a fresh paper sub-account funded with
  // `cash` (quote), owned by the caller and alive until the pipeline is gone. An error refuses the
  // promotion that needed it.
  using PaperAccountFactory = std::function<Result<ExecutionVenue*>(SlotIndex slot, double cash)>;
  void set_paper_account_factory(PaperAccountFactory factory) {
    paper_accounts_ = std::move(factory);
  }

  // Promotion: makes the slot called `name` the live one (loop thread only, between two events).
  //
  // The real account's orders and position belong to the live slot's strategy, so with a real
  // venue the handover waits until nobody's position changes hands: a promotion is accepted as
  // *pending* and takes effect before the first event at which (1) the live slot has no open real
  // order and no real position (dust below the venue's lot size counts as flat) and (2) the
  // promoted slot is flat on its paper sub-account too, so the real account never holds a
  // position that its new strategy did not open, and the promoted strategy's view of "flat" is
  // true on both sides. At that moment, between two events: fills the real venue still holds go
  // to the old live slot; the old live slot continues on a fresh paper sub-account funded with
  // the real account's equity (its budget so far, all cash since it is flat); the promoted slot
  // trades the real account (its paper sub-account is left as it was); both risk engines keep
  // their halts and pauses and restart their equity peaks from the new account. An order intent
  // is routed by its slot when it is dispatched: one the old live slot proposed before the switch
  // and that is dispatched after it goes to its paper account.
  // `now` (--now) does not wait for the strategies: it cancels the live slot's open real orders
  // and sells its real position at market, flattens the promoted slot's paper position, then the
  // switch happens once those fills are in (asked again, it tries again).
  // Promoting the live slot while a promotion is pending cancels that promotion. Refused (an
  // error naming the reason): an unknown slot (the error names those there are); another
  // promotion already pending; with a real venue, a promoted slot whose risk engine is halted
  // (kill switch, drawdown), or no paper sub-account for the old live slot.
  // Every request, refusal, cancellation and switch is logged and journaled as a "slot_promoted"
  // event with its "stage" (requested, refused, cancelled, effective).
  struct Promotion {
    enum class State { kAlreadyLive, kEffective, kPending, kCancelled };
    State state = State::kAlreadyLive;
    std::string from, to;
    std::string waiting_for;  // kPending: what the switch waits for, for the user
  };
  Result<Promotion> promote(std::string_view name, std::string_view by, bool now = false);
  // The pending promotion, if any: its slot and what it waits for.
  struct PendingPromotionView {
    std::string to;
    std::string waiting_for;
    bool now = false;
  };
  std::optional<PendingPromotionView> pending_promotion() const;
  // The kill switch, the one path to it (tentacle command, control channel, config's
  // risk.account.kill_at): the risk engine refuses every entry until resumed (exits still pass)
  // and the venue cancels every resting order. With A/B slots every slot is killed (kill_at from
  // a slot's own risk overrides kills that slot alone). Loop thread only; an error without a risk
  // engine.
  Status kill_switch(const std::string& reason);
  // An operator's "trade again" in every slot: lifts the kill switch, the drawdown and daily-loss
  // halts and the loss pause (RiskEngine::resume), stored as a risk verdict with its reason.
  // Loop thread only; an error without a risk engine.
  Status resume_trading(const std::string& reason);
  // ---- An operator's controls (the command/query set; pipeline_operator.cpp). Loop thread only.
  // `slot` names one A/B slot; empty: every slot. An error names an unknown slot (and the slots).
  // Entries refused (exits pass) until resume_entries, without the kill switch's cancels.
  Status pause_entries(const std::string& reason, const std::string& slot = {});
  Status resume_entries(const std::string& reason, const std::string& slot = {});
  // Closes positions at market now: `symbol`'s (empty: every position), in `slot` (empty: every
  // slot); each closed position is listed. An error when nothing could be closed.
  struct ForcedExit {
    std::string slot, symbol;
    double quantity = 0;  // base units the exit sold (or bought back)
  };
  Result<std::vector<ForcedExit>> force_exit(const std::string& symbol, const std::string& slot,
                                             const std::string& reason);
  // Cancels one resting order by its client order id (the slot that holds it is searched when
  // `slot` is empty).
  Status cancel_order(const std::string& client_order_id, const std::string& slot);
  // A slot's venue and risk engine (null when it has none), for the snapshot of queries.
  ExecutionVenue* venue(SlotIndex slot) const { return slots_.at(slot).venue; }
  RiskEngine* risk(SlotIndex slot) const { return slots_.at(slot).risk; }
  // Every candle series the pipeline keeps, in no particular order.
  template <class Visit>
  void for_each_series(Visit&& visit) const {
    history_.for_each_series(std::forward<Visit>(visit));
  }
  // Who hears of every fill and closed round trip as they pass (the query set's activity log);
  // null: nobody. Called on the loop thread, never for a candle that brings neither.
  class ActivitySink {
   public:
    virtual ~ActivitySink() = default;
    virtual void on_fill(SlotIndex slot, const Fill& fill, int64_t time_ns) = 0;
    virtual void on_closed_trade(SlotIndex slot, const ClosedTrade& trade) = 0;
    // Every error event (a venue's refusal, a feed's health change, a quarantine).
    virtual void on_error(const ErrorInfo& error, int64_t time_ns) = 0;
  };
  void set_activity_sink(ActivitySink* sink) { activity_ = sink; }

  // When the market trades; order intents outside its sessions are refused. Null = 24/7.
  void set_calendar(const TradingCalendar* calendar) { calendar_ = calendar; }
  // Whether candles and evaluations are journaled (signals, orders and fills always are).
  // What the repository receives per event: candles and evaluations; signals, intents, fills
  // and risk verdicts. Tentacle quarantines and promotions are stored either way.
  void set_journal(bool market_data, bool decisions) { journal_.set_scope(market_data, decisions); }
  // The loop's dispatcher.
  void dispatch(const Event& event);
  // Destroys every instance, interfaces first so their threads stop before the rest goes.
  void shutdown();

  const PipelineStats& stats() const { return stats_; }
  const std::vector<std::unique_ptr<TentacleInstance>>& instances() const { return instances_; }

  // HostContext
  void log(const TentacleInstance& from, cephalo_log_level level,
           std::string_view message) override;
  int64_t now_ns() const override;
  cephalo_status emit(TentacleInstance& from, EventPayload payload) override;
  cephalo_status candle_history(const char* symbol, const char* timeframe, uint32_t max_count,
                                cephalo_candle* out_candles, uint32_t* out_count) override;
  cephalo_status command(TentacleInstance& from, std::string command_json) override;
  std::string query(TentacleInstance& from, std::string_view request_json) override;
  // Where interface tentacles' commands and queries go (the run's command/query set); null: they
  // are refused with CEPHALO_UNSUPPORTED. Set before the loop runs; the port outlives the loop.
  void set_control_port(ControlPort* port) { control_ = port; }
  NameTable& names() override { return names_; }
  cephalo_status portfolio_cash(TentacleInstance& from, double* out_cash) override;
  cephalo_status portfolio_position(TentacleInstance& from, const char* symbol,
                                    double* out_quantity, double* out_average_price) override;
  cephalo_status indicator(TentacleInstance& from, const char* symbol, const char* timeframe,
                           const char* spec, double* out_values, uint32_t capacity,
                           uint32_t* out_count) override;
  cephalo_status position_size(TentacleInstance& from, const cephalo_sizing_request& request,
                               cephalo_sizing_result& out_result) override;
  cephalo_status indicator_handle(TentacleInstance& from, const char* symbol, const char* timeframe,
                                  const char* spec, uint64_t* out_handle) override;
  cephalo_status indicator_values(const uint64_t* handles, uint32_t count, double* out_values,
                                  uint32_t capacity, uint32_t* out_counts) override {
    return indicators_.values(handles, count, out_values, capacity, out_counts);
  }
  const IndicatorService* indicator_service() const override { return &indicators_; }
  cephalo_status set_timer(TentacleInstance& from, int64_t first_due_ns, int64_t period_ns,
                           uint64_t* out_timer_id) override;
  cephalo_status cancel_timer(TentacleInstance& from, uint64_t timer_id) override;

 private:
  struct SignalContext {
    double confidence = 0, stop_price = 0, target_price = 0;
  };
  // One A/B slot's own part of the routing: its tentacles, its sub-account and its risk gate.
  struct Slot {
    explicit Slot(std::string slot_name) : name(std::move(slot_name)) {}
    std::string name;
    ExecutionVenue* venue = nullptr;
    RiskEngine* risk = nullptr;
    std::vector<TentacleInstance*> strategies, trading_modes;
    std::unordered_map<const char*, SignalContext> last_signal;  // by interned symbol
    std::string atr_spec;  // "atr:N" when its stops follow the ATR, else empty
    bool kill_at_done = false;
  };

  // Inline: a candle goes to several routing lists and most runs leave one empty (no evaluators),
  // which then costs a test rather than a call.
  void deliver_to(std::vector<TentacleInstance*>& targets, const cephalo_event& event) {
    if (!targets.empty()) deliver_each(targets, event);
  }
  void deliver_each(std::vector<TentacleInstance*>& targets, const cephalo_event& event);
  // Logs and records the quarantine deliver() just caused. Out of line and cold: the loop that
  // delivers every candle then keeps its registers for the hot path.
  [[gnu::cold, gnu::noinline]] void report_quarantine(TentacleInstance& target);
  void dispatch_candle(const Event& event, const Candle& candle);
  // Everything that is not a candle: evaluations, signals, intents, fills, errors, timers.
  void dispatch_decision(const Event& event);
  // Replays the candle history to a new instance whose state could not be handed over.
  Status warm_up(TentacleInstance& instance);
  std::vector<TentacleInstance*>& routing_of(cephalo_kind kind, SlotIndex slot);
  // A command's answer for the interface that sent it (loop thread).
  void answer_command(const TentacleInstance* from, const std::string& from_name,
                      const CommandAnswer& answer);
  // The slots an operator's control applies to: `name`'s index, or every slot when empty.
  Result<std::vector<SlotIndex>> slots_named(const std::string& name) const;
  // Emits the venue's events, each fill stamped with the slot whose venue made it.
  // Inline: after every candle, and most candles leave nothing to emit.
  void emit_all(std::vector<EventPayload>& payloads, SlotIndex slot) {
    if (!payloads.empty()) emit_each(payloads, slot);
  }
  void emit_each(std::vector<EventPayload>& payloads, SlotIndex slot);
  // Risk sees every fill and closed trade before the venue's events are dispatched, then the
  // account's equity. Inline: after every candle, and most candles bring no fill, no closed trade
  // and no halt; those go to the two functions below.
  void after_venue(Slot& slot, int64_t time_ns) {
    if (slot.risk == nullptr) return;
    if (!venue_events_.empty() || slot.venue->has_closed_trades()) risk_sees_trades(slot, time_ns);
    if (auto action = slot.risk->on_equity(slot.venue->equity(), time_ns)) {
      halt_account(slot, *action, time_ns);
    }
  }
  void risk_sees_trades(Slot& slot, int64_t time_ns);
  void halt_account(Slot& slot, const AccountAction& action, int64_t time_ns);
  bool allowed_by_risk(Slot& slot, const OrderIntent& intent, const Event& event);
  // The candle's risk work before the venue: kill_at, then the protective exit it triggers.
  // Inline (defined in pipeline.cpp, its only caller): once per candle, and mostly a few compares.
  inline std::optional<ProtectiveExit> risk_before_venue(Slot& slot, SlotIndex index,
                                                         const Candle& candle, int64_t time_ns);
  // After the venue: the candle's ATR for stop_loss_atr_multiple (after, so an entry filled in
  // this candle is not given a stop from a range it had not seen yet).
  // Inline: after every candle, and only stops that follow the ATR need it.
  void update_atr(Slot& slot, const Candle& candle) {
    if (slot.risk != nullptr && !slot.atr_spec.empty()) set_atr_from_history(slot, candle);
  }
  void set_atr_from_history(Slot& slot, const Candle& candle);
  void kill_slot(Slot& slot, SlotIndex index, const std::string& reason);
  void record_account_action(const AccountAction& action, int64_t time_ns, const char* rule,
                             const std::string& slot);
  // Promotion (see promote()): what a venue's owner must wait for before it changes hands (empty
  // when flat), the check run after every event, the switch itself and its journal rows.
  std::string not_flat(const ExecutionVenue& venue) const;
  std::string promotion_waits_for(SlotIndex to) const;
  Status advance_promotion();
  void flatten_for_promotion(SlotIndex index);
  Status hand_over_real_account(SlotIndex to);
  void record_promotion(const char* stage, const std::string& slot, const std::string& from,
                        const std::string& by, const std::string& detail);

  EventLoop& loop_;
  NameTable& names_;
  PipelineJournal journal_;
  std::vector<Slot> slots_{Slot("main")};  // never empty
  SlotIndex live_slot_ = 0;
  ExecutionVenue* real_venue_ = nullptr;  // live mode: the real account, slots_[live_slot_]'s
  PaperAccountFactory paper_accounts_;
  struct PendingPromotion {
    SlotIndex to = 0;
    std::string by;
    bool now = false;
    bool flatten_sent = false;  // --now: the cancels and market exits are out
  };
  std::optional<PendingPromotion> pending_;
  std::vector<EventPayload> venue_events_;  // reused: no allocation per candle
  std::string state_buffer_;      // reused by every swap's state handoff
  const TradingCalendar* calendar_ = nullptr;
  TentacleInstance* warming_up_ = nullptr;  // its emissions are dropped: history is not news
  TentacleTimers timers_;
  void fire_timer(const TimerFired& timer, const Event& event);
  IndicatorService indicators_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<std::unique_ptr<TentacleInstance>> instances_;
  std::vector<TentacleInstance*> evaluators_, interfaces_;  // shared by every slot
  CandleHistory history_;
  PipelineStats stats_;
  std::function<void(const TentacleInstance&)> quarantine_listener_;
  // The command/query set's port and activity sink (set_control_port, set_activity_sink); last,
  // away from what every candle reads.
  ControlPort* control_ = nullptr;
  ActivitySink* activity_ = nullptr;
};

}  // namespace cephalo
