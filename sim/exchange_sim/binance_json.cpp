// Binance spot's JSON shapes, field for field as its public API documentation lists them.
#include "exchange_sim/binance_json.hpp"

#include <cmath>

namespace cephalo::exchange_sim {

using nlohmann::json;

std::string decimal_text(double value) {
  return format_units(units_from_double(value));
}

json error_json(const ApiError& error) {
  return {{"code", error.code}, {"msg", error.msg}};
}

namespace {

// The fields every order reply shares (RESULT, GET order, DELETE order).
json order_core_json(const SimOrder& order) {
  return {{"symbol", order.symbol},
          {"orderId", order.order_id},
          {"orderListId", order.order_list_id},
          {"clientOrderId", order.client_order_id},
          {"price", format_units(order.price)},
          {"origQty", format_units(order.orig_qty)},
          {"executedQty", format_units(order.executed_qty)},
          {"cummulativeQuoteQty", format_units(order.cum_quote_qty)},  // sic: Binance's spelling
          {"status", order.status},
          {"timeInForce", order.time_in_force},
          {"type", order.type},
          {"side", order.side}};
}

}  // namespace

json order_json(const SimOrder& order) {
  json out = order_core_json(order);
  out["stopPrice"] = format_units(order.stop_price);
  out["icebergQty"] = format_units(0);
  out["time"] = order.time_ms;
  out["updateTime"] = order.update_time_ms;
  out["isWorking"] = true;
  out["workingTime"] = order.time_ms;
  out["origQuoteOrderQty"] = format_units(0);
  out["selfTradePreventionMode"] = "NONE";
  return out;
}

json place_response_json(const PlaceOutcome& outcome, const std::string& response_type) {
  const SimOrder& order = outcome.order;
  if (response_type == "ACK") {
    return {{"symbol", order.symbol},
            {"orderId", order.order_id},
            {"orderListId", -1},
            {"clientOrderId", order.client_order_id},
            {"transactTime", order.time_ms}};
  }
  json out = order_core_json(order);
  out["transactTime"] = order.time_ms;
  out["workingTime"] = order.time_ms;
  out["selfTradePreventionMode"] = "NONE";
  if (response_type == "FULL") {
    json fills = json::array();
    for (const SimTrade& trade : outcome.fills) {
      fills.push_back({{"price", format_units(trade.price)},
                       {"qty", format_units(trade.qty)},
                       {"commission", format_units(trade.commission)},
                       {"commissionAsset", trade.commission_asset},
                       {"tradeId", trade.trade_id}});
    }
    out["fills"] = std::move(fills);
  }
  return out;
}

json order_list_response_json(const SimOrder& below, const SimOrder& above,
                              const std::string& list_client_order_id) {
  json orders = json::array();
  json reports = json::array();
  for (const SimOrder* leg : {&below, &above}) {
    orders.push_back({{"symbol", leg->symbol},
                      {"orderId", leg->order_id},
                      {"clientOrderId", leg->client_order_id}});
    json report = order_core_json(*leg);
    report["transactTime"] = leg->time_ms;
    if (leg->stop_price != 0) report["stopPrice"] = format_units(leg->stop_price);
    report["workingTime"] = leg->is_stop() ? -1 : leg->time_ms;
    report["selfTradePreventionMode"] = "NONE";
    reports.push_back(std::move(report));
  }
  return {{"orderListId", below.order_list_id},
          {"contingencyType", "OCO"},
          {"listStatusType", "EXEC_STARTED"},
          {"listOrderStatus", "EXECUTING"},
          {"listClientOrderId", list_client_order_id},
          {"transactionTime", below.time_ms},
          {"symbol", below.symbol},
          {"orders", std::move(orders)},
          {"orderReports", std::move(reports)}};
}

json cancel_response_json(const OrderUpdate& cancel) {
  json out = order_core_json(cancel.order);
  out["origClientOrderId"] = cancel.orig_client_order_id;
  out["transactTime"] = cancel.event_time_ms;
  out["selfTradePreventionMode"] = "NONE";
  return out;
}

json my_trade_json(const SimTrade& trade) {
  return {{"symbol", trade.symbol},
          {"id", trade.trade_id},
          {"orderId", trade.order_id},
          {"orderListId", -1},
          {"price", format_units(trade.price)},
          {"qty", format_units(trade.qty)},
          {"quoteQty", format_units(trade.quote_qty)},
          {"commission", format_units(trade.commission)},
          {"commissionAsset", trade.commission_asset},
          {"time", trade.time_ms},
          {"isBuyer", trade.is_buyer},
          {"isMaker", trade.is_maker},
          {"isBestMatch", true}};
}

json account_json(const std::map<std::string, SimBalance>& balances, double commission_rate,
                  int64_t now_ms, bool can_trade) {
  const auto bps = static_cast<int64_t>(std::llround(commission_rate * 10'000));
  json list = json::array();
  for (const auto& [asset, balance] : balances) {
    list.push_back({{"asset", asset},
                    {"free", format_units(balance.free)},
                    {"locked", format_units(balance.locked)}});
  }
  const std::string rate = decimal_text(commission_rate);
  return {
      {"makerCommission", bps},
      {"takerCommission", bps},
      {"buyerCommission", 0},
      {"sellerCommission", 0},
      {"commissionRates",
       {{"maker", rate}, {"taker", rate}, {"buyer", format_units(0)}, {"seller", format_units(0)}}},
      {"canTrade", can_trade},
      {"canWithdraw", false},
      {"canDeposit", false},
      {"brokered", false},
      {"requireSelfTradePrevention", false},
      {"preventSor", false},
      {"updateTime", now_ms},
      {"accountType", "SPOT"},
      {"balances", std::move(list)},
      {"permissions", json::array({"SPOT"})},
      {"uid", 1}};
}

json exchange_info_json(const std::vector<const SimMarket*>& markets, int64_t weight_limit,
                        int64_t now_ms, const std::string& status) {
  json symbols = json::array();
  for (const SimMarket* market : markets) {
    const SymbolFilters& f = market->filters;
    symbols.push_back(
        {{"symbol", market->symbol},
         {"status", status},
         {"baseAsset", market->base},
         {"baseAssetPrecision", 8},
         {"quoteAsset", market->quote},
         {"quotePrecision", 8},
         {"quoteAssetPrecision", 8},
         {"baseCommissionPrecision", 8},
         {"quoteCommissionPrecision", 8},
         {"orderTypes", json::array({"LIMIT", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"})},
         {"icebergAllowed", false},
         {"ocoAllowed", false},
         {"quoteOrderQtyMarketAllowed", false},
         {"allowTrailingStop", false},
         {"cancelReplaceAllowed", false},
         {"isSpotTradingAllowed", true},
         {"isMarginTradingAllowed", false},
         {"filters", json::array({{{"filterType", "PRICE_FILTER"},
                                   {"minPrice", format_units(f.min_price)},
                                   {"maxPrice", format_units(f.max_price)},
                                   {"tickSize", format_units(f.tick_size)}},
                                  {{"filterType", "LOT_SIZE"},
                                   {"minQty", format_units(f.min_qty)},
                                   {"maxQty", format_units(f.max_qty)},
                                   {"stepSize", format_units(f.step_size)}},
                                  {{"filterType", "NOTIONAL"},
                                   {"minNotional", format_units(f.min_notional)},
                                   {"applyMinToMarket", true},
                                   {"maxNotional", format_units(9'000'000 * kUnitsPerWhole)},
                                   {"applyMaxToMarket", false},
                                   {"avgPriceMins", f.avg_price_mins}},
                                  {{"filterType", "PERCENT_PRICE_BY_SIDE"},
                                   {"bidMultiplierUp", format_units(f.multiplier_up)},
                                   {"bidMultiplierDown", format_units(f.multiplier_down)},
                                   {"askMultiplierUp", format_units(f.multiplier_up)},
                                   {"askMultiplierDown", format_units(f.multiplier_down)},
                                   {"avgPriceMins", f.avg_price_mins}},
                                  {{"filterType", "MARKET_LOT_SIZE"},
                                   {"minQty", format_units(0)},
                                   {"maxQty", format_units(f.max_qty)},
                                   {"stepSize", format_units(0)}},
                                  {{"filterType", "MAX_NUM_ORDERS"}, {"maxNumOrders", 200}},
                                  {{"filterType", "MAX_NUM_ALGO_ORDERS"}, {"maxNumAlgoOrders", 5}}})},
         {"permissions", json::array()},
         {"permissionSets", json::array({json::array({"SPOT"})})},
         {"defaultSelfTradePreventionMode", "EXPIRE_MAKER"},
         {"allowedSelfTradePreventionModes",
          json::array({"NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"})}});
  }
  return {{"timezone", "UTC"},
          {"serverTime", now_ms},
          {"rateLimits", json::array({{{"rateLimitType", "REQUEST_WEIGHT"},
                                       {"interval", "MINUTE"},
                                       {"intervalNum", 1},
                                       {"limit", weight_limit}},
                                      {{"rateLimitType", "ORDERS"},
                                       {"interval", "SECOND"},
                                       {"intervalNum", 10},
                                       {"limit", 100}},
                                      {{"rateLimitType", "ORDERS"},
                                       {"interval", "DAY"},
                                       {"intervalNum", 1},
                                       {"limit", 200000}},
                                      {{"rateLimitType", "RAW_REQUESTS"},
                                       {"interval", "MINUTE"},
                                       {"intervalNum", 5},
                                       {"limit", 300000}}})},
          {"exchangeFilters", json::array()},
          {"symbols", std::move(symbols)}};
}

json kline_array_json(const OhlcvBar& bar, int64_t interval_ms, int trades) {
  // The files carry no quote volume or taker split: quote volume is estimated as volume times
  // the mean of open and close, and half of each is called taker buying.
  const double quote_volume = bar.volume * (bar.open + bar.close) / 2;
  return json::array({bar.open_time_ms, decimal_text(bar.open), decimal_text(bar.high),
                      decimal_text(bar.low), decimal_text(bar.close), decimal_text(bar.volume),
                      bar.open_time_ms + interval_ms - 1, decimal_text(quote_volume), trades,
                      decimal_text(bar.volume / 2), decimal_text(quote_volume / 2), "0"});
}

json kline_event_json(const std::string& symbol, const std::string& interval, int64_t interval_ms,
                      const OhlcvBar& bar, int trades, bool closed, int64_t event_ms) {
  const double quote_volume = bar.volume * (bar.open + bar.close) / 2;
  return {{"e", "kline"},
          {"E", event_ms},
          {"s", symbol},
          {"k",
           {{"t", bar.open_time_ms},
            {"T", bar.open_time_ms + interval_ms - 1},
            {"s", symbol},
            {"i", interval},
            {"f", -1},
            {"L", -1},
            {"o", decimal_text(bar.open)},
            {"c", decimal_text(bar.close)},
            {"h", decimal_text(bar.high)},
            {"l", decimal_text(bar.low)},
            {"v", decimal_text(bar.volume)},
            {"n", trades},
            {"x", closed},
            {"q", decimal_text(quote_volume)},
            {"V", decimal_text(bar.volume / 2)},
            {"Q", decimal_text(quote_volume / 2)},
            {"B", "0"}}}};
}

json trade_event_json(const std::string& symbol, int64_t trade_id, double price, double qty,
                      int64_t event_ms) {
  return {{"e", "trade"},
          {"E", event_ms},
          {"s", symbol},
          {"t", trade_id},
          {"p", decimal_text(price)},
          {"q", decimal_text(qty)},
          {"T", event_ms},
          {"m", false},
          {"M", true}};
}

json book_ticker_json(const std::string& symbol, int64_t update_id, double price, Units tick_size,
                      double qty) {
  const Units bid = units_from_double(price);
  return {{"u", update_id},
          {"s", symbol},
          {"b", format_units(bid)},
          {"B", decimal_text(qty)},
          {"a", format_units(bid + tick_size)},
          {"A", decimal_text(qty)}};
}

json execution_report_json(const OrderUpdate& update) {
  const SimOrder& order = update.order;
  const bool traded = update.trade.has_value();
  return {{"e", "executionReport"},
          {"E", update.event_time_ms},
          {"s", order.symbol},
          {"c", order.client_order_id},
          {"S", order.side},
          {"o", order.type},
          {"f", order.time_in_force},
          {"q", format_units(order.orig_qty)},
          {"p", format_units(order.price)},
          {"P", format_units(order.stop_price)},
          {"F", format_units(0)},
          {"g", order.order_list_id},
          {"C", update.orig_client_order_id},
          {"x", update.execution_type},
          {"X", order.status},
          {"r", "NONE"},
          {"i", order.order_id},
          {"l", format_units(traded ? update.trade->qty : 0)},
          {"z", format_units(order.executed_qty)},
          {"L", format_units(traded ? update.trade->price : 0)},
          {"n", format_units(traded ? update.trade->commission : 0)},
          {"N", traded ? json(update.trade->commission_asset) : json(nullptr)},
          {"T", update.event_time_ms},
          {"t", traded ? update.trade->trade_id : -1},
          {"I", 0},
          {"w", order.is_open()},
          {"m", traded && update.trade->is_maker},
          {"M", false},
          {"O", order.time_ms},
          {"Z", format_units(order.cum_quote_qty)},
          {"Y", format_units(traded ? update.trade->quote_qty : 0)},
          {"Q", format_units(0)},
          {"W", order.time_ms},
          {"V", "NONE"}};
}

json account_position_json(const std::map<std::string, SimBalance>& balances,
                           const std::vector<std::string>& assets, int64_t event_ms) {
  json list = json::array();
  for (const std::string& asset : assets) {
    const auto found = balances.find(asset);
    const SimBalance balance = found == balances.end() ? SimBalance{} : found->second;
    list.push_back(
        {{"a", asset}, {"f", format_units(balance.free)}, {"l", format_units(balance.locked)}});
  }
  return {
      {"e", "outboundAccountPosition"}, {"E", event_ms}, {"u", event_ms}, {"B", std::move(list)}};
}

}  // namespace cephalo::exchange_sim
