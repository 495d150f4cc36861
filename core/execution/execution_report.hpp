// ExecutionReport: what happened to an order (accepted, filled, cancelled, ...) and its fills.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cephalo/tentacle.h>

#include <cstdint>
#include <optional>
#include <string>

namespace cephalo {

// kCancelled answers a cancel() request; kExpired is the order's own time in force ending it (an
// IOC remainder, a FOK that could not fill whole), as Binance reports such orders.
enum class OrderUpdate { kAccepted, kPartiallyFilled, kFilled, kCancelled, kRejected, kExpired };

// Maker: a limit order's fill (no slippage, maker fee). Taker: market and stop fills.
enum class Liquidity { kMaker, kTaker };

// Prices in quote per base, quantity in base units, fee in fee_currency (the quote currency),
// time in ns since epoch UTC: the bar's open time for fills at the open, its close time otherwise.
struct SimFill {
  std::string client_order_id;
  std::string trade_id;  // "sim-<n>", n counting from 1 per exchange: same run, same ids
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;
  double price = 0;
  double fee = 0;
  std::string fee_currency;
  Liquidity liquidity = Liquidity::kTaker;
  int64_t time_ns = 0;

  friend bool operator==(const SimFill&, const SimFill&) = default;
};

struct ExecutionReport {
  OrderUpdate update = OrderUpdate::kAccepted;
  std::string client_order_id;
  std::string symbol;
  int64_t time_ns = 0;
  double filled_quantity = 0;     // base units filled so far, this report's fill included
  double remaining_quantity = 0;  // base units still working; 0 once the order is done
  std::optional<SimFill> fill;    // set on kPartiallyFilled and kFilled
  std::string reason;             // why, for kRejected, kExpired and kCancelled

  friend bool operator==(const ExecutionReport&, const ExecutionReport&) = default;
};

const char* order_update_name(OrderUpdate update);
const char* liquidity_name(Liquidity liquidity);

}  // namespace cephalo
