// Binance JSON answers to exchange types, through nlohmann::json with strict field readers.
// Thread-safety: pure functions.
#include "exchange/binance/binance_json.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace cephalo::exchange {
namespace {

using Json = nlohmann::json;

Result<Json> parse_json(std::string_view body, std::string_view what) {
  // No exceptions: an invalid document (NaN and Infinity are not JSON) comes back discarded.
  Json json = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    std::string shown(body.substr(0, 80));
    return Error{std::string(what) + ": the venue's answer is not valid JSON: \"" + shown + "\""};
  }
  return json;
}

std::string field_name(std::string_view what, std::string_view key) {
  return std::string(what) + "." + std::string(key);
}

Result<const Json*> field(const Json& object, std::string_view key, std::string_view what) {
  if (!object.is_object()) return Error{std::string(what) + ": expected a JSON object"};
  auto found = object.find(key);
  if (found == object.end()) return Error{field_name(what, key) + ": missing"};
  return &*found;
}

Result<int64_t> int_value(const Json& value, const std::string& name) {
  // Floats are refused even when whole: a venue integer (id, time) never has a fraction, and
  // nlohmann turns integers beyond uint64 and exponents like 1e400 into (possibly infinite)
  // floats.
  if (value.is_number_unsigned()) {
    const auto u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Error{name + ": " + std::to_string(u) + " overflows a 64-bit integer"};
    }
    return static_cast<int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return Error{name + ": expected an integer, found " + value.dump().substr(0, 40)};
}

Result<int64_t> get_int(const Json& object, std::string_view key, std::string_view what) {
  auto found = field(object, key, what);
  if (!found) return found.status();
  return int_value(**found, field_name(what, key));
}

Result<Decimal> decimal_value(const Json& value, const std::string& name) {
  if (!value.is_string()) {
    return Error{name + ": expected a decimal string, found " + value.dump().substr(0, 40)};
  }
  return parse_decimal(value.get_ref<const std::string&>(), name);
}

Result<Decimal> get_decimal(const Json& object, std::string_view key, std::string_view what) {
  auto found = field(object, key, what);
  if (!found) return found.status();
  return decimal_value(**found, field_name(what, key));
}

Result<std::string> get_string(const Json& object, std::string_view key, std::string_view what) {
  auto found = field(object, key, what);
  if (!found) return found.status();
  if (!(*found)->is_string()) return Error{field_name(what, key) + ": expected a string"};
  return (*found)->get<std::string>();
}

Result<bool> get_bool(const Json& object, std::string_view key, std::string_view what) {
  auto found = field(object, key, what);
  if (!found) return found.status();
  if (!(*found)->is_boolean()) return Error{field_name(what, key) + ": expected true or false"};
  return (*found)->get<bool>();
}

// Collects the first failure of a sequence of reads, so parsers read as straight-line code.
struct Reader {
  const Json& object;
  std::string what;
  Status status;

  template <class T>
  T take(Result<T> result) {
    if (!result.ok()) {
      if (status.ok()) status = result.status();
      return T{};
    }
    return std::move(result).value();
  }
  int64_t integer(std::string_view key) { return take(get_int(object, key, what)); }
  Decimal decimal(std::string_view key) { return take(get_decimal(object, key, what)); }
  std::string text(std::string_view key) { return take(get_string(object, key, what)); }
  bool boolean(std::string_view key) { return take(get_bool(object, key, what)); }
};

Result<OrderSide> side_from(std::string_view text, std::string_view what) {
  if (text == "BUY") return OrderSide::kBuy;
  if (text == "SELL") return OrderSide::kSell;
  return Error{std::string(what) + ": unknown side \"" + std::string(text) + "\""};
}

Result<OrderType> type_from(std::string_view text, std::string_view what) {
  if (auto type = order_type_from_text(text)) return *type;
  return Error{std::string(what) + ": unknown order type \"" + std::string(text) +
               "\" (enums.md lists LIMIT, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, "
               "TAKE_PROFIT_LIMIT, LIMIT_MAKER)"};
}

Result<VenueOrderStatus> status_from(std::string_view text, std::string_view what) {
  if (auto status = venue_status_from_text(text)) return *status;
  return Error{std::string(what) + ": unknown order status \"" + std::string(text) + "\""};
}

TimeInForce tif_from(std::string_view text) {
  return text == "IOC" ? TimeInForce::kIoc : text == "FOK" ? TimeInForce::kFok : TimeInForce::kGtc;
}

// Optional fields: absent (or null) leaves the default; present with a wrong type is an error.
Decimal optional_decimal(Reader& r, std::string_view key) {
  auto found = r.object.find(key);
  if (found == r.object.end() || found->is_null()) return Decimal{};
  return r.decimal(key);
}
int64_t optional_int(Reader& r, std::string_view key, int64_t fallback) {
  auto found = r.object.find(key);
  if (found == r.object.end() || found->is_null()) return fallback;
  return r.integer(key);
}
std::string optional_text(const Json& object, std::string_view key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Result<VenueOrder> order_from(const Json& json, std::string_view what, bool cancel_answer) {
  Reader r{json, std::string(what), {}};
  VenueOrder order;
  order.symbol = r.text("symbol");
  order.client_order_id = r.text(cancel_answer ? "origClientOrderId" : "clientOrderId");
  order.order_id = r.integer("orderId");
  order.order_list_id = optional_int(r, "orderListId", -1);
  order.price = r.decimal("price");
  order.orig_qty = r.decimal("origQty");
  order.executed_qty = r.decimal("executedQty");
  order.cumulative_quote_qty = r.decimal("cummulativeQuoteQty");  // sic, Binance's spelling
  order.stop_price = optional_decimal(r, "stopPrice");
  order.status = r.take(status_from(r.text("status"), what));
  order.type = r.take(type_from(r.text("type"), what));
  order.side = r.take(side_from(r.text("side"), what));
  order.time_in_force = tif_from(optional_text(json, "timeInForce"));
  // POST answers carry transactTime, queries updateTime (and time), cancels transactTime.
  if (json.contains("updateTime")) {
    order.update_time_ms = r.integer("updateTime");
  } else if (json.contains("transactTime")) {
    order.update_time_ms = r.integer("transactTime");
  }
  if (!r.status.ok()) return r.status;
  return order;
}

Result<KlineBar> stream_kline(const Json& data) {
  Reader r{data, "kline", {}};
  KlineBar bar;
  auto k = field(data, "k", "kline");
  if (!k) return k.status();
  Reader kr{**k, "kline.k", {}};
  bar.symbol = kr.text("s");
  bar.interval = kr.text("i");
  bar.open_time_ms = kr.integer("t");
  bar.close_time_ms = kr.integer("T");
  bar.open = kr.decimal("o");
  bar.close = kr.decimal("c");
  bar.high = kr.decimal("h");
  bar.low = kr.decimal("l");
  bar.volume = kr.decimal("v");
  bar.trade_count = kr.integer("n");
  bar.closed = kr.boolean("x");
  (void)r.integer("E");
  if (!r.status.ok()) return r.status;
  if (!kr.status.ok()) return kr.status;
  return bar;
}

Result<ExecutionReport> execution_report(const Json& data) {
  Reader r{data, "executionReport", {}};
  ExecutionReport report;
  report.event_time_ms = r.integer("E");
  VenueOrder& order = report.order;
  order.symbol = r.text("s");
  order.client_order_id = r.text("c");
  order.side = r.take(side_from(r.text("S"), "executionReport.S"));
  order.type = r.take(type_from(r.text("o"), "executionReport.o"));
  order.time_in_force = tif_from(optional_text(data, "f"));
  order.orig_qty = r.decimal("q");  // after an amend (x=REPLACED): the new quantity
  order.price = r.decimal("p");
  order.stop_price = optional_decimal(r, "P");
  order.order_list_id = optional_int(r, "g", -1);
  order.status = r.take(status_from(r.text("X"), "executionReport.X"));
  report.execution_type = r.text("x");
  order.order_id = r.integer("i");
  order.executed_qty = r.decimal("z");
  order.cumulative_quote_qty = r.decimal("Z");
  order.update_time_ms = r.integer("T");
  const Decimal last_qty = r.decimal("l");
  const Decimal last_price = r.decimal("L");
  const Decimal commission = r.decimal("n");
  if (report.execution_type == "TRADE") {
    VenueTrade fill;
    fill.symbol = order.symbol;
    fill.trade_id = r.integer("t");
    fill.order_id = order.order_id;
    fill.client_order_id = order.client_order_id;
    fill.side = order.side;
    fill.price = last_price;
    fill.quantity = last_qty;
    fill.commission = commission;
    // N is null when there is no commission.
    auto asset = data.find("N");
    if (asset != data.end() && asset->is_string())
      fill.commission_asset = asset->get<std::string>();
    fill.time_ms = order.update_time_ms;
    report.fill = std::move(fill);
  }
  if (!r.status.ok()) return r.status;
  // A cancel echoes the original client id in C; c is then the cancel request's own id.
  auto original = data.find("C");
  if (original != data.end() && original->is_string() &&
      !original->get_ref<const std::string&>().empty()) {
    report.request_client_order_id = order.client_order_id;
    order.client_order_id = original->get<std::string>();
  }
  return report;
}

Result<AccountPosition> account_position(const Json& data) {
  Reader r{data, "outboundAccountPosition", {}};
  AccountPosition position;
  position.event_time_ms = r.integer("E");
  auto list = field(data, "B", "outboundAccountPosition");
  if (!list) return list.status();
  if (!(*list)->is_array()) return Error{"outboundAccountPosition.B: expected an array"};
  for (const Json& entry : **list) {
    Reader b{entry, "outboundAccountPosition.B[]", {}};
    Balance balance{b.text("a"), b.decimal("f"), b.decimal("l")};
    if (!b.status.ok()) return b.status;
    position.balances.push_back(std::move(balance));
  }
  if (!r.status.ok()) return r.status;
  return position;
}

}  // namespace

Result<int64_t> parse_server_time(std::string_view body) {
  auto json = parse_json(body, "time");
  if (!json) return json.status();
  return get_int(*json, "serverTime", "time");
}

Result<std::pair<Decimal, int64_t>> parse_average_price(std::string_view body) {
  auto json = parse_json(body, "avgPrice");
  if (!json) return json.status();
  Reader r{*json, "avgPrice", {}};
  const int64_t mins = r.integer("mins");
  const Decimal price = r.decimal("price");
  if (!r.status) return r.status;
  return std::pair{price, mins};
}

Result<std::optional<Decimal>> parse_reference_price(std::string_view body) {
  auto json = parse_json(body, "referencePrice");
  if (!json) return json.status();
  auto found = field(*json, "referencePrice", "referencePrice");
  if (!found) return found.status();
  if ((*found)->is_null()) return std::optional<Decimal>{};
  auto price = decimal_value(**found, "referencePrice.referencePrice");
  if (!price) return price.status();
  return std::optional<Decimal>{price.value()};
}

namespace {

Status read_filter(const Json& filter, SymbolFilters& filters) {
  Reader f{filter, "exchangeInfo." + filters.symbol + ".filters[]", {}};
  const std::string type = f.text("filterType");
  if (type == "PRICE_FILTER") {
    filters.tick_size = f.decimal("tickSize");
    filters.min_price = f.decimal("minPrice");
    filters.max_price = f.decimal("maxPrice");
  } else if (type == "LOT_SIZE") {
    filters.step_size = f.decimal("stepSize");
    filters.min_qty = f.decimal("minQty");
    filters.max_qty = f.decimal("maxQty");
  } else if (type == "MARKET_LOT_SIZE") {
    filters.market_step_size = f.decimal("stepSize");
    filters.market_min_qty = f.decimal("minQty");
    filters.market_max_qty = f.decimal("maxQty");
  } else if (type == "NOTIONAL") {
    filters.min_notional = f.decimal("minNotional");
    filters.max_notional = f.decimal("maxNotional");
    filters.apply_min_to_market = f.boolean("applyMinToMarket");
    filters.apply_max_to_market = f.boolean("applyMaxToMarket");
    filters.avg_price_mins = f.integer("avgPriceMins");
  } else if (type == "MIN_NOTIONAL") {
    filters.min_notional = f.decimal("minNotional");
    filters.apply_min_to_market = f.boolean("applyToMarket");
    filters.avg_price_mins = f.integer("avgPriceMins");
  } else if (type == "PERCENT_PRICE_BY_SIDE") {
    filters.bid_multiplier_up = f.decimal("bidMultiplierUp");
    filters.bid_multiplier_down = f.decimal("bidMultiplierDown");
    filters.ask_multiplier_up = f.decimal("askMultiplierUp");
    filters.ask_multiplier_down = f.decimal("askMultiplierDown");
    filters.avg_price_mins = f.integer("avgPriceMins");
  } else if (type == "PERCENT_PRICE") {
    filters.bid_multiplier_up = filters.ask_multiplier_up = f.decimal("multiplierUp");
    filters.bid_multiplier_down = filters.ask_multiplier_down = f.decimal("multiplierDown");
    filters.avg_price_mins = f.integer("avgPriceMins");
  } else if (type == "MAX_NUM_ORDERS") {
    filters.max_num_orders = f.integer("maxNumOrders");
  } else if (type == "MAX_NUM_ALGO_ORDERS") {
    filters.max_num_algo_orders = f.integer("maxNumAlgoOrders");
  }
  // ICEBERG_PARTS, MAX_NUM_ICEBERG_ORDERS, MAX_POSITION, TRAILING_DELTA, MAX_NUM_ORDER_AMENDS,
  // MAX_NUM_ORDER_LISTS: for order kinds this bot does not send (icebergs, trailing deltas,
  // amends); read past without error.
  return f.status;
}

Result<std::vector<std::vector<std::string>>> permission_sets(const Json& entry,
                                                              const std::string& where) {
  std::vector<std::vector<std::string>> sets;
  auto found = entry.find("permissionSets");
  if (found == entry.end()) return sets;
  if (!found->is_array()) return Error{where + ".permissionSets: expected an array of arrays"};
  for (const Json& set : *found) {
    if (!set.is_array()) return Error{where + ".permissionSets[]: expected an array of strings"};
    std::vector<std::string> names;
    for (const Json& name : set) {
      if (!name.is_string()) return Error{where + ".permissionSets[][]: expected a string"};
      names.push_back(name.get<std::string>());
    }
    sets.push_back(std::move(names));
  }
  return sets;
}

}  // namespace

Result<ExchangeInfo> parse_exchange_info(std::string_view body) {
  auto json = parse_json(body, "exchangeInfo");
  if (!json) return json.status();
  ExchangeInfo info;
  if (auto limits = json->find("rateLimits"); limits != json->end()) {
    if (!limits->is_array()) return Error{"exchangeInfo.rateLimits: expected an array"};
    for (const Json& entry : *limits) {
      Reader r{entry, "exchangeInfo.rateLimits[]", {}};
      RateLimitRule rule{r.text("rateLimitType"), r.text("interval"), r.integer("intervalNum"),
                         r.integer("limit")};
      if (!r.status.ok()) return r.status;
      info.rate_limits.push_back(std::move(rule));
    }
  }
  auto symbols = field(*json, "symbols", "exchangeInfo");
  if (!symbols) return symbols.status();
  if (!(*symbols)->is_array()) return Error{"exchangeInfo.symbols: expected an array"};
  for (const Json& entry : **symbols) {
    Reader r{entry, "exchangeInfo.symbols[]", {}};
    SymbolFilters filters;
    filters.symbol = r.text("symbol");
    filters.base_asset = r.text("baseAsset");
    filters.quote_asset = r.text("quoteAsset");
    filters.status = r.text("status");
    if (entry.contains("isSpotTradingAllowed")) {
      filters.spot_trading_allowed = r.boolean("isSpotTradingAllowed");
    }
    if (!r.status.ok()) return r.status;
    const std::string where = "exchangeInfo." + filters.symbol;
    auto sets = permission_sets(entry, where);
    if (!sets) return sets.status();
    filters.permission_sets = std::move(sets).value();
    auto list = field(entry, "filters", where);
    if (!list) return list.status();
    if (!(*list)->is_array()) return Error{where + ".filters: expected an array"};
    for (const Json& filter : **list) {
      if (Status read = read_filter(filter, filters); !read) return read;
    }
    if (filters.tick_size.units < 0 || filters.step_size.units < 0) {
      return Error{where + ": negative tickSize or stepSize"};
    }
    info.symbols.push_back(std::move(filters));
  }
  return info;
}

Result<VenueOrder> parse_order(std::string_view body) {
  auto json = parse_json(body, "order");
  if (!json) return json.status();
  return order_from(*json, "order", false);
}

Result<VenueOrder> parse_cancel_order(std::string_view body) {
  auto json = parse_json(body, "cancel");
  if (!json) return json.status();
  return order_from(*json, "cancel", true);
}

Result<std::vector<VenueOrder>> parse_orders(std::string_view body) {
  auto json = parse_json(body, "openOrders");
  if (!json) return json.status();
  if (!json->is_array()) return Error{"openOrders: expected an array"};
  std::vector<VenueOrder> out;
  for (const Json& entry : *json) {
    auto order = order_from(entry, "openOrders[]", false);
    if (!order) return order.status();
    out.push_back(std::move(order).value());
  }
  return out;
}

Result<AccountInfo> parse_account(std::string_view body) {
  auto json = parse_json(body, "account");
  if (!json) return json.status();
  AccountInfo account;
  Reader top{*json, "account", {}};
  // rest-api.md "Account information" always carries canTrade; an answer without it says
  // nothing against trading (the key test at start still decides).
  account.can_trade = json->contains("canTrade") ? top.boolean("canTrade") : true;
  account.account_type = optional_text(*json, "accountType");
  if (auto permissions = json->find("permissions"); permissions != json->end()) {
    if (!permissions->is_array()) return Error{"account.permissions: expected an array"};
    for (const Json& name : *permissions) {
      if (name.is_string()) account.permissions.push_back(name.get<std::string>());
    }
  }
  if (!top.status.ok()) return top.status;
  auto list = field(*json, "balances", "account");
  if (!list) return list.status();
  if (!(*list)->is_array()) return Error{"account.balances: expected an array"};
  for (const Json& entry : **list) {
    Reader r{entry, "account.balances[]", {}};
    Balance balance{r.text("asset"), r.decimal("free"), r.decimal("locked")};
    if (!r.status.ok()) return r.status;
    account.balances.push_back(std::move(balance));
  }
  return account;
}

Result<std::vector<Balance>> parse_account_balances(std::string_view body) {
  auto account = parse_account(body);
  if (!account) return account.status();
  return std::move(account->balances);
}

Result<std::vector<VenueTrade>> parse_my_trades(std::string_view body) {
  auto json = parse_json(body, "myTrades");
  if (!json) return json.status();
  if (!json->is_array()) return Error{"myTrades: expected an array"};
  std::vector<VenueTrade> out;
  for (const Json& entry : *json) {
    Reader r{entry, "myTrades[]", {}};
    VenueTrade trade;
    trade.symbol = r.text("symbol");
    trade.trade_id = r.integer("id");
    trade.order_id = r.integer("orderId");
    trade.price = r.decimal("price");
    trade.quantity = r.decimal("qty");
    trade.commission = r.decimal("commission");
    trade.commission_asset = r.text("commissionAsset");
    trade.time_ms = r.integer("time");
    trade.side = r.boolean("isBuyer") ? OrderSide::kBuy : OrderSide::kSell;
    if (!r.status.ok()) return r.status;
    out.push_back(std::move(trade));
  }
  return out;
}

Result<std::vector<KlineBar>> parse_klines(std::string_view body, std::string_view symbol,
                                           std::string_view interval) {
  auto json = parse_json(body, "klines");
  if (!json) return json.status();
  if (!json->is_array()) return Error{"klines: expected an array"};
  std::vector<KlineBar> out;
  out.reserve(json->size());
  size_t row = 0;
  for (const Json& entry : *json) {
    const std::string where = "klines[" + std::to_string(row++) + "]";
    if (!entry.is_array() || entry.size() < 9) {
      return Error{where + ": expected an array of 12 fields"};
    }
    KlineBar bar;
    bar.symbol = symbol;
    bar.interval = interval;
    Status status;
    auto take_int = [&](size_t i, int64_t& out_value) {
      auto v = int_value(entry[i], where + "[" + std::to_string(i) + "]");
      if (!v.ok()) {
        if (status.ok()) status = v.status();
        return;
      }
      out_value = v.value();
    };
    auto take_decimal = [&](size_t i, Decimal& out_value) {
      auto v = decimal_value(entry[i], where + "[" + std::to_string(i) + "]");
      if (!v.ok()) {
        if (status.ok()) status = v.status();
        return;
      }
      out_value = v.value();
    };
    take_int(0, bar.open_time_ms);
    take_decimal(1, bar.open);
    take_decimal(2, bar.high);
    take_decimal(3, bar.low);
    take_decimal(4, bar.close);
    take_decimal(5, bar.volume);
    take_int(6, bar.close_time_ms);
    take_int(8, bar.trade_count);
    if (!status.ok()) return status;
    out.push_back(std::move(bar));
  }
  return out;
}

std::optional<VenueErrorBody> parse_error_body(std::string_view body) {
  Json json = Json::parse(body.begin(), body.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  auto code = get_int(json, "code", "error");
  if (!code.ok() || code.value() < std::numeric_limits<int>::min() ||
      code.value() > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  auto msg = get_string(json, "msg", "error");
  return VenueErrorBody{static_cast<int>(code.value()), msg.ok() ? msg.value() : std::string()};
}

Result<StreamEvent> parse_stream_message(std::string_view message) {
  auto json = parse_json(message, "stream");
  if (!json) return json.status();
  const Json* data = &*json;
  if (json->is_object() && json->contains("stream") && json->contains("data")) {
    data = &(*json)["data"];
  } else if (json->is_object() && json->contains("event")) {
    data = &(*json)["event"];  // WebSocket API: {"subscriptionId":N,"event":{...}}
  }
  if (!data->is_object()) return Error{"stream: expected a JSON object"};
  auto type = data->find("e");
  if (type == data->end()) {
    // bookTicker events carry no "e".
    if (data->contains("u") && data->contains("b") && data->contains("a")) {
      Reader r{*data, "bookTicker", {}};
      BookTicker ticker{r.text("s"),    r.integer("u"), r.decimal("b"),
                        r.decimal("B"), r.decimal("a"), r.decimal("A")};
      if (!r.status.ok()) return r.status;
      return StreamEvent{std::move(ticker)};
    }
    return StreamEvent{UnknownStreamEvent{}};
  }
  if (!type->is_string()) return Error{"stream.e: expected a string"};
  const std::string& name = type->get_ref<const std::string&>();
  if (name == "kline") {
    auto bar = stream_kline(*data);
    if (!bar) return bar.status();
    return StreamEvent{std::move(bar).value()};
  }
  if (name == "executionReport") {
    auto report = execution_report(*data);
    if (!report) return report.status();
    return StreamEvent{std::move(report).value()};
  }
  if (name == "outboundAccountPosition") {
    auto position = account_position(*data);
    if (!position) return position.status();
    return StreamEvent{std::move(position).value()};
  }
  if (name == "eventStreamTerminated") {
    Reader r{*data, "eventStreamTerminated", {}};
    StreamTerminated terminated{r.integer("E")};
    if (!r.status.ok()) return r.status;
    return StreamEvent{terminated};
  }
  if (name == "serverShutdown") {
    Reader r{*data, "serverShutdown", {}};
    ServerShutdown shutdown{r.integer("E")};
    if (!r.status.ok()) return r.status;
    return StreamEvent{shutdown};
  }
  if (name == "trade") {
    Reader r{*data, "trade", {}};
    TradeTick tick{r.text("s"), r.integer("t"), r.decimal("p"), r.decimal("q"), r.integer("T")};
    if (!r.status.ok()) return r.status;
    return StreamEvent{std::move(tick)};
  }
  return StreamEvent{UnknownStreamEvent{name}};
}

Result<std::optional<WsApiResponse>> parse_ws_api_response(std::string_view frame) {
  auto json = parse_json(frame, "WebSocket API");
  if (!json) return json.status();
  if (!json->is_object()) return Error{"WebSocket API: expected a JSON object"};
  if (!json->contains("status")) return std::optional<WsApiResponse>{};  // an event
  WsApiResponse response;
  Reader r{*json, "WebSocket API response", {}};
  const int64_t status = r.integer("status");
  if (!r.status.ok()) return r.status;
  response.status = static_cast<int>(status);
  if (auto id = json->find("id"); id != json->end() && !id->is_null()) {
    response.id = id->is_string() ? id->get<std::string>() : id->dump();
  }
  if (auto result = json->find("result"); result != json->end()) {
    response.result_json = result->dump();
  }
  if (auto error = json->find("error"); error != json->end()) {
    auto body = parse_error_body(error->dump());
    if (body) response.error = *body;
  }
  if (auto limits = json->find("rateLimits"); limits != json->end() && limits->is_array()) {
    for (const Json& entry : *limits) {
      Reader l{entry, "WebSocket API response.rateLimits[]", {}};
      RateLimitRule rule{l.text("rateLimitType"), l.text("interval"), l.integer("intervalNum"),
                         l.integer("limit")};
      const int64_t count = l.integer("count");
      if (!l.status.ok()) return l.status;
      response.rate_limits.emplace_back(std::move(rule), count);
    }
  }
  if (response.status != 200 && response.error.code == 0 && response.error.msg.empty()) {
    return Error{"WebSocket API response: status " + std::to_string(response.status) +
                 " without an error object"};
  }
  return std::optional<WsApiResponse>{std::move(response)};
}

}  // namespace cephalo::exchange
