// TradeFill: what the portfolio needs to know about one execution, whoever produced it.
// Thread-safety: a plain value.
#pragma once

#include <cephalo/tentacle.h>

#include <cstdint>
#include <string>

namespace cephalo {

// Doubles, like every price in the core: fills come from venue-rounded prices and quantities, and
// the same inputs are summed in the same order on every run, so results stay bit-identical.
struct TradeFill {
  std::string pair;  // "BASE/QUOTE"
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;  // base units, > 0
  double price = 0;     // quote per base, > 0
  double fee = 0;       // quote currency, >= 0
  int64_t time_ns = 0;  // ns since epoch UTC
  std::string tag;      // the order's tag: the exit_reason when this fill closes a round trip
};

}  // namespace cephalo
