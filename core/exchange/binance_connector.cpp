// Binance spot REST: weights from the API docs, SIGNED parameters, error answers mapped.
// Thread-safety: see exchange_connector.hpp.
#include <mutex>

#include "exchange/binance_json.hpp"
#include "exchange/exchange_connector.hpp"

namespace cephalo::exchange {
namespace {

template <class T>
VenueResult<T> malformed(const Status& status) {
  return VenueResult<T>::failure({VenueErrorKind::kMalformed, 200, 0, status.error()});
}

template <class T, class Parsed>
VenueResult<T> from_parsed(Parsed parsed) {
  if (!parsed.ok()) return malformed<T>(parsed.status());
  return VenueResult<T>::success(std::move(parsed).value());
}

template <class T>
VenueResult<T> fail(const VenueError& error) {
  return VenueResult<T>::failure(error);
}

}  // namespace

BinanceConnector::BinanceConnector(BinanceConfig config, std::shared_ptr<HttpTransport> transport,
                                   MillisClock clock)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      clock_(clock),
      limiter_(config_.rate_limit, clock),
      signer_(config_.api_secret) {}

Status BinanceConnector::sync_time() {
  const int64_t sent = clock_.local_ms();
  auto answer = call({"GET", "/api/v3/time", 1, false, false, false}, {});
  if (!answer.ok()) return Error{"server time: " + answer.error.message};
  auto server = parse_server_time(answer.value->body);
  if (!server) return server.status();
  clock_.observe_server_time(server.value(), sent, clock_.local_ms());
  return Ok{};
}

VenueResult<HttpResponse> BinanceConnector::call(const Call& spec, QueryString query) {
  if (spec.signed_request && !clock_.synced()) {
    if (Status synced = sync_time(); !synced) {
      return fail<HttpResponse>(
          {VenueErrorKind::kNotSent, 0, 0,
           "cannot sign: the venue's time is unknown (" + synced.error() + ")"});
    }
  }
  RateDecision decision = limiter_.admit(spec.weight);
  if (!decision.allowed) {
    return fail<HttpResponse>(
        {VenueErrorKind::kNotSent, 0, 0,
         std::string(spec.method) + " " + spec.path + " not sent: " + decision.reason});
  }
  if (spec.signed_request) {
    std::lock_guard lock(signer_mutex_);
    signer_.sign(query, clock_.now_ms(), config_.recv_window_ms);
  }
  HttpRequest request;
  request.method = spec.method;
  request.target = spec.path;
  if (!query.text().empty()) request.target += "?" + query.text();
  if (spec.api_key || spec.signed_request) {
    request.headers.emplace_back("X-MBX-APIKEY", config_.api_key);
  }
  HttpOutcome outcome = transport_->send(request);
  if (!outcome.response) {
    const bool unknown = spec.order_placement && outcome.maybe_delivered;
    return fail<HttpResponse>(
        {unknown ? VenueErrorKind::kUnknownOutcome : VenueErrorKind::kTransport, 0, 0,
         outcome.error});
  }
  HttpResponse& response = *outcome.response;
  limiter_.observe_used_weight(response.used_weight_1m);
  if (response.status == 429) limiter_.observe_too_many_requests(response.retry_after_s);
  if (response.status == 418) limiter_.observe_ban(response.retry_after_s);
  if (response.status == 200) return VenueResult<HttpResponse>::success(std::move(response));

  VenueError error;
  error.http_status = response.status;
  if (auto body = parse_error_body(response.body)) {
    error.code = body->code;
    error.message = body->msg;
  }
  error.kind =
      classify_venue_error(response.status, error.code, error.message, spec.order_placement);
  if (error.kind == VenueErrorKind::kTimestamp) clock_.invalidate();
  error.message = std::string(spec.method) + " " + spec.path + ": HTTP " +
                  std::to_string(response.status) +
                  (error.code != 0 ? " code " + std::to_string(error.code) : std::string()) +
                  (error.message.empty() ? std::string() : " \"" + error.message + "\"");
  return fail<HttpResponse>(error);
}

VenueResult<int64_t> BinanceConnector::server_time_ms() {
  auto answer = call({"GET", "/api/v3/time", 1, false, false, false}, {});
  if (!answer.ok()) return fail<int64_t>(answer.error);
  return from_parsed<int64_t>(parse_server_time(answer.value->body));
}

VenueResult<std::vector<SymbolFilters>> BinanceConnector::exchange_filters(
    const std::vector<std::string>& symbols) {
  QueryString query;
  if (symbols.size() == 1) {
    query.add("symbol", symbols.front());
  } else if (!symbols.empty()) {
    std::string list = "[";
    for (size_t i = 0; i < symbols.size(); ++i) {
      if (i > 0) list += ",";
      list += "\"" + symbols[i] + "\"";
    }
    query.add("symbols", list + "]");
  }
  auto answer = call({"GET", "/api/v3/exchangeInfo", 20, false, false, false}, std::move(query));
  if (!answer.ok()) return fail<std::vector<SymbolFilters>>(answer.error);
  return from_parsed<std::vector<SymbolFilters>>(parse_exchange_info(answer.value->body));
}

namespace {
QueryString order_query(const OrderRequest& request) {
  QueryString query;
  query.reserve(256);
  query.add("symbol", request.symbol)
      .add("side", side_text(request.side))
      .add("type", order_type_text(request.type));
  if (request.type == OrderType::kLimit) {
    query.add("timeInForce", time_in_force_text(request.time_in_force));
  }
  query.add("quantity", request.quantity);
  if (request.type == OrderType::kLimit) query.add("price", request.price);
  query.add("newClientOrderId", request.client_order_id).add("newOrderRespType", "RESULT");
  return query;
}
}  // namespace

std::string BinanceConnector::signed_order_query(const OrderRequest& request,
                                                 int64_t timestamp_ms) {
  QueryString query = order_query(request);
  std::lock_guard lock(signer_mutex_);
  signer_.sign(query, timestamp_ms, config_.recv_window_ms);
  return query.text();
}

VenueResult<VenueOrder> BinanceConnector::place_order(const OrderRequest& request) {
  auto answer = call({"POST", "/api/v3/order", 1, true, true, true}, order_query(request));
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  auto order = parse_order(answer.value->body);
  if (!order.ok()) {
    // Accepted (HTTP 200) but unreadable: the order exists in some state; query it.
    return fail<VenueOrder>({VenueErrorKind::kUnknownOutcome, 200, 0,
                             "the order answer could not be read: " + order.error()});
  }
  return VenueResult<VenueOrder>::success(std::move(order).value());
}

VenueResult<VenueOrder> BinanceConnector::cancel_order(const std::string& symbol,
                                                       const std::string& client_order_id) {
  QueryString query;
  query.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto answer = call({"DELETE", "/api/v3/order", 1, true, true, false}, std::move(query));
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  return from_parsed<VenueOrder>(parse_order(answer.value->body));
}

VenueResult<VenueOrder> BinanceConnector::query_order(const std::string& symbol,
                                                      const std::string& client_order_id) {
  QueryString query;
  query.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto answer = call({"GET", "/api/v3/order", 4, true, true, false}, std::move(query));
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  return from_parsed<VenueOrder>(parse_order(answer.value->body));
}

VenueResult<std::vector<VenueOrder>> BinanceConnector::open_orders(const std::string& symbol) {
  QueryString query;
  if (!symbol.empty()) query.add("symbol", symbol);
  auto answer = call({"GET", "/api/v3/openOrders", symbol.empty() ? 80 : 6, true, true, false},
                     std::move(query));
  if (!answer.ok()) return fail<std::vector<VenueOrder>>(answer.error);
  return from_parsed<std::vector<VenueOrder>>(parse_orders(answer.value->body));
}

VenueResult<std::vector<Balance>> BinanceConnector::balances() {
  auto answer = call({"GET", "/api/v3/account", 20, true, true, false}, {});
  if (!answer.ok()) return fail<std::vector<Balance>>(answer.error);
  return from_parsed<std::vector<Balance>>(parse_account_balances(answer.value->body));
}

VenueResult<std::vector<VenueTrade>> BinanceConnector::trades(const std::string& symbol,
                                                              int64_t from_trade_id) {
  QueryString query;
  query.add("symbol", symbol);
  if (from_trade_id > 0) query.add("fromId", from_trade_id);
  auto answer = call({"GET", "/api/v3/myTrades", 20, true, true, false}, std::move(query));
  if (!answer.ok()) return fail<std::vector<VenueTrade>>(answer.error);
  return from_parsed<std::vector<VenueTrade>>(parse_my_trades(answer.value->body));
}

VenueResult<std::vector<KlineBar>> BinanceConnector::klines(const std::string& symbol,
                                                            const std::string& interval,
                                                            int64_t start_ms, int64_t end_ms,
                                                            int limit) {
  QueryString query;
  query.add("symbol", symbol).add("interval", interval);
  if (start_ms > 0) query.add("startTime", start_ms);
  if (end_ms > 0) query.add("endTime", end_ms);
  if (limit > 0) query.add("limit", static_cast<int64_t>(limit));
  auto answer = call({"GET", "/api/v3/klines", 2, false, false, false}, std::move(query));
  if (!answer.ok()) return fail<std::vector<KlineBar>>(answer.error);
  return from_parsed<std::vector<KlineBar>>(parse_klines(answer.value->body, symbol, interval));
}

VenueResult<std::string> BinanceConnector::start_user_stream() {
  auto answer = call({"POST", "/api/v3/userDataStream", 2, false, true, false}, {});
  if (!answer.ok()) return fail<std::string>(answer.error);
  return from_parsed<std::string>(parse_listen_key(answer.value->body));
}

VenueResult<bool> BinanceConnector::keepalive_user_stream(const std::string& listen_key) {
  QueryString query;
  query.add("listenKey", listen_key);
  auto answer = call({"PUT", "/api/v3/userDataStream", 2, false, true, false}, std::move(query));
  if (!answer.ok()) return fail<bool>(answer.error);
  return VenueResult<bool>::success(true);
}

}  // namespace cephalo::exchange
