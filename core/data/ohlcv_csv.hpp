// Parser for OHLCV CSV text ("timestamp,open,high,low,close,volume" header) (internal).
// Thread-safety: pure function over its arguments; safe from any thread.
#pragma once

#include <string_view>

#include "data/ohlcv_validator.hpp"

namespace cephalo {

// Streams every row of `text` into `validator`, locating rows by 1-based line number.
void parse_ohlcv_csv(std::string_view text, OhlcvValidator& validator);

}  // namespace cephalo
