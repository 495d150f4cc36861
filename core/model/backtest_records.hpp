// Records a backtest produces: closed trades, open positions, rejected orders, the equity curve.
// Thread-safety: plain values.
//
// Money is double: these are results for reports, computed in the same IEEE arithmetic on every
// run, so the same inputs give bit-identical outputs; venue rounding happens before fills.
#pragma once

#include <cstdint>
#include <string>

namespace cephalo {

// A round trip: from flat to a position and back to flat on one pair. Times in ns since epoch UTC,
// prices in quote currency, quantity in base, fees and pnl in quote (pnl after all fees).
struct ClosedTrade {
  std::string pair;
  int64_t entry_time_ns = 0;
  double entry_price = 0;  // quantity-weighted average of the entry fills
  int64_t exit_time_ns = 0;
  double exit_price = 0;   // quantity-weighted average of the exit fills
  double quantity = 0;
  double fees = 0;
  double pnl = 0;
  std::string exit_reason;  // the exit order's tag: "signal", "stop_loss", "take_profit", ...
};

struct OpenPosition {
  std::string pair;
  int64_t entry_time_ns = 0;
  double entry_price = 0;
  double quantity = 0;
  double fees = 0;            // entry fees paid so far
  double last_price = 0;      // the last close it is valued at
  double unrealised_pnl = 0;  // at last_price, after entry fees, before any exit fee
};

struct RejectedOrder {
  std::string pair;
  int64_t time_ns = 0;
  std::string side;  // "buy" | "sell"
  double quantity = 0;
  double price = 0;  // the price it would have filled at, 0 if unknown
  std::string reason;
};

struct EquityPoint {
  int64_t time_ns = 0;
  double equity = 0;  // cash + positions at their last close, in quote currency
};

}  // namespace cephalo
