// Strict parsers for Binance spot answers and stream events: every number is checked at this
// boundary (NaN, Inf, overflow, non-numeric, wrong type or missing field are refused, naming the
// field), so nothing past it ever sees a venue value that is not a finite exact decimal.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "exchange/venue_types.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

// {"code":-2013,"msg":"Order does not exist."}; nullopt when the body is not that shape.
struct VenueErrorBody {
  int code = 0;
  std::string msg;
};
std::optional<VenueErrorBody> parse_error_body(std::string_view body);

Result<int64_t> parse_server_time(std::string_view body);
// GET /api/v3/avgPrice: {mins, price, closeTime}: the price and its window in minutes.
Result<std::pair<Decimal, int64_t>> parse_average_price(std::string_view body);
// GET /api/v3/referencePrice: {symbol, referencePrice, timestamp}; nullopt when it is null.
Result<std::optional<Decimal>> parse_reference_price(std::string_view body);
// exchangeInfo: rateLimits, and every symbol's status, permissions and filters.
Result<ExchangeInfo> parse_exchange_info(std::string_view body);
// POST/GET /api/v3/order (RESULT or FULL response types), any documented order type.
Result<VenueOrder> parse_order(std::string_view body);
// DELETE /api/v3/order: the order is named by `origClientOrderId`; `clientOrderId` there is the
// cancel request's own id (rest-api.md "Cancel order").
Result<VenueOrder> parse_cancel_order(std::string_view body);
Result<std::vector<VenueOrder>> parse_orders(std::string_view body);  // openOrders
Result<AccountInfo> parse_account(std::string_view body);
Result<std::vector<Balance>> parse_account_balances(std::string_view body);
Result<std::vector<VenueTrade>> parse_my_trades(std::string_view body);
// REST klines: arrays of 12 fields; `symbol`/`interval` are what was asked for.
Result<std::vector<KlineBar>> parse_klines(std::string_view body, std::string_view symbol,
                                           std::string_view interval);


// One WebSocket message: a market stream's (single-stream, or combined {"stream":..,"data":..})
// or a WebSocket API user data event ({"subscriptionId":N,"event":{...}}).
struct UnknownStreamEvent {
  std::string event_type;
};
// user-data-stream.md "Event Stream Terminated": the subscription ended; subscribe again.
struct StreamTerminated {
  int64_t event_time_ms = 0;
};
// web-socket-api.md "Server Shutdown": reconnect now.
struct ServerShutdown {
  int64_t event_time_ms = 0;
};
using StreamEvent = std::variant<KlineBar, ExecutionReport, AccountPosition, BookTicker, TradeTick,
                                 StreamTerminated, ServerShutdown, UnknownStreamEvent>;
Result<StreamEvent> parse_stream_message(std::string_view message);

// A WebSocket API response frame (web-socket-api.md "Response format"): {"id", "status",
// "result" | "error", "rateLimits"}. `result` is kept as JSON text for the caller's parser.
struct WsApiResponse {
  std::string id;  // the request id (string or integer, as text); empty when null
  int status = 0;
  std::string result_json;
  VenueErrorBody error;  // when status != 200
  std::vector<std::pair<RateLimitRule, int64_t>> rate_limits;  // rule and its current count
};
// Frames are either responses (they carry "status") or events; nullopt for an event.
Result<std::optional<WsApiResponse>> parse_ws_api_response(std::string_view frame);

// The kline stream alone, without the variant and DOM: the tick-to-order hot path.
// Same strictness as parse_stream_message; `out_bar` is reused to avoid allocations.
Status parse_kline_event(std::string_view message, KlineBar& out_bar);

}  // namespace cephalo::exchange
