// REST endpoints: rate limits and forced faults first, then authentication, then the handler.
#include "exchange_sim/rest_router.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "exchange_sim/binance_json.hpp"
#include "exchange_sim/query_params.hpp"
#include "exchange_sim/request_auth.hpp"

namespace cephalo::exchange_sim {

namespace {

using nlohmann::json;

RestReply reply(const json& body, int status = 200) {
  return RestReply{status, body.dump(), {}};
}
RestReply refuse(const ApiError& error) {
  return reply(error_json(error), error.http_status);
}

ApiError mandatory(const std::string& name) {
  return ApiError{400, -1102,
                  "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed."};
}

std::optional<int64_t> int_param(const QueryParams& params, const std::string& key) {
  const std::string* text = params.find(key);
  if (text == nullptr) return std::nullopt;
  int64_t value = 0;
  const auto result = std::from_chars(text->data(), text->data() + text->size(), value);
  if (result.ec != std::errc() || result.ptr != text->data() + text->size()) return std::nullopt;
  return value;
}

// `limit`: absent -> the default; not a non-negative integer -> -1100 (errors.md "-1100
// ILLEGAL_CHARS: Illegal characters found in parameter '%s'; legal range is '%s'."), as Binance
// answers `limit=-1`; above the documented maximum -> the maximum (klines: "Default: 500;
// Maximum: 1000", rest-api.md "Kline/Candlestick data").
std::variant<int64_t, ApiError> limit_param(const QueryParams& params, int64_t fallback,
                                            int64_t most) {
  const std::string* text = params.find("limit");
  if (text == nullptr) return fallback;
  const auto value = int_param(params, "limit");
  if (!value || *value < 0 || text->empty() || (*text)[0] == '-' || (*text)[0] == '+') {
    return ApiError{400, -1100,
                    "Illegal characters found in parameter 'limit'; legal range is "
                    "'^[0-9]{1,20}$'."};
  }
  if (*value == 0) return fallback;
  return std::min(*value, most);
}

RestReply exchange_info(SimVenue& venue, const QueryParams& params) {
  std::vector<std::string> wanted;
  if (const std::string* symbol = params.find("symbol")) wanted.push_back(*symbol);
  if (const std::string* symbols = params.find("symbols")) {
    const json list = json::parse(*symbols, nullptr, false);
    if (!list.is_array()) return refuse(mandatory("symbols"));
    for (const json& item : list) {
      if (item.is_string()) wanted.push_back(item.get<std::string>());
    }
  }
  std::vector<const SimMarket*> markets;
  for (const SimMarket& market : venue.config().markets) {
    if (wanted.empty()) markets.push_back(&market);
  }
  for (const std::string& symbol : wanted) {
    const SimMarket* market = venue.engine().market(symbol);
    if (market == nullptr) return refuse({400, -1121, "Invalid symbol."});
    markets.push_back(market);
  }
  return reply(exchange_info_json(markets, venue.config().weight_limit_per_minute, venue.now_ms(),
                                  venue.config().symbol_status));
}

// Closed candles only: the forming one arrives on the kline stream.
RestReply klines(SimVenue& venue, const QueryParams& params) {
  const auto index = venue.market_index(params.get("symbol"));
  if (!index) return refuse({400, -1121, "Invalid symbol."});
  if (params.get("interval") != venue.config().interval) {
    return refuse({400, -1120, "Invalid interval."});
  }
  const auto start = int_param(params, "startTime");
  const auto end = int_param(params, "endTime");
  const auto limit_or_error = limit_param(params, 500, 1000);
  if (const auto* error = std::get_if<ApiError>(&limit_or_error)) return refuse(*error);
  const int64_t limit = std::get<int64_t>(limit_or_error);
  std::vector<OhlcvBar> bars = venue.closed_bars(*index);
  std::erase_if(bars, [&](const OhlcvBar& bar) {
    return (start && bar.open_time_ms < *start) || (end && bar.open_time_ms > *end);
  });
  // Binance: with a startTime the oldest `limit` from there, otherwise the newest `limit`.
  const auto count = std::min<int64_t>(limit, static_cast<int64_t>(bars.size()));
  const auto first = start ? bars.begin() : bars.end() - count;
  json out = json::array();
  for (auto it = first; it != first + count; ++it) {
    out.push_back(kline_array_json(*it, venue.config().interval_ms, 4));
  }
  return reply(out);
}

// GET /api/v3/avgPrice (rest-api.md "Current average price"): {mins, price, closeTime}.
RestReply average_price(SimVenue& venue, const QueryParams& params) {
  const auto index = venue.market_index(params.get("symbol"));
  if (!index) return refuse({400, -1121, "Invalid symbol."});
  const auto average = venue.average_price(*index);
  if (!average) return refuse({400, -1121, "Invalid symbol."});
  return reply({{"mins", venue.config().markets[*index].filters.avg_price_mins},
                {"price", format_units(units_from_double(average->price))},
                {"closeTime", average->last_trade_ms}});
}

// GET /api/v3/referencePrice: the simulated symbols never had one, which Binance answers with
// -2043 (errors.md NO_REFERENCE_PRICE); the filters then use the average price.
RestReply reference_price(SimVenue& venue, const QueryParams& params) {
  if (!venue.market_index(params.get("symbol"))) return refuse({400, -1121, "Invalid symbol."});
  return refuse({400, -2043, "This symbol doesn't have a reference price."});
}

RestReply place_order(SimVenue& venue, const QueryParams& params, bool test_only) {
  PlaceRequest request;
  request.symbol = params.get("symbol");
  request.side = params.get("side");
  request.type = params.get("type");
  request.time_in_force = params.get("timeInForce");
  for (const char* key : {"symbol", "side", "type", "quantity"}) {
    if (params.get(key).empty()) return refuse(mandatory(key));
  }
  if (request.side != "BUY" && request.side != "SELL") return refuse({400, -1117, "Invalid side."});
  if (request.type != "LIMIT" && request.type != "MARKET" && request.type != "STOP_LOSS_LIMIT" &&
      request.type != "TAKE_PROFIT_LIMIT") {
    return refuse({400, -1116, "Invalid orderType."});
  }
  const auto quantity = parse_units(params.get("quantity"));
  if (!quantity) return refuse(mandatory("quantity"));
  request.quantity = *quantity;
  if (request.type == "STOP_LOSS_LIMIT" || request.type == "TAKE_PROFIT_LIMIT") {
    const auto stop = parse_units(params.get("stopPrice"));
    if (!stop || *stop <= 0) return refuse(mandatory("stopPrice"));
    request.stop_price = *stop;
  } else if (params.find("stopPrice") != nullptr) {
    return refuse({400, -1106, "Parameter 'stopPrice' sent when not required."});
  }
  const std::string stp = params.get("selfTradePreventionMode");
  if (!stp.empty() && stp != "NONE" && stp != "EXPIRE_TAKER" && stp != "EXPIRE_MAKER" &&
      stp != "EXPIRE_BOTH" && stp != "DECREMENT" && stp != "TRANSFER") {
    return refuse({400, -1130, "Data sent for parameter 'selfTradePreventionMode' is not valid."});
  }
  if (venue.config().symbol_status != "TRADING") {
    return refuse({400, -1013, "Market is closed."});
  }
  if (request.type != "MARKET") {
    if (request.time_in_force.empty()) return refuse(mandatory("timeInForce"));
    if (request.time_in_force != "GTC" && request.time_in_force != "IOC" &&
        request.time_in_force != "FOK") {
      return refuse({400, -1115, "Invalid timeInForce."});
    }
    const auto price = parse_units(params.get("price"));
    if (!price) return refuse(mandatory("price"));
    request.price = *price;
  } else if (params.find("price") != nullptr) {
    return refuse({400, -1106, "Parameter 'price' sent when not required."});
  }
  request.client_order_id = params.get("newClientOrderId");
  if (request.client_order_id.empty()) request.client_order_id = venue.next_client_order_id();
  std::string response_type = params.get("newOrderRespType");
  if (response_type.empty()) response_type = "FULL";  // Binance's default for LIMIT and MARKET
  if (test_only) {
    // POST /api/v3/order/test: validated (filters, balance) like an order, never placed.
    if (auto error = venue.engine().check(request, venue.market_now(request.symbol))) {
      return refuse(*error);
    }
    return reply(json::object());
  }

  auto placed = venue.engine().place(request, venue.market_now(request.symbol), venue.now_ms());
  if (auto* error = std::get_if<ApiError>(&placed)) {
    // A real -2010 for a reused client id: a client that re-sends an order shows up here.
    if (error->code == -2010 && error->msg == "Duplicate order sent.") venue.count_duplicate();
    return refuse(*error);
  }
  const PlaceOutcome& outcome = std::get<PlaceOutcome>(placed);
  venue.publish_user_updates(outcome.updates);
  if (venue.faults().duplicate_order_left > 0) {
    // The order exists and trades; the client only sees the answer a second copy would get.
    --venue.faults().duplicate_order_left;
    return refuse({400, -2010, "Duplicate order sent."});
  }
  if (venue.faults().order_5xx_left > 0) {
    // The order exists and trades; only the reply is lost, as when a venue's gateway times out.
    --venue.faults().order_5xx_left;
    return refuse({venue.faults().order_5xx_status, -1007,
                   "Timeout waiting for response from backend server. Send status unknown; "
                   "execution status unknown."});
  }
  RestReply out = reply(place_response_json(outcome, response_type));
  const auto [count_10s, count_day] = venue.count_order(SimVenue::wall_ms());
  out.headers.emplace_back("X-MBX-ORDER-COUNT-10S", std::to_string(count_10s));
  out.headers.emplace_back("X-MBX-ORDER-COUNT-1D", std::to_string(count_day));
  return out;
}

RestReply place_oco(SimVenue& venue, const QueryParams& params) {
  for (const char* key : {"symbol", "side", "quantity", "aboveType", "belowType"}) {
    if (params.get(key).empty()) return refuse(mandatory(key));
  }
  OcoRequest request;
  request.symbol = params.get("symbol");
  request.side = params.get("side");
  if (request.side != "BUY" && request.side != "SELL") return refuse({400, -1117, "Invalid side."});
  const auto quantity = parse_units(params.get("quantity"));
  if (!quantity) return refuse(mandatory("quantity"));
  request.quantity = *quantity;
  request.list_client_order_id = params.get("listClientOrderId");
  if (request.list_client_order_id.empty()) {
    request.list_client_order_id = venue.next_client_order_id();
  }
  for (const auto& [prefix, leg] :
       {std::pair{"above", &request.above}, {"below", &request.below}}) {
    const std::string p(prefix);
    leg->symbol = request.symbol;
    leg->side = request.side;
    leg->type = params.get(p + "Type");
    leg->quantity = request.quantity;
    leg->time_in_force = "GTC";
    leg->price = parse_units(params.get(p + "Price")).value_or(0);
    leg->stop_price = parse_units(params.get(p + "StopPrice")).value_or(0);
    leg->client_order_id = params.get(p + "ClientOrderId");
    if (leg->client_order_id.empty()) leg->client_order_id = venue.next_client_order_id();
    if (leg->price <= 0) return refuse(mandatory(p + "Price"));
    if (leg->type != "LIMIT_MAKER" && leg->stop_price <= 0) {
      return refuse(mandatory(p + "StopPrice"));
    }
  }
  if (venue.config().symbol_status != "TRADING") return refuse({400, -1013, "Market is closed."});
  auto placed = venue.engine().place_oco(request, venue.market_now(request.symbol), venue.now_ms());
  if (auto* error = std::get_if<ApiError>(&placed)) return refuse(*error);
  const auto& [outcome, above] = std::get<std::pair<PlaceOutcome, SimOrder>>(placed);
  venue.publish_user_updates(outcome.updates);
  return reply(order_list_response_json(outcome.order, above, request.list_client_order_id));
}

RestReply query_order(SimVenue& venue, const QueryParams& params) {
  const std::string symbol = params.get("symbol");
  if (symbol.empty()) return refuse(mandatory("symbol"));
  const std::string client_id = params.get("origClientOrderId");
  const auto order_id = int_param(params, "orderId");
  if (client_id.empty() && !order_id) return refuse(mandatory("orderId"));
  const SimOrder* order = venue.engine().find(symbol, client_id, order_id.value_or(0));
  const bool hidden =
      order != nullptr && venue.now_ms() - order->time_ms < venue.faults().order_query_hidden_ms;
  if (order == nullptr || hidden) return refuse({400, -2013, "Order does not exist."});
  return reply(order_json(*order));
}

RestReply cancel_order(SimVenue& venue, const QueryParams& params) {
  const std::string symbol = params.get("symbol");
  if (symbol.empty()) return refuse(mandatory("symbol"));
  const std::string client_id = params.get("origClientOrderId");
  const auto order_id = int_param(params, "orderId");
  if (client_id.empty() && !order_id) return refuse(mandatory("orderId"));
  std::string cancel_id = params.get("newClientOrderId");
  if (cancel_id.empty()) cancel_id = venue.next_client_order_id();
  auto cancelled =
      venue.engine().cancel(symbol, client_id, order_id.value_or(0), cancel_id, venue.now_ms());
  if (auto* error = std::get_if<ApiError>(&cancelled)) return refuse(*error);
  const OrderUpdate& update = std::get<OrderUpdate>(cancelled);
  venue.publish_user_updates({update});
  return reply(cancel_response_json(update));
}

RestReply open_orders(SimVenue& venue, const QueryParams& params) {
  const std::string symbol = params.get("symbol");
  if (!symbol.empty() && venue.engine().market(symbol) == nullptr) {
    return refuse({400, -1121, "Invalid symbol."});
  }
  json out = json::array();
  for (const SimOrder* order : venue.engine().open_orders(symbol))
    out.push_back(order_json(*order));
  return reply(out);
}

RestReply my_trades(SimVenue& venue, const QueryParams& params) {
  const std::string symbol = params.get("symbol");
  if (symbol.empty()) return refuse(mandatory("symbol"));
  const auto from_id = int_param(params, "fromId");
  const auto order_id = int_param(params, "orderId");
  const auto start = int_param(params, "startTime");
  const auto end = int_param(params, "endTime");
  const auto limit_or_error = limit_param(params, 500, 1000);
  if (const auto* error = std::get_if<ApiError>(&limit_or_error)) return refuse(*error);
  const int64_t limit = std::get<int64_t>(limit_or_error);
  json out = json::array();
  for (const SimTrade& trade : venue.engine().trades()) {
    if (trade.symbol != symbol || (from_id && trade.trade_id < *from_id) ||
        (order_id && trade.order_id != *order_id) || (start && trade.time_ms < *start) ||
        (end && trade.time_ms > *end)) {
      continue;
    }
    if (static_cast<int64_t>(out.size()) == limit) break;
    out.push_back(my_trade_json(trade));
  }
  return reply(out);
}

// The listenKey endpoints were retired on 2026-02-20 07:00 UTC (CHANGELOG 2026-01-21). Since
// then Binance's edge answers them with an nginx "410 Gone" page, not JSON, before any weight is
// counted; seen by clients on 2026-02-20..24 (GitHub: thrasher-corp/gocryptotrader#2190, the body
// below; oliver-zehentleitner/unicorn-binance-websocket-api#399, "POST /api/v3/userDataStream
// HTTP/1.1" 410 136). Each call is counted, so a test can assert a connector made none.
RestReply retired_user_data_stream(SimVenue& venue, const std::string& method) {
  venue.count_retired_call(method + " /api/v3/userDataStream");
  RestReply out{410,
                "<html>\r\n<head><title>410 Gone</title></head>\r\n<body>\r\n<center><h1>410 "
                "Gone</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                {}};
  out.headers.emplace_back("Content-Type", "text/html");
  return out;
}

RestReply sim_state(SimVenue& venue) {
  json markets = json::array();
  for (size_t i = 0; i < venue.config().markets.size(); ++i) {
    markets.push_back({{"symbol", venue.config().markets[i].symbol},
                       {"closed_candles", venue.replay().closed_candles(i)},
                       {"forming_candle", venue.replay().forming_candle(i)},
                       {"last_price", decimal_text(venue.replay().last_price(i).value_or(0))}});
  }
  json balances = json::array();
  for (const auto& [asset, balance] : venue.engine().balances()) {
    balances.push_back({{"asset", asset},
                        {"free", format_units(balance.free)},
                        {"locked", format_units(balance.locked)}});
  }
  json orders = json::array();
  for (const auto& [id, order] : venue.engine().orders()) orders.push_back(order_json(order));
  json retired = json::object();
  for (const auto& [what, count] : venue.retired_calls()) retired[what] = count;
  json trades = json::array();
  for (const SimTrade& trade : venue.engine().trades()) {
    json item = my_trade_json(trade);
    item["clientOrderId"] = trade.client_order_id;
    trades.push_back(std::move(item));
  }
  return reply({{"server_time", venue.now_ms()},
                {"quarters_played", venue.replay().quarters_played()},
                {"finished", venue.replay().finished()},
                {"markets", std::move(markets)},
                {"balances", std::move(balances)},
                {"orders", std::move(orders)},
                {"trades", std::move(trades)},
                {"faults", faults_json(venue.faults(), SimVenue::wall_ms())},
                {"websocket_connections", venue.hub().connections()},
                {"used_weight", venue.limiter().used_weight(SimVenue::wall_ms())},
                {"rate_limit",
                 {{"requests", venue.limiter().counts().requests},
                  {"requests_during_backoff", venue.limiter().counts().requests_during_backoff},
                  {"requests_during_ban", venue.limiter().counts().requests_during_ban},
                  {"retry_after_until_ms", venue.limiter().retry_after_until_ms()},
                  {"banned_until_ms", venue.limiter().banned_until_ms()}}},
                {"duplicate_orders_refused", venue.duplicates_refused()},
                {"user_data_subscriptions", venue.user_subscriptions()},
                {"retired_endpoint_calls", retired}});
}

RestReply sim_control(SimVenue& venue, const RestRequest& request) {
  if (request.method == "GET" && request.path == "/sim/state") return sim_state(venue);
  const json document = json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
  if (request.method == "POST" && request.path == "/sim/faults") {
    const auto actions = apply_faults(venue.faults(), document, SimVenue::wall_ms());
    if (!actions) return reply({{"error", actions.error()}}, 400);
    if (actions->terminate_user_streams) {
      venue.hub().terminate_user_subscriptions(venue.now_ms());
    }
    if (actions->server_shutdown) venue.hub().announce_shutdown(venue.now_ms());
    if (actions->drop_websockets) venue.hub().drop_all();
    if (actions->reset_rate_limit) venue.limiter().reset();
    return reply(faults_json(venue.faults(), SimVenue::wall_ms()));
  }
  if (request.method == "POST" && request.path == "/sim/advance") {
    // {"candles": N} and/or {"quarters": N}: non-negative integers, at most a million candles;
    // anything else is refused whole (a negative count once silently did nothing).
    if (!document.is_object()) return reply({{"error", "expected a JSON object"}}, 400);
    int64_t quarters = 0;
    for (const auto& [key, value] : document.items()) {
      if (key != "candles" && key != "quarters") {
        return reply({{"error", "/sim/advance: unknown key '" + key +
                                    "'; expected {\"candles\": N} or {\"quarters\": N}"}},
                     400);
      }
      if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
          value.get<int64_t>() > 4'000'000) {
        return reply(
            {{"error", "/sim/advance: '" + key + "' must be an integer from 0 to " +
                           (key == "candles" ? "1000000" : "4000000") + ", found " + value.dump()}},
            400);
      }
      quarters += key == "candles" ? 4 * value.get<int64_t>() : value.get<int64_t>();
    }
    venue.advance_quarters(quarters);
    return reply({{"quarters_played", venue.replay().quarters_played()},
                  {"finished", venue.replay().finished()}});
  }
  return reply({{"error", "unknown control endpoint " + request.method + " " + request.path}}, 404);
}

enum class Security { kNone, kApiKey, kSigned };

// The Binance endpoint a request names, or nullopt.
std::optional<Security> endpoint_security(const std::string& method, const std::string& path) {
  if (method == "GET" && (path == "/api/v3/ping" || path == "/api/v3/time" ||
                          path == "/api/v3/exchangeInfo" || path == "/api/v3/klines" ||
                          path == "/api/v3/avgPrice" || path == "/api/v3/referencePrice")) {
    return Security::kNone;
  }
  if (path == "/api/v3/order" && (method == "POST" || method == "GET" || method == "DELETE")) {
    return Security::kSigned;
  }
  if (path == "/api/v3/order/test" && method == "POST") return Security::kSigned;
  if (path == "/api/v3/orderList/oco" && method == "POST") return Security::kSigned;
  if (method == "GET" &&
      (path == "/api/v3/openOrders" || path == "/api/v3/account" || path == "/api/v3/myTrades")) {
    return Security::kSigned;
  }
  return std::nullopt;
}

RestReply dispatch(SimVenue& venue, const RestRequest& request, const QueryParams& params) {
  const std::string& path = request.path;
  if (path == "/api/v3/ping") return reply(json::object());
  if (path == "/api/v3/time") return reply({{"serverTime", venue.now_ms()}});
  if (path == "/api/v3/exchangeInfo") return exchange_info(venue, params);
  if (path == "/api/v3/klines") return klines(venue, params);
  if (path == "/api/v3/avgPrice") return average_price(venue, params);
  if (path == "/api/v3/referencePrice") return reference_price(venue, params);
  if (path == "/api/v3/order/test") return place_order(venue, params, true);
  if (path == "/api/v3/orderList/oco") return place_oco(venue, params);
  if (path == "/api/v3/order") {
    if (request.method == "POST") return place_order(venue, params, false);
    if (request.method == "GET") return query_order(venue, params);
    return cancel_order(venue, params);
  }
  if (path == "/api/v3/openOrders") return open_orders(venue, params);
  if (path == "/api/v3/account") {
    return reply(account_json(venue.engine().balances(), venue.engine().commission_rate(),
                              venue.now_ms(), true));
  }
  return my_trades(venue, params);
}

// TRADE security (orders, cancels, order tests): refused for a read-only key.
bool trade_request(const RestRequest& request) {
  return (request.path == "/api/v3/order" &&
          (request.method == "POST" || request.method == "DELETE")) ||
         request.path == "/api/v3/order/test" || request.path == "/api/v3/orderList/oco";
}

RestReply rate_limited(const RateDecision& decision) {
  const bool banned = decision.status == 418;
  RestReply out =
      reply({{"code", -1003},
             {"msg", banned ? "Way too much request weight used; IP banned until " +
                                  std::to_string(decision.banned_until_ms) +
                                  ". Please use WebSocket Streams for live updates to avoid bans."
                            : "Too much request weight used; please use WebSocket Streams for live "
                              "updates to avoid polling the API."}},
            decision.status);
  out.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_s));
  return out;
}

}  // namespace

RestReply handle_rest(SimVenue& venue, const RestRequest& request) {
  if (request.path.starts_with("/sim/")) return sim_control(venue, request);
  if (request.path == "/api/v3/userDataStream" || request.path == "/api/v1/userDataStream") {
    return retired_user_data_stream(venue, request.method);
  }
  const auto security = endpoint_security(request.method, request.path);
  if (!security) {
    return reply(
        {{"code", -1000}, {"msg", "Unknown endpoint " + request.method + " " + request.path}}, 404);
  }
  const QueryParams params = parse_params(request.query, request.body);
  const int64_t wall = SimVenue::wall_ms();
  FaultState& faults = venue.faults();
  RateDecision decision;
  venue.limiter().count_request(wall);
  if (faults.http_418_left > 0) {
    --faults.http_418_left;
    decision = venue.limiter().forced(418, wall);
  } else if (faults.http_429_left > 0) {
    --faults.http_429_left;
    decision = venue.limiter().forced(429, wall, faults.http_429_retry_after_s);
  } else {
    decision = venue.limiter().admit(
        request_weight(request.method, request.path, params.find("symbol") != nullptr,
                       params.find("orderId") != nullptr),
        wall);
  }
  RestReply out;
  if (decision.status != 200) {
    out = rate_limited(decision);
  } else if (auto key_error = *security == Security::kNone
                                  ? std::nullopt
                                  : check_api_key(request.api_key, venue.config().api_key)) {
    out = refuse(*key_error);
  } else if (auto sign_error =
                 *security == Security::kSigned
                     ? check_signed(
                           params,
                           [&venue](std::string_view payload, std::string_view signature) {
                             return venue.signature_valid(payload, signature);
                           },
                           venue.now_ms())
                     : std::nullopt) {
    out = refuse(*sign_error);
  } else if (trade_request(request) && !venue.config().api_key_can_trade) {
    out = refuse({401, -2015, "Invalid API-key, IP, or permissions for action."});
  } else {
    out = dispatch(venue, request, params);
  }
  out.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(decision.used_weight));
  return out;
}

}  // namespace cephalo::exchange_sim
