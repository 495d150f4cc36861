// What a spot venue says, in exact decimals: orders, trades, balances, candles, stream events.
// Thread-safety: plain values.
//
// Times are ms since the epoch UTC, as the venue sends them (the engine's ns come later).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exchange/decimal.hpp"
#include "exchange/filters.hpp"

namespace cephalo::exchange {

enum class OrderType { kLimit, kMarket };
enum class TimeInForce { kGtc, kIoc, kFok };
// Binance's order status values that the spot subset uses.
enum class VenueOrderStatus { kNew, kPartiallyFilled, kFilled, kCanceled, kRejected, kExpired };

const char* side_text(OrderSide side);  // "BUY" / "SELL"
const char* order_type_text(OrderType type);
const char* time_in_force_text(TimeInForce tif);
const char* venue_status_text(VenueOrderStatus status);

// A new order as it will be sent: already shaped to the symbol's filters.
struct OrderRequest {
  std::string symbol;
  OrderSide side = OrderSide::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce time_in_force = TimeInForce::kGtc;
  Decimal quantity;
  Decimal price;  // zero for market orders
  std::string client_order_id;
};

// An order as the venue reports it (order endpoints and executionReport alike).
struct VenueOrder {
  std::string symbol;
  std::string client_order_id;
  int64_t order_id = 0;
  OrderSide side = OrderSide::kBuy;
  OrderType type = OrderType::kLimit;
  VenueOrderStatus status = VenueOrderStatus::kNew;
  Decimal price, orig_qty, executed_qty, cumulative_quote_qty;
  int64_t update_time_ms = 0;  // transactTime / updateTime / E
};

// One execution (myTrades row or the fill part of an executionReport).
struct VenueTrade {
  std::string symbol;
  int64_t trade_id = 0;
  int64_t order_id = 0;
  std::string client_order_id;  // empty from myTrades (it reports orderId only)
  OrderSide side = OrderSide::kBuy;
  Decimal price, quantity, commission;
  std::string commission_asset;
  int64_t time_ms = 0;
};

struct Balance {
  std::string asset;
  Decimal free, locked;
};

// One kline, from REST or the kline stream.
struct KlineBar {
  std::string symbol;
  std::string interval;
  int64_t open_time_ms = 0, close_time_ms = 0;
  Decimal open, high, low, close, volume;
  int64_t trade_count = 0;
  bool closed = true;
};

// executionReport: the order's new state and, for x=TRADE, the fill it carries.
struct ExecutionReport {
  int64_t event_time_ms = 0;
  VenueOrder order;
  std::string execution_type;      // NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED
  std::optional<VenueTrade> fill;  // set when execution_type is TRADE
};

struct AccountPosition {
  int64_t event_time_ms = 0;
  std::vector<Balance> balances;
};

struct BookTicker {
  std::string symbol;
  int64_t update_id = 0;
  Decimal bid_price, bid_qty, ask_price, ask_qty;
};

struct TradeTick {
  std::string symbol;
  int64_t trade_id = 0;
  Decimal price, quantity;
  int64_t time_ms = 0;
};

}  // namespace cephalo::exchange
