// Binance JSON answers to exchange types, through nlohmann::json with strict field readers.
// Thread-safety: pure functions.
#include "exchange/binance_json.hpp"

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
  if (text == "LIMIT" || text == "LIMIT_MAKER") return OrderType::kLimit;
  if (text == "MARKET") return OrderType::kMarket;
  return Error{std::string(what) + ": unsupported order type \"" + std::string(text) + "\""};
}

Result<VenueOrderStatus> status_from(std::string_view text, std::string_view what) {
  if (text == "NEW" || text == "PENDING_NEW") return VenueOrderStatus::kNew;
  if (text == "PARTIALLY_FILLED") return VenueOrderStatus::kPartiallyFilled;
  if (text == "FILLED") return VenueOrderStatus::kFilled;
  if (text == "CANCELED" || text == "PENDING_CANCEL") return VenueOrderStatus::kCanceled;
  if (text == "REJECTED") return VenueOrderStatus::kRejected;
  if (text == "EXPIRED" || text == "EXPIRED_IN_MATCH") return VenueOrderStatus::kExpired;
  return Error{std::string(what) + ": unknown order status \"" + std::string(text) + "\""};
}

Result<VenueOrder> order_from(const Json& json, std::string_view what) {
  Reader r{json, std::string(what), {}};
  VenueOrder order;
  order.symbol = r.text("symbol");
  order.client_order_id = r.text("clientOrderId");
  order.order_id = r.integer("orderId");
  order.price = r.decimal("price");
  order.orig_qty = r.decimal("origQty");
  order.executed_qty = r.decimal("executedQty");
  order.cumulative_quote_qty = r.decimal("cummulativeQuoteQty");  // sic, Binance's spelling
  order.status = r.take(status_from(r.text("status"), what));
  order.type = r.take(type_from(r.text("type"), what));
  order.side = r.take(side_from(r.text("side"), what));
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
  order.orig_qty = r.decimal("q");
  order.price = r.decimal("p");
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

Result<std::vector<SymbolFilters>> parse_exchange_info(std::string_view body) {
  auto json = parse_json(body, "exchangeInfo");
  if (!json) return json.status();
  auto symbols = field(*json, "symbols", "exchangeInfo");
  if (!symbols) return symbols.status();
  if (!(*symbols)->is_array()) return Error{"exchangeInfo.symbols: expected an array"};
  std::vector<SymbolFilters> out;
  for (const Json& entry : **symbols) {
    Reader r{entry, "exchangeInfo.symbols[]", {}};
    SymbolFilters filters;
    filters.symbol = r.text("symbol");
    filters.base_asset = r.text("baseAsset");
    filters.quote_asset = r.text("quoteAsset");
    auto list = field(entry, "filters", "exchangeInfo.symbols[]");
    if (!list) return list.status();
    if (!(*list)->is_array()) return Error{"exchangeInfo.symbols[].filters: expected an array"};
    for (const Json& filter : **list) {
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
      } else if (type == "NOTIONAL" || type == "MIN_NOTIONAL") {
        filters.min_notional = f.decimal("minNotional");
      }
      if (!f.status.ok()) return f.status;
    }
    if (!r.status.ok()) return r.status;
    if (filters.tick_size.units < 0 || filters.step_size.units < 0) {
      return Error{"exchangeInfo." + filters.symbol + ": negative tickSize or stepSize"};
    }
    out.push_back(std::move(filters));
  }
  return out;
}

Result<VenueOrder> parse_order(std::string_view body) {
  auto json = parse_json(body, "order");
  if (!json) return json.status();
  return order_from(*json, "order");
}

Result<std::vector<VenueOrder>> parse_orders(std::string_view body) {
  auto json = parse_json(body, "openOrders");
  if (!json) return json.status();
  if (!json->is_array()) return Error{"openOrders: expected an array"};
  std::vector<VenueOrder> out;
  for (const Json& entry : *json) {
    auto order = order_from(entry, "openOrders[]");
    if (!order) return order.status();
    out.push_back(std::move(order).value());
  }
  return out;
}

Result<std::vector<Balance>> parse_account_balances(std::string_view body) {
  auto json = parse_json(body, "account");
  if (!json) return json.status();
  auto list = field(*json, "balances", "account");
  if (!list) return list.status();
  if (!(*list)->is_array()) return Error{"account.balances: expected an array"};
  std::vector<Balance> out;
  for (const Json& entry : **list) {
    Reader r{entry, "account.balances[]", {}};
    Balance balance{r.text("asset"), r.decimal("free"), r.decimal("locked")};
    if (!r.status.ok()) return r.status;
    out.push_back(std::move(balance));
  }
  return out;
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

Result<std::string> parse_listen_key(std::string_view body) {
  auto json = parse_json(body, "userDataStream");
  if (!json) return json.status();
  return get_string(*json, "listenKey", "userDataStream");
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
  if (name == "trade") {
    Reader r{*data, "trade", {}};
    TradeTick tick{r.text("s"), r.integer("t"), r.decimal("p"), r.decimal("q"), r.integer("T")};
    if (!r.status.ok()) return r.status;
    return StreamEvent{std::move(tick)};
  }
  return StreamEvent{UnknownStreamEvent{name}};
}

}  // namespace cephalo::exchange
