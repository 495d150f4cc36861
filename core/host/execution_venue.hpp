// ExecutionVenue: where approved order intents go and what the portfolio view reads from.
// Thread-safety: loop thread only.
//
// The pipeline calls the venue; the venue never calls tentacles. A backtest plugs in the simulated
// exchange; paper and live trading plug in their own venues behind the same interface.
#pragma once

#include <string_view>
#include <vector>

#include "events/event.hpp"
#include "model/account_snapshot.hpp"
#include "model/backtest_records.hpp"
#include "model/result.hpp"
#include "risk/risk_engine.hpp"

namespace cephalo {

class ExecutionVenue {
 public:
  virtual ~ExecutionVenue() = default;
  // A new candle, before any tentacle sees it: resting orders of its symbol may fill against it.
  // `exit` (may be null) is the protective exit the risk engine found triggered in this candle;
  // the venue executes it first, at the exit's price, tagged with its reason. Fills come back as
  // events, dispatched right after the candle.
  virtual void on_candle(const Candle& candle, int64_t time_ns, const ProtectiveExit* exit,
                         std::vector<EventPayload>& out_events) = 0;
  // An order intent the core approved. `sequence` is the intent event's, for the audit trail.
  virtual void on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                               std::vector<EventPayload>& out_events) = 0;
  // The portfolio view tentacles read (ABI 1.1): cash in quote, position in base.
  virtual double cash() const = 0;
  virtual void position(std::string_view symbol, double& quantity, double& average_price) const = 0;

  // What the risk engine judges an intent against: equity, every position at its mark, and the
  // resting orders (which count as if they filled).
  virtual AccountView account_view() const = 0;
  virtual double equity() const = 0;
  // The last close of a symbol in quote (0 when unknown): a market intent's price estimate.
  virtual double last_price(std::string_view symbol) const = 0;
  // An intent risk refused: kept with the venue's rejections so reports list it with its reason.
  virtual void refuse(const OrderIntent& intent, int64_t time_ns, const std::string& reason) = 0;
  // A halt's consequences: cancel entry or all resting orders, flatten positions at market.
  virtual void apply(const AccountAction& action, int64_t time_ns,
                     std::vector<EventPayload>& out_events) = 0;
  // Round trips closed since the last call, for the risk engine's loss streaks and cooldowns.
  virtual std::vector<ClosedTrade> take_closed_trades() = 0;
  // Whether take_closed_trades() would return any: asked after every candle, so a venue that
  // can tell cheaply saves building an empty list. The default says "maybe".
  virtual bool has_closed_trades() const { return true; }

  // For handing the account from one A/B slot to another (Pipeline::promote):
  // Events the venue holds for the pipeline (fills reported between two events), handed over now,
  // so they reach the slot that traded before the account changes hands. Default: none held.
  virtual void take_events(std::vector<EventPayload>& out_events) { (void)out_events; }
  // The largest position (base) the venue cannot trade: below its lot size or minimum notional,
  // the fee dust no order can close. Such a position counts as flat. Default: 0.
  virtual double dust_quantity(std::string_view symbol) const {
    (void)symbol;
    return 0;
  }

  // For the command/query set (core/engine/commands), on the loop thread:
  // The account as records, for a snapshot queries read. The default tells what account_view(),
  // cash() and position() know (no ids, no order history).
  virtual void describe(AccountSnapshot& out) const;
  // At most `max_points` points of the equity curve, oldest first, spread evenly over it, in
  // O(max_points). Default: none (a venue without a curve).
  virtual void equity_curve(size_t max_points, std::vector<EquityPoint>& out) const {
    (void)max_points;
    out.clear();
  }
  // An operator's force exit of one position: closes `symbol` at market now, the order tagged
  // `tag`; fills come back in out_events. Default: refused (force_exit without a symbol still
  // works through apply()).
  virtual Status close_position(std::string_view symbol, int64_t time_ns, const std::string& tag,
                                std::vector<EventPayload>& out_events);
  // Cancels one resting order by its client order id. Default: refused.
  virtual Status cancel_order(std::string_view client_order_id, int64_t time_ns,
                              std::vector<EventPayload>& out_events);
};

}  // namespace cephalo
