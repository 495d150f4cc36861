// Bar: one closed candle of one pair, the only market data the simulated exchange sees.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>

namespace cephalo {

// Prices in quote per base, volume in base units, times in ns since epoch UTC. The exchange never
// looks inside the bar beyond open, high, low and close: the within-bar rules in bar_touch.hpp
// say what it assumes about the path between them.
struct Bar {
  std::string symbol;  // "BASE/QUOTE"
  int64_t open_time_ns = 0;
  int64_t close_time_ns = 0;
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
};

}  // namespace cephalo
