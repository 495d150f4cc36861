// RiskEngine: every order intent passes its position, strategy and account tiers; it also tracks
// positions' protective exits, loss streaks, daily loss, drawdown and the kill switch.
// Thread-safety: not thread-safe; owned and driven by one thread (the event loop in a run).
#pragma once

#include <cephalo/tentacle.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "risk/account_view.hpp"
#include "risk/protective_exit.hpp"
#include "risk/risk_config.hpp"
#include "risk/risk_verdict.hpp"
#include "risk/trading_day.hpp"

namespace cephalo {

// Prices in quote per base, quantities in base, money in quote, times in ns since epoch UTC.

struct IntentToCheck {
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;  // base
  double price = 0;     // estimate: the limit price, or the last close for a market order
  std::optional<double> confidence;  // of the originating signal; none = not filtered
  double stop_price = 0;             // the protective stop the signal asked for; 0 = none
  double target_price = 0;           // the take profit the signal asked for; 0 = none
};

struct RiskFill {
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;
  double price = 0;
  int64_t time_ns = 0;
};

// A round trip that ended; pnl after all fees. exit_reason is the exit order's tag:
// "stop_loss" and "trailing_stop" start the pair's stop-out cooldown.
struct TradeOutcome {
  std::string symbol;
  double pnl = 0;
  std::string exit_reason;
  int64_t time_ns = 0;
};

// An exit the core must execute now, at `price` (the within-bar rules), tagged with `reason`.
struct ProtectiveExit {
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_SELL;  // of the exit order
  double quantity = 0;                    // the whole tracked position
  BarExit exit;
};

// What the core must do after a halt starts. Edge-triggered: returned once per halt.
struct AccountAction {
  bool cancel_entry_orders = false;  // resting orders that would add exposure
  bool cancel_all_orders = false;    // the kill switch: every resting order
  bool flatten_all = false;          // close every position at market
  std::string reason;
};

// Why entries are blocked at a time; all false when they are not.
struct RiskState {
  bool killed = false;
  bool drawdown_halted = false;
  bool daily_loss_halted = false;
  bool loss_paused = false;
  bool entries_paused = false;  // by an operator (pause_entries)
  int consecutive_losses = 0;
  double start_of_day_equity = 0;  // quote
  double peak_equity = 0;          // quote
};

// What the engine tracks of one open position.
struct TrackedPosition {
  double quantity = 0;     // signed base: negative is a short
  double entry_price = 0;  // quantity-weighted average of the entry fills
  int64_t opened_ns = 0;
  ProtectiveLevels levels;
  TrailState trail;
};

class RiskEngine {
 public:
  // Precondition: validate(config) is empty (the config layer refuses to start otherwise).
  explicit RiskEngine(const RiskConfig& config) : config_(config) {}
  // Whether a passed verdict carries its reason text (a refusal always does). Off when nothing
  // stores the verdicts (storage.journal_decisions: false): the texts would only be thrown away.
  void set_explain_passes(bool explain) { explain_passes_ = explain; }

  // Checks one intent, counts the verdicts and, for an allowed entry, remembers its stop and
  // target for the fill that opens the position. An intent is an exit (and always allowed) when
  // it is on the side opposite the account's position and no larger than it; anything else is an
  // entry and passes every enabled rule of the three tiers or is refused whole.
  RiskDecision evaluate(const IntentToCheck& intent, const AccountView& account, int64_t now_ns);
  // evaluate() into a decision the engine keeps and reuses: valid until the next call. The
  // pipeline judges every intent this way, so a verdict list is not allocated per intent.
  const RiskDecision& judge(const IntentToCheck& intent, const AccountView& account,
                            int64_t now_ns);

  // ATR (quote) of a pair, for stop_loss_atr_multiple; call when it changes, before entries.
  void set_atr(std::string_view symbol, double atr);

  // Every fill, in order: opens, grows, shrinks, reverses or closes the tracked position and
  // places its protective levels from the average entry.
  void on_fill(const RiskFill& fill);
  // Every closed round trip: consecutive losses (→ pause) and stop-out cooldowns.
  void on_trade_closed(const TradeOutcome& outcome);
  // Equity after each bar's marks: start-of-day equity, daily loss, peak and drawdown.
  // Inline: it runs after every bar, and almost never starts a halt; both limits are judged
  // before an action (with its reason text) is built.
  std::optional<AccountAction> on_equity(double equity, int64_t time_ns) {
    if (!std::isfinite(equity)) return std::nullopt;
    // The day's bounds answer "same day?" without a 64-bit division.
    if (!any_equity_ || time_ns < equity_day_start_ns_ ||
        time_ns - equity_day_start_ns_ >= kNsPerDay) {
      start_equity_day(equity, time_ns);
    }
    last_equity_ = equity;
    peak_equity_ = std::max(peak_equity_, equity);
    const AccountRiskConfig& account = config_.account;
    const bool daily_halt =
        account.max_daily_loss_fraction > 0 && daily_halt_day_ != equity_day_ &&
        start_of_day_equity_ > 0 &&
        start_of_day_equity_ - equity >= account.max_daily_loss_fraction * start_of_day_equity_;
    const bool drawdown_halt =
        account.max_drawdown_fraction > 0 && !drawdown_halted_ && peak_equity_ > 0 &&
        peak_equity_ - equity >= account.max_drawdown_fraction * peak_equity_;
    if (!daily_halt && !drawdown_halt) return std::nullopt;
    return start_halt(equity, daily_halt, drawdown_halt);
  }
  // Each new bar of a pair, before orders work against it: the protective exit it triggers, if
  // any, judged on levels from earlier bars; then the trail moves with this bar. `time_ns` is the
  // bar's time; each distinct time counts as one bar for cooldowns in bars.
  // Inline: it runs on every bar, and with no position that has a level to hit or a trail to
  // move (most bars of most runs) it only counts the bar.
  std::optional<ProtectiveExit> on_bar(std::string_view symbol, const BarPrices& bar,
                                       int64_t time_ns) {
    if (!any_bar_ || time_ns > last_bar_ns_) {
      any_bar_ = true;
      last_bar_ns_ = time_ns;
      ++bars_seen_;
    }
    // Flat, or no position with a level to hit and no trail to move: nothing to look up by name.
    if (positions_.empty()) return std::nullopt;
    if (!levels_possible_ && config_.position.trailing_stop_fraction <= 0) return std::nullopt;
    return exit_in_bar(symbol, bar);
  }

  // The kill switch: entries are refused until resume(); every open order must be cancelled.
  AccountAction kill(const std::string& reason);
  // Lifts the kill switch, the drawdown halt, the daily halt and the loss pause (an operator's
  // command); the drawdown is measured again from the last equity.
  void resume();
  // An operator's pause: entries are refused (exits pass) until resume_entries(), without the
  // kill switch's cancels. `reason` is kept for the refusals and the risk state.
  void pause_entries(std::string reason) {
    entries_paused_ = true;
    pause_reason_ = std::move(reason);
  }
  void resume_entries() {
    entries_paused_ = false;
    pause_reason_.clear();
  }
  bool entries_paused() const { return entries_paused_; }
  const std::string& pause_reason() const { return pause_reason_; }
  // The account behind this engine changed hands (an A/B promotion gave its slot the real account
  // or a fresh paper one): peak, start-of-day and last equity restart from the next on_equity, so
  // the switch itself is read neither as a gain nor as a drawdown. Halts and pauses stay.
  void rebase_equity() { any_equity_ = false; }

  // Killed or halted by drawdown: nothing but exits until resume().
  bool halted() const { return killed_ || drawdown_halted_; }
  RiskState state(int64_t now_ns) const;
  const RiskCounts& counts() const { return counts_; }
  const RiskConfig& config() const { return config_; }
  // nullptr when the engine sees the pair flat.
  const TrackedPosition* position(std::string_view symbol) const;

 private:
  struct PendingEntry {
    double stop = 0, target = 0;
  };
  struct Cooldown {
    int64_t until_ns = 0;
    int64_t until_bar = 0;  // entries allowed again once bars_seen_ reaches it
  };

  // evaluate() into `decision`, which arrives empty.
  void evaluate_into(const IntentToCheck& intent, const AccountView& account, int64_t now_ns,
                     RiskDecision& decision);
  void check_entry(const IntentToCheck& intent, const AccountView& account, int64_t now_ns,
                   RiskDecision& decision) const;
  bool active(const Cooldown& cooldown, int64_t now_ns) const {
    return now_ns < cooldown.until_ns || bars_seen_ < cooldown.until_bar;
  }
  int64_t day_of(int64_t time_ns) const {
    return trading_day(time_ns, config_.account.day_start_utc_offset_minutes);
  }
  void open_position(const std::string& symbol, double signed_quantity, double price,
                     int64_t time_ns);
  void place_levels(const std::string& symbol, TrackedPosition& position);
  double atr_of(std::string_view symbol) const;
  // on_equity() at a time outside the current trading day (or the first): the day it starts,
  // and the start-of-day equity.
  void start_equity_day(double equity, int64_t time_ns);
  // on_equity() when a limit was reached: counts the halt and builds its action.
  AccountAction start_halt(double equity, bool daily_halt, bool drawdown_halt);
  // on_bar() for a pair that may have a level or a trail: the exit it triggers; moves the trail.
  std::optional<ProtectiveExit> exit_in_bar(std::string_view symbol, const BarPrices& bar);

  RiskConfig config_;
  RiskCounts counts_;
  // std::map: deterministic iteration and heterogeneous lookup by string_view.
  std::map<std::string, TrackedPosition, std::less<>> positions_;
  // A pair's entry is reset, not erased, when it goes flat: {0, 0} reads as "no hints" like a
  // missing entry, and the node is reused by the pair's next entry.
  std::map<std::string, PendingEntry, std::less<>> pending_;
  std::map<std::string, double, std::less<>> atr_;
  std::map<std::string, Cooldown, std::less<>> pair_cooldowns_;

  RiskDecision judged_;  // judge()'s decision, its verdict list reused

  bool killed_ = false;
  bool explain_passes_ = true;
  bool drawdown_halted_ = false;
  int consecutive_losses_ = 0;
  Cooldown loss_pause_;
  int64_t bars_seen_ = 0;
  int64_t last_bar_ns_ = 0;
  bool any_bar_ = false;

  bool any_equity_ = false;
  double last_equity_ = 0;
  double peak_equity_ = 0;
  double start_of_day_equity_ = 0;
  int64_t equity_day_ = 0;
  int64_t equity_day_start_ns_ = 0;  // when equity_day_ began (UTC ns)
  // Some tracked position may have a stop, target or trail level (set when one is placed, cleared
  // when the book goes flat): without one, and without a trail to move, on_bar has nothing to do.
  bool levels_possible_ = false;
  std::optional<int64_t> daily_halt_day_;
  int64_t trades_day_ = 0;
  int trades_today_ = 0;
  // An operator's pause (pause_entries); last, away from what every bar reads.
  bool entries_paused_ = false;
  std::string pause_reason_;
};

}  // namespace cephalo
