// Binance spot REST: weights from the API docs, SIGNED parameters, error answers mapped.
// Thread-safety: see exchange_connector.hpp.
#include "exchange/binance/binance_connector.hpp"

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "exchange/binance/binance_json.hpp"

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

// A patient wait never sleeps longer than this in one go, so a wrong Retry-After cannot hang a
// start for hours; it asks the limiter again after each sleep.
constexpr int64_t kLongestWaitMs = 65'000;

}  // namespace

BinanceConnector::BinanceConnector(BinanceConfig config, std::shared_ptr<HttpTransport> transport,
                                   const MillisClock& clock)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      clock_(clock),
      limiter_(config_.rate_limit, clock),
      signer_(config_.private_key ? std::make_unique<RequestSigner>(*config_.private_key)
                                  : std::make_unique<RequestSigner>(config_.api_secret)) {}

void BinanceConnector::set_patient(bool patient, std::function<void(const std::string&)> on_wait) {
  // The logger is set once, before any other thread calls in; later calls only flip the flag.
  if (on_wait) on_wait_ = std::move(on_wait);
  patient_ = patient;
}

void BinanceConnector::apply_rate_limits(const std::vector<RateLimitRule>& rules) {
  int64_t weight = 0, orders_10s = 0, orders_day = 0;
  for (const RateLimitRule& rule : rules) {
    if (rule.type == "REQUEST_WEIGHT" && rule.interval_ms() == 60'000) weight = rule.limit;
    if (rule.type == "ORDERS" && rule.interval_ms() == 10'000) orders_10s = rule.limit;
    if (rule.type == "ORDERS" && rule.interval_ms() == 86'400'000) orders_day = rule.limit;
  }
  limiter_.set_venue_limits(weight, orders_10s, orders_day);
}

Status BinanceConnector::sync_time() {
  const int64_t sent = clock_.local_ms();
  auto answer = call({"GET", "/api/v3/time", 1, false, false, false}, {});
  if (!answer.ok()) return Error{"server time: " + answer.error.message};
  auto server = parse_server_time(answer.value->body);
  if (!server) return server.status();
  clock_.observe_server_time(server.value(), sent, clock_.local_ms());
  return Ok{};
}

VenueResult<HttpResponse> BinanceConnector::call(const Call& spec, const QueryString& query) {
  if (spec.signed_request && !clock_.synced()) {
    if (Status synced = sync_time(); !synced) {
      return fail<HttpResponse>(
          {VenueErrorKind::kNotSent, 0, 0,
           "cannot sign: the venue's time is unknown (" + synced.error() + ")"});
    }
  }
  while (true) {
    RateDecision decision = limiter_.admit(spec.weight, spec.order_placement);
    if (!decision.allowed) {
      if (!patient_) {
        return fail<HttpResponse>(
            {VenueErrorKind::kNotSent, 0, 0,
             std::string(spec.method) + " " + spec.path + " not sent: " + decision.reason});
      }
      // Start-up: a spent window is a reason to wait, never to refuse the start.
      const int64_t wait_ms =
          std::clamp<int64_t>(decision.retry_at_ms - clock_.local_ms(), 50, kLongestWaitMs);
      if (on_wait_) {
        on_wait_("waiting " + std::to_string((wait_ms + 999) / 1000) + " s before " + spec.method +
                 " " + spec.path + ": " + decision.reason);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      continue;
    }
    auto answer = call_once(spec, query);
    // 429 at start: the limiter now holds the Retry-After; wait for it and ask again. (An order
    // placement is never repeated: its outcome is the caller's to resolve.)
    const bool backoff = !answer.ok() && (answer.error.kind == VenueErrorKind::kRateLimited ||
                                          answer.error.kind == VenueErrorKind::kBanned);
    if (backoff && patient_ && !spec.order_placement) continue;
    return answer;
  }
}

VenueResult<HttpResponse> BinanceConnector::call_once(const Call& spec,
                                                      const QueryString& query_in) {
  QueryString query = query_in;
  if (spec.signed_request) {
    std::lock_guard lock(signer_mutex_);
    signer_->sign(query, clock_.now_ms(), config_.recv_window_ms);
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
  limiter_.observe_order_count(response.order_count_10s, response.order_count_1d);
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

VenueResult<ExchangeInfo> BinanceConnector::exchange_info(const std::vector<std::string>& symbols) {
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
  auto answer = call({"GET", "/api/v3/exchangeInfo", 20, false, false, false}, query);
  if (!answer.ok()) return fail<ExchangeInfo>(answer.error);
  auto info = parse_exchange_info(answer.value->body);
  if (info.ok()) apply_rate_limits(info->rate_limits);
  return from_parsed<ExchangeInfo>(std::move(info));
}

namespace {
QueryString order_query(const OrderRequest& request, const std::string& default_stp) {
  QueryString query;
  query.reserve(256);
  query.add("symbol", request.symbol)
      .add("side", side_text(request.side))
      .add("type", order_type_text(request.type));
  const bool has_price = request.type == OrderType::kLimit ||
                         request.type == OrderType::kStopLossLimit ||
                         request.type == OrderType::kTakeProfitLimit;
  if (has_price) query.add("timeInForce", time_in_force_text(request.time_in_force));
  query.add("quantity", request.quantity);
  if (has_price || request.type == OrderType::kLimitMaker) query.add("price", request.price);
  if (is_stop_type(request.type)) query.add("stopPrice", request.stop_price);
  query.add("newClientOrderId", request.client_order_id).add("newOrderRespType", "RESULT");
  const std::string& stp =
      request.self_trade_prevention.empty() ? default_stp : request.self_trade_prevention;
  if (!stp.empty()) query.add("selfTradePreventionMode", stp);
  return query;
}
}  // namespace

std::string BinanceConnector::signed_order_query(const OrderRequest& request,
                                                 int64_t timestamp_ms) {
  QueryString query = order_query(request, config_.self_trade_prevention);
  std::lock_guard lock(signer_mutex_);
  signer_->sign(query, timestamp_ms, config_.recv_window_ms);
  return query.text();
}

VenueResult<VenueOrder> BinanceConnector::place_order(const OrderRequest& request) {
  auto answer = call({"POST", "/api/v3/order", 1, true, true, true},
                     order_query(request, config_.self_trade_prevention));
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  auto order = parse_order(answer.value->body);
  if (!order.ok()) {
    // Accepted (HTTP 200) but unreadable: the order exists in some state; query it.
    return fail<VenueOrder>({VenueErrorKind::kUnknownOutcome, 200, 0,
                             "the order answer could not be read: " + order.error()});
  }
  return VenueResult<VenueOrder>::success(std::move(order).value());
}

VenueResult<bool> BinanceConnector::test_order(const OrderRequest& request) {
  auto answer = call({"POST", "/api/v3/order/test", 1, true, true, false},
                     order_query(request, config_.self_trade_prevention));
  if (!answer.ok()) return fail<bool>(answer.error);
  return VenueResult<bool>::success(true);
}

VenueResult<VenueOrder> BinanceConnector::cancel_order(const std::string& symbol,
                                                       const std::string& client_order_id) {
  QueryString query;
  query.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto answer = call({"DELETE", "/api/v3/order", 1, true, true, false}, query);
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  return from_parsed<VenueOrder>(parse_cancel_order(answer.value->body));
}

VenueResult<VenueOrder> BinanceConnector::query_order(const std::string& symbol,
                                                      const std::string& client_order_id) {
  QueryString query;
  query.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto answer = call({"GET", "/api/v3/order", 4, true, true, false}, query);
  if (!answer.ok()) return fail<VenueOrder>(answer.error);
  return from_parsed<VenueOrder>(parse_order(answer.value->body));
}

VenueResult<std::vector<VenueOrder>> BinanceConnector::open_orders(const std::string& symbol) {
  QueryString query;
  if (!symbol.empty()) query.add("symbol", symbol);
  auto answer =
      call({"GET", "/api/v3/openOrders", symbol.empty() ? 80 : 6, true, true, false}, query);
  if (!answer.ok()) return fail<std::vector<VenueOrder>>(answer.error);
  return from_parsed<std::vector<VenueOrder>>(parse_orders(answer.value->body));
}

VenueResult<AccountInfo> BinanceConnector::account() {
  QueryString query;
  query.add("omitZeroBalances", "true");
  auto answer = call({"GET", "/api/v3/account", 20, true, true, false}, query);
  if (!answer.ok()) return fail<AccountInfo>(answer.error);
  return from_parsed<AccountInfo>(parse_account(answer.value->body));
}

VenueResult<std::vector<Balance>> BinanceConnector::balances() {
  auto info = account();
  if (!info.ok()) return fail<std::vector<Balance>>(info.error);
  return VenueResult<std::vector<Balance>>::success(std::move(info.value->balances));
}

VenueResult<std::vector<VenueTrade>> BinanceConnector::trades(const std::string& symbol,
                                                              int64_t from_trade_id) {
  QueryString query;
  query.add("symbol", symbol);
  if (from_trade_id > 0) query.add("fromId", from_trade_id);
  auto answer = call({"GET", "/api/v3/myTrades", 20, true, true, false}, query);
  if (!answer.ok()) return fail<std::vector<VenueTrade>>(answer.error);
  return from_parsed<std::vector<VenueTrade>>(parse_my_trades(answer.value->body));
}

// GET /api/v3/myTrades with symbol + orderId (one of the documented parameter combinations):
// weight 5 instead of 20 without orderId (rest-api.md, "Account trade list").
VenueResult<std::vector<VenueTrade>> BinanceConnector::order_trades(const std::string& symbol,
                                                                    int64_t venue_order_id) {
  QueryString query;
  query.add("symbol", symbol);
  query.add("orderId", venue_order_id);
  auto answer = call({"GET", "/api/v3/myTrades", 5, true, true, false}, query);
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
  auto answer = call({"GET", "/api/v3/klines", 2, false, false, false}, query);
  if (!answer.ok()) return fail<std::vector<KlineBar>>(answer.error);
  return from_parsed<std::vector<KlineBar>>(parse_klines(answer.value->body, symbol, interval));
}

std::vector<WsApiRequest> BinanceConnector::user_stream_subscription(const std::string& id_prefix) {
  using Json = nlohmann::json;
  const int64_t timestamp = clock_.now_ms();
  std::vector<std::pair<std::string, std::string>> params = {
      {"apiKey", config_.api_key},
      {"recvWindow", std::to_string(config_.recv_window_ms)},
      {"timestamp", std::to_string(timestamp)}};
  std::string signature;
  {
    std::lock_guard lock(signer_mutex_);
    signature = signer_->signature(websocket_signature_payload(params));
  }
  Json signed_params = {{"apiKey", config_.api_key},
                        {"recvWindow", config_.recv_window_ms},
                        {"timestamp", timestamp},
                        {"signature", signature}};
  std::vector<WsApiRequest> out;
  if (signer_->key_type() == ApiKeyType::kEd25519) {
    const std::string logon = id_prefix + "-logon";
    out.push_back(
        {logon,
         Json{{"id", logon}, {"method", "session.logon"}, {"params", signed_params}}.dump()});
    const std::string subscribe = id_prefix + "-subscribe";
    out.push_back(
        {subscribe, Json{{"id", subscribe}, {"method", "userDataStream.subscribe"}}.dump()});
  } else {
    const std::string subscribe = id_prefix + "-subscribe";
    out.push_back({subscribe, Json{{"id", subscribe},
                                   {"method", "userDataStream.subscribe.signature"},
                                   {"params", signed_params}}
                                  .dump()});
  }
  return out;
}

VenueResult<FilterPrice> BinanceConnector::filter_price(const std::string& symbol) {
  QueryString query;
  query.add("symbol", symbol);
  // Since 2026-05-08 the filters use the reference price when it exists and is non-null
  // (CHANGELOG 2026-05-06); -2043 says the symbol never had one.
  auto reference = call({"GET", "/api/v3/referencePrice", 2, false, false, false}, query);
  if (reference.ok()) {
    auto price = parse_reference_price(reference.value->body);
    if (!price) return malformed<FilterPrice>(price.status());
    if (price.value()) return VenueResult<FilterPrice>::success({*price.value(), "referencePrice"});
  } else if (reference.error.code != -2043) {
    return fail<FilterPrice>(reference.error);
  }
  auto answer = call({"GET", "/api/v3/avgPrice", 2, false, false, false}, query);
  if (!answer.ok()) return fail<FilterPrice>(answer.error);
  auto average = parse_average_price(answer.value->body);
  if (!average) return malformed<FilterPrice>(average.status());
  return VenueResult<FilterPrice>::success(
      {average->first, "avgPrice " + std::to_string(average->second) + " min"});
}

}  // namespace cephalo::exchange
