// The core's own market records: what flows through the event loop and into storage.
// Thread-safety: plain values.
//
// Prices are in quote currency per unit of base, quantities in base units, times in ns since the
// epoch UTC. They are doubles like the ABI's (see tentacle.h for why that is safe for signals).
#pragma once

#include <cephalo/tentacle.h>

#include <cstdint>
#include <string>

#include "model/name_table.hpp"

namespace cephalo {

struct Candle {
  Name symbol;
  Name timeframe;
  int64_t open_time_ns = 0;
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
};

struct Evaluation {
  Name symbol;
  Name evaluator;
  double value = 0;       // [-1, 1]
  double confidence = 0;  // [0, 1]
};

// The A/B slot a signal, order intent or fill belongs to: the core stamps it (tentacles do not
// see it), and routes each record only within its slot. 0 when the config has no slots.
using SlotIndex = uint32_t;

struct Signal {
  Name symbol;
  Name strategy;
  cephalo_signal_intent intent = CEPHALO_SIGNAL_ENTER_LONG;
  double strength = 0, confidence = 0, stop_price = 0, target_price = 0;
  SlotIndex slot = 0;
};

struct OrderIntent {
  Name symbol;
  Name source;  // the trading mode that proposed it
  cephalo_side side = CEPHALO_SIDE_BUY;
  cephalo_order_type type = CEPHALO_ORDER_MARKET;
  cephalo_time_in_force time_in_force = CEPHALO_TIF_GTC;
  double quantity = 0, price = 0, stop_price = 0;
  std::string tag;
  SlotIndex slot = 0;
};

struct Fill {
  Name symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  std::string client_order_id;
  double quantity = 0, price = 0, fee = 0;
  std::string fee_currency;
  SlotIndex slot = 0;
};

struct ErrorInfo {
  std::string source;
  std::string message;
};

// A tentacle's timer came due (ABI 1.3). Routed only to the instance that set it.
struct TimerFired {
  uint64_t timer_id = 0;
  int64_t due_ns = 0;     // core clock
  int64_t period_ns = 0;  // 0 = one-shot
};

// The ABI's enum types are all int32_t typedefs, so these cannot be overloads of one name.
const char* signal_intent_name(cephalo_signal_intent intent);
const char* side_name(cephalo_side side);
const char* order_type_name(cephalo_order_type type);
const char* time_in_force_name(cephalo_time_in_force tif);
const char* kind_to_string(cephalo_kind kind);

}  // namespace cephalo
