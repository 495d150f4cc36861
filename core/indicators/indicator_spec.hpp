// Indicator specs ("sma:10,macd:12:26:9,bbands:20:2"): parsing them into indicator instances.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indicators/streaming_indicator.hpp"
#include "model/result.hpp"

namespace cephalo {

// One item: "name" or "name:p1:p2...". Known names and parameters:
//   sma|ema|wma|rsi|atr|adx|cci|mfi|willr|roc:period   macd:fast:slow:signal
//   bbands:period:k   stoch:fastk:slowk:slowd   obv
// Errors name the item and say what it needs: "'macd:12' needs 3 parameters fast:slow:signal".
Result<std::unique_ptr<StreamingIndicator>> make_indicator(std::string_view item);

// A comma-separated list of items, whitespace around items ignored. Every bad item is reported
// at once (one line each); an item given twice (same output columns) is an error too.
Result<std::vector<std::unique_ptr<StreamingIndicator>>> parse_indicator_spec(
    std::string_view spec);

// The list above as one line per indicator, for --help texts and error messages.
std::string indicator_spec_help();

}  // namespace cephalo
