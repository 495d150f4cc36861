// Strict parsers for Binance spot answers and stream events: every number is checked at this
// boundary (NaN, Inf, overflow, non-numeric, wrong type or missing field are refused, naming the
// field), so nothing past it ever sees a venue value that is not a finite exact decimal.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "exchange/venue_types.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

Result<int64_t> parse_server_time(std::string_view body);
// exchangeInfo: the filters of every symbol listed.
Result<std::vector<SymbolFilters>> parse_exchange_info(std::string_view body);
// POST/GET/DELETE /api/v3/order (RESULT or FULL response types).
Result<VenueOrder> parse_order(std::string_view body);
Result<std::vector<VenueOrder>> parse_orders(std::string_view body);  // openOrders
Result<std::vector<Balance>> parse_account_balances(std::string_view body);
Result<std::vector<VenueTrade>> parse_my_trades(std::string_view body);
// REST klines: arrays of 12 fields; `symbol`/`interval` are what was asked for.
Result<std::vector<KlineBar>> parse_klines(std::string_view body, std::string_view symbol,
                                           std::string_view interval);
Result<std::string> parse_listen_key(std::string_view body);

// {"code":-2013,"msg":"Order does not exist."}; nullopt when the body is not that shape.
struct VenueErrorBody {
  int code = 0;
  std::string msg;
};
std::optional<VenueErrorBody> parse_error_body(std::string_view body);

// One WebSocket message, single-stream or combined ({"stream":..,"data":..}).
struct UnknownStreamEvent {
  std::string event_type;
};
using StreamEvent = std::variant<KlineBar, ExecutionReport, AccountPosition, BookTicker, TradeTick,
                                 UnknownStreamEvent>;
Result<StreamEvent> parse_stream_message(std::string_view message);

// The kline stream alone, without the variant and DOM: the tick-to-order hot path.
// Same strictness as parse_stream_message; `out_bar` is reused to avoid allocations.
Status parse_kline_event(std::string_view message, KlineBar& out_bar);

}  // namespace cephalo::exchange
