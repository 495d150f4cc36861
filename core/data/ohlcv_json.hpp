// Parser for freqtrade-style JSON candle arrays: [[timestamp, open, high, low, close, volume], ...]
// (internal). Thread-safety: pure function over its arguments; safe from any thread.
#pragma once

#include <string_view>

#include "data/ohlcv_validator.hpp"

namespace cephalo {

// Streams every element of the top-level array into `validator`, locating rows by 0-based index.
void parse_ohlcv_json(std::string_view text, OhlcvValidator& validator);

}  // namespace cephalo
