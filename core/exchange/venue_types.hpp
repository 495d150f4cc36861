// What a spot venue says, in exact decimals: orders, trades, balances, candles, stream events.
// Thread-safety: plain values.
//
// Times are ms since the epoch UTC, as the venue sends them (the engine's ns come later).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/decimal.hpp"
#include "exchange/filters.hpp"

namespace cephalo::exchange {

// Every spot order type Binance documents (enums.md "Order types"): the bot places LIMIT, MARKET
// and STOP_LOSS_LIMIT itself, but any of them can be on the account (placed by hand, another
// program, an OCO leg) and must be read.
enum class OrderType {
  kLimit,
  kMarket,
  kStopLoss,
  kStopLossLimit,
  kTakeProfit,
  kTakeProfitLimit,
  kLimitMaker,
};
enum class TimeInForce { kGtc, kIoc, kFok };
// enums.md "Order status": PENDING_NEW and PENDING_CANCEL are not final (a pending cancel can
// still fill); EXPIRED_IN_MATCH is STP's expiry.
enum class VenueOrderStatus {
  kNew,
  kPendingNew,
  kPartiallyFilled,
  kFilled,
  kPendingCancel,
  kCanceled,
  kRejected,
  kExpired,
  kExpiredInMatch,
};

const char* side_text(OrderSide side);  // "BUY" / "SELL"
const char* order_type_text(OrderType type);
std::optional<OrderType> order_type_from_text(std::string_view text);
const char* time_in_force_text(TimeInForce tif);
const char* venue_status_text(VenueOrderStatus status);
std::optional<VenueOrderStatus> venue_status_from_text(std::string_view text);
// Types that rest on the book waiting for a stop price (stopPrice is set).
bool is_stop_type(OrderType type);

// A new order as it will be sent: already shaped to the symbol's filters.
struct OrderRequest {
  std::string symbol;
  OrderSide side = OrderSide::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce time_in_force = TimeInForce::kGtc;
  Decimal quantity;
  Decimal price;       // zero for market orders
  Decimal stop_price;  // STOP_LOSS(_LIMIT) / TAKE_PROFIT(_LIMIT) only, else zero
  std::string client_order_id;
  // selfTradePreventionMode (enums.md "STP Modes"); empty: the symbol's default.
  std::string self_trade_prevention;
};

struct Balance {
  std::string asset;
  Decimal free, locked;
};

// An order as the venue reports it (order endpoints and executionReport alike).
struct VenueOrder {
  std::string symbol;
  std::string client_order_id;
  int64_t order_id = 0;
  OrderSide side = OrderSide::kBuy;
  OrderType type = OrderType::kLimit;
  VenueOrderStatus status = VenueOrderStatus::kNew;
  TimeInForce time_in_force = TimeInForce::kGtc;
  Decimal price, orig_qty, executed_qty, cumulative_quote_qty;
  Decimal stop_price;          // zero when the type has none
  int64_t order_list_id = -1;  // an OCO/OTO leg's list, -1 for a plain order
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
  // NEW, CANCELED, REPLACED (amended: q is the new quantity), REJECTED, TRADE, EXPIRED,
  // TRADE_PREVENTION
  std::string execution_type;
  std::optional<VenueTrade> fill;  // set when execution_type is TRADE
  // `c` when `C` names the order: the cancel's own id, or an amended order's new client id
  // (order.amend.keepPriority gives one unless the old id is passed as newClientOrderId).
  std::string request_client_order_id;
};

// A rate limit from exchangeInfo.rateLimits (enums.md "Rate limiters"): REQUEST_WEIGHT, ORDERS
// or RAW_REQUESTS, `limit` per `interval_num` x interval.
struct RateLimitRule {
  std::string type;      // REQUEST_WEIGHT | ORDERS | RAW_REQUESTS
  std::string interval;  // SECOND | MINUTE | HOUR | DAY
  int64_t interval_num = 1;
  int64_t limit = 0;
  int64_t interval_ms() const;
};

// exchangeInfo: the limits of the IP and account, and each symbol's rules.
struct ExchangeInfo {
  std::vector<RateLimitRule> rate_limits;
  std::vector<SymbolFilters> symbols;
};

// The price a symbol's PERCENT_PRICE(_BY_SIDE) and a MARKET order's NOTIONAL filters compare with
// (filters.md): its reference price when it has one (GET /api/v3/referencePrice, non-null), else
// the average price over the filters' avgPriceMins (GET /api/v3/avgPrice).
struct FilterPrice {
  Decimal price;       // quote per base
  std::string source;  // "referencePrice" or "avgPrice 5 min": for log lines
};

// GET /api/v3/account: whether this account may trade spot, and its balances.
struct AccountInfo {
  bool can_trade = false;
  std::string account_type;              // "SPOT"
  std::vector<std::string> permissions;  // e.g. ["SPOT"]
  std::vector<Balance> balances;
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
