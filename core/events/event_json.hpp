// The JSON form of an event: what interfaces receive and what the events table journals.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace cephalo {

// {"sequence":..,"type":"candle","exchange_time_ns":..,"receive_time_ns":..,"payload":{...}}
nlohmann::json event_to_json(const Event& event);
nlohmann::json payload_to_json(const EventPayload& payload);

}  // namespace cephalo
