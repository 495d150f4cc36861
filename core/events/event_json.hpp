// The JSON form of an event: what interfaces receive and what the events table journals.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "events/event.hpp"

namespace cephalo {

// {"sequence":..,"type":"candle","exchange_time_ns":..,"receive_time_ns":..,"payload":{...}}
nlohmann::json event_to_json(const Event& event);
nlohmann::json payload_to_json(const EventPayload& payload);
// The same text as payload_to_json(payload).dump(), byte for byte. Order intents and fills (what
// the events table journals per trade) are written straight into the string, without building a
// JSON document first: on the loop thread of a busy backtest the document cost more than the row.
std::string payload_json_text(const EventPayload& payload);

}  // namespace cephalo
