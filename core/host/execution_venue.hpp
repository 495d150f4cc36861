// ExecutionVenue: where approved order intents go and what the portfolio view reads from.
// Thread-safety: loop thread only.
//
// The pipeline calls the venue; the venue never calls tentacles. A backtest plugs in the simulated
// exchange; paper and live trading plug in their own venues behind the same interface.
#pragma once

#include <vector>

#include "events/event.hpp"

namespace cephalo {

class ExecutionVenue {
 public:
  virtual ~ExecutionVenue() = default;
  // A new candle, before any tentacle sees it: resting orders of its symbol may fill against it.
  // Fills come back as events, dispatched right after the candle.
  virtual void on_candle(const Candle& candle, int64_t time_ns,
                         std::vector<EventPayload>& out_events) = 0;
  // An order intent the core approved. `sequence` is the intent event's, for the audit trail.
  virtual void on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                               std::vector<EventPayload>& out_events) = 0;
  // The portfolio view tentacles read (ABI 1.1): cash in quote, position in base.
  virtual double cash() const = 0;
  virtual void position(std::string_view symbol, double& quantity,
                        double& average_price) const = 0;
};

}  // namespace cephalo
