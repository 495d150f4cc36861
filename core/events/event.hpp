// Event: one record in the loop (sequence, exchange time, receive time, typed payload).
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <variant>

#include "model/market.hpp"

namespace cephalo {

// Alternatives in the order of cephalo_event_type (CANDLE = 1 ... TIMER = 7), so the variant index
// maps to the ABI's type code.
using EventPayload =
    std::variant<Candle, Evaluation, Signal, OrderIntent, Fill, ErrorInfo, TimerFired>;

struct Event {
  uint64_t sequence = 0;         // unique and increasing within a run, assigned by the loop
  int64_t exchange_time_ns = 0;  // when the venue (or the data file) says it happened
  int64_t receive_time_ns = 0;   // when the core saw it; equal to exchange time in replays
  EventPayload payload;

  cephalo_event_type type() const { return static_cast<cephalo_event_type>(payload.index() + 1); }
};

const char* event_type_name(cephalo_event_type type);

}  // namespace cephalo
