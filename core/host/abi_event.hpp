// AbiEvent: the ABI view of one engine Event, built on the stack for delivery to tentacles.
// Used by the pipeline's routing (pipeline.cpp) and its timers (pipeline_services.cpp).
// Thread-safety: a value on one thread; it borrows the event's strings.
#pragma once

#include <variant>

#include "cephalo/tentacle.h"
#include "events/event.hpp"

namespace cephalo {

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

}  // namespace cephalo
