// The matching engine: order admission with Binance's checks, fills, and balance bookkeeping.
#include "exchange_sim/matching_engine.hpp"

#include <algorithm>
#include <cmath>

namespace cephalo::exchange_sim {

namespace {

ApiError filter_failure(const std::string& filter) {
  return ApiError{400, -1013, "Filter failure: " + filter};
}

bool on_grid(Units value, Units minimum, Units step) {
  return step <= 0 || (value - minimum) % step == 0;
}

Units floor_to_step(Units quantity, Units step) {
  return step <= 0 ? quantity : quantity - quantity % step;
}

}  // namespace

MatchingEngine::MatchingEngine(const std::vector<SimMarket>& markets,
                               const std::map<std::string, Units>& balances, double commission_rate,
                               double max_volume_share)
    : markets_(markets), commission_rate_(commission_rate), max_volume_share_(max_volume_share) {
  for (const auto& [asset, amount] : balances) balances_[asset].free = amount;
  for (const SimMarket& market : markets_) {
    balances_.try_emplace(market.base);
    balances_.try_emplace(market.quote);
  }
}

const SimMarket* MatchingEngine::market(const std::string& symbol) const {
  for (const SimMarket& market : markets_) {
    if (market.symbol == symbol) return &market;
  }
  return nullptr;
}

Units MatchingEngine::volume_cap(Units candle_volume) const {
  return static_cast<Units>(std::floor(static_cast<double>(candle_volume) * max_volume_share_));
}

std::optional<ApiError> MatchingEngine::check_filters(const SimMarket& market,
                                                      const PlaceRequest& request,
                                                      Units average_price) const {
  const SymbolFilters& filters = market.filters;
  const auto bad_price = [&filters](Units price) {
    return price < filters.min_price || price > filters.max_price ||
           !on_grid(price, filters.min_price, filters.tick_size);
  };
  if (request.type != "MARKET" && bad_price(request.price)) return filter_failure("PRICE_FILTER");
  if (request.stop_price != 0 && bad_price(request.stop_price)) {
    return filter_failure("PRICE_FILTER");
  }
  if (request.quantity < filters.min_qty || request.quantity > filters.max_qty ||
      !on_grid(request.quantity, filters.min_qty, filters.step_size)) {
    return filter_failure("LOT_SIZE");
  }
  // filters.md: a MARKET order has no price, so NOTIONAL (applyMinToMarket) takes the average
  // price; a price must lie within PERCENT_PRICE_BY_SIDE's band around it.
  const bool market_order = request.type == "MARKET";
  const Units notional_price = market_order ? average_price : request.price;
  if (mul_units_floor(request.quantity, notional_price) < filters.min_notional) {
    return filter_failure("NOTIONAL");
  }
  if (!market_order && average_price > 0 &&
      (request.price > mul_units_floor(average_price, filters.multiplier_up) ||
       request.price < mul_units_ceil(average_price, filters.multiplier_down))) {
    return filter_failure("PERCENT_PRICE_BY_SIDE");
  }
  return std::nullopt;
}

std::optional<ApiError> MatchingEngine::check(const PlaceRequest& request,
                                              const MarketNow& now_market) const {
  const SimMarket* market_ptr = market(request.symbol);
  if (market_ptr == nullptr) return ApiError{400, -1121, "Invalid symbol."};
  const SimMarket& market = *market_ptr;
  const bool limit = request.type != "MARKET";
  const Units reference_price = limit ? request.price : now_market.last_price;
  if (auto failure = check_filters(
          market, request,
          now_market.average_price > 0 ? now_market.average_price : now_market.last_price)) {
    return *failure;
  }
  const bool buy = request.side == "BUY";
  if (request.stop_price != 0 && now_market.last_price != 0) {
    // errors.md: "Order would trigger immediately." when the stop is already reached.
    const bool loss = request.type == "STOP_LOSS_LIMIT";
    const bool now = buy ? (loss ? request.stop_price <= now_market.last_price
                                 : request.stop_price >= now_market.last_price)
                         : (loss ? request.stop_price >= now_market.last_price
                                 : request.stop_price <= now_market.last_price);
    if (now) return ApiError{400, -2010, "Order would trigger immediately."};
  }
  const auto base = balances_.find(market.base);
  const auto quote = balances_.find(market.quote);
  const Units needed = buy ? mul_units_ceil(request.quantity, reference_price) : request.quantity;
  const Units available = buy ? (quote == balances_.end() ? 0 : quote->second.free)
                              : (base == balances_.end() ? 0 : base->second.free);
  if (available < needed) {
    return ApiError{400, -2010, "Account has insufficient balance for requested action."};
  }
  return std::nullopt;
}

std::variant<PlaceOutcome, ApiError> MatchingEngine::place(const PlaceRequest& request,
                                                           const MarketNow& now_market,
                                                           int64_t now_ms) {
  const SimMarket* market_ptr = market(request.symbol);
  if (market_ptr == nullptr) return ApiError{400, -1121, "Invalid symbol."};
  const SimMarket& market = *market_ptr;
  // Binance refuses a reused id only while that order is open; the simulator is stricter and
  // refuses any id it has seen since it started, so a client that re-sends after a timeout is
  // always caught (that is the bug the check exists to expose).
  for (const auto& [id, order] : orders_) {
    if (order.symbol == request.symbol && order.client_order_id == request.client_order_id) {
      return ApiError{400, -2010, "Duplicate order sent."};
    }
  }
  if (auto failure = check(request, now_market)) return *failure;
  const bool limit = request.type != "MARKET";
  const Units reference_price = limit ? request.price : now_market.last_price;
  const bool buy = request.side == "BUY";
  SimBalance& base = balances_[market.base];
  SimBalance& quote = balances_[market.quote];
  const Units needed = buy ? mul_units_ceil(request.quantity, reference_price) : request.quantity;

  SimOrder order;
  order.order_id = ++last_order_id_;
  order.symbol = request.symbol;
  order.client_order_id = request.client_order_id;
  order.side = request.side;
  order.type = request.type;
  order.time_in_force = limit ? request.time_in_force : "GTC";
  order.price = limit ? request.price : 0;
  order.stop_price = request.stop_price;
  order.orig_qty = request.quantity;
  order.time_ms = now_ms;
  order.update_time_ms = now_ms;
  order.first_eligible_candle = now_market.forming_candle + 1;
  PlaceOutcome outcome;
  outcome.updates.push_back(update_for(order, market, "NEW", now_ms));
  if (limit) {
    // A limit order holds what it may spend until it fills or ends; a market order spends at
    // once, so it locks nothing.
    order.locked = needed;
    (buy ? quote : base).free -= needed;
    (buy ? quote : base).locked += needed;
    outcome.updates.back().changed_assets = {buy ? market.quote : market.base};
  }

  const bool immediate = !limit || order.time_in_force != "GTC";
  if (immediate) {
    // Marketable against the last published price: market orders always, IOC/FOK limits when
    // their price reaches it. Both fill at that price, capped by the candle's volume share.
    const bool marketable = !limit || (buy ? request.price >= now_market.last_price
                                           : request.price <= now_market.last_price);
    Units qty = marketable
                    ? std::min(order.orig_qty, floor_to_step(volume_cap(now_market.candle_volume),
                                                             market.filters.step_size))
                    : 0;
    if (order.time_in_force == "FOK" && qty < order.orig_qty) qty = 0;
    if (qty > 0) {
      SimTrade trade = fill(order, market, qty, now_market.last_price, false, now_ms);
      outcome.fills.push_back(trade);
      OrderUpdate update = update_for(order, market, "TRADE", now_ms);
      update.trade = trade;
      update.changed_assets = {market.base, market.quote};
      outcome.updates.push_back(std::move(update));
    }
    if (order.is_open()) {
      order.status = "EXPIRED";
      release_lock(order, market);
      OrderUpdate update = update_for(order, market, "EXPIRED", now_ms);
      if (limit) update.changed_assets = {buy ? market.quote : market.base};
      outcome.updates.push_back(std::move(update));
    }
  }
  outcome.order = order;
  orders_[order.order_id] = order;
  return outcome;
}

std::variant<std::pair<PlaceOutcome, SimOrder>, ApiError> MatchingEngine::place_oco(
    const OcoRequest& request, const MarketNow& now_market, int64_t now_ms) {
  const SimMarket* market_ptr = market(request.symbol);
  if (market_ptr == nullptr) return ApiError{400, -1121, "Invalid symbol."};
  const SimMarket& market = *market_ptr;
  const bool sell = request.side == "SELL";
  // The sell OCO is a target above the market and a stop below it; a buy mirrors that.
  const PlaceRequest& limit_leg = sell ? request.above : request.below;
  const PlaceRequest& stop_leg = sell ? request.below : request.above;
  const bool limit_ok = limit_leg.type == "LIMIT_MAKER" || limit_leg.type == "TAKE_PROFIT_LIMIT";
  if (!limit_ok || stop_leg.type != "STOP_LOSS_LIMIT") {
    return ApiError{400, -1014, "Unsupported order combination."};
  }
  const Units last = now_market.last_price;
  const bool prices_ok = sell ? limit_leg.price > last && last > stop_leg.stop_price
                              : limit_leg.price < last && last < stop_leg.stop_price;
  if (!prices_ok) {
    return ApiError{400, -2010, "The relationship of the prices for the orders is not correct."};
  }
  for (const PlaceRequest* leg : {&request.below, &request.above}) {
    for (const auto& [id, order] : orders_) {
      if (order.symbol == request.symbol && order.client_order_id == leg->client_order_id) {
        return ApiError{400, -2010, "Duplicate order sent."};
      }
    }
    PlaceRequest checked = *leg;
    checked.stop_price = 0;  // the stop relation was checked above, for the pair
    if (auto failure = check_filters(market, checked, leg->price)) return *failure;
  }
  SimBalance& base = balances_[market.base];
  SimBalance& quote = balances_[market.quote];
  const Units highest = std::max(request.above.price, request.below.price);
  const Units needed = sell ? request.quantity : mul_units_ceil(request.quantity, highest);
  if ((sell ? base.free : quote.free) < needed) {
    return ApiError{400, -2010, "Account has insufficient balance for requested action."};
  }
  const int64_t list_id = ++last_order_list_id_;
  std::pair<PlaceOutcome, SimOrder> out;
  for (const PlaceRequest* leg : {&request.below, &request.above}) {
    SimOrder order;
    order.order_id = ++last_order_id_;
    order.order_list_id = list_id;
    order.symbol = request.symbol;
    order.client_order_id = leg->client_order_id;
    order.side = request.side;
    order.type = leg->type;
    order.time_in_force = "GTC";
    order.price = leg->price;
    order.stop_price = leg->stop_price;
    order.orig_qty = request.quantity;
    order.time_ms = now_ms;
    order.update_time_ms = now_ms;
    order.first_eligible_candle = now_market.forming_candle + 1;
    // The pair holds the quantity once: on the below leg, handed over if the other fills.
    if (leg == &request.below) {
      order.locked = needed;
      (sell ? base : quote).free -= needed;
      (sell ? base : quote).locked += needed;
    }
    OrderUpdate update = update_for(order, market, "NEW", now_ms);
    if (leg == &request.below) update.changed_assets = {sell ? market.base : market.quote};
    out.first.updates.push_back(std::move(update));
    orders_[order.order_id] = order;
    (leg == &request.below ? out.first.order : out.second) = order;
  }
  return out;
}

std::optional<OrderUpdate> MatchingEngine::expire_sibling(SimOrder& order, const SimMarket& market,
                                                          int64_t now_ms) {
  if (order.order_list_id < 0) return std::nullopt;
  for (auto& [id, sibling] : orders_) {
    if (sibling.order_list_id != order.order_list_id || sibling.order_id == order.order_id ||
        !sibling.is_open()) {
      continue;
    }
    order.locked += sibling.locked;  // the shared lock moves to the leg that trades
    sibling.locked = 0;
    sibling.status = "EXPIRED";
    sibling.update_time_ms = now_ms;
    return update_for(sibling, market, "EXPIRED", now_ms);
  }
  return std::nullopt;
}

SimTrade MatchingEngine::fill(SimOrder& order, const SimMarket& market, Units qty, Units price,
                              bool maker, int64_t now_ms) {
  const bool buy = order.side == "BUY";
  SimBalance& base = balances_[market.base];
  SimBalance& quote = balances_[market.quote];
  SimTrade trade;
  trade.trade_id = next_trade_id(market.symbol);
  trade.symbol = market.symbol;
  trade.order_id = order.order_id;
  trade.client_order_id = order.client_order_id;
  trade.price = price;
  trade.qty = qty;
  trade.time_ms = now_ms;
  trade.is_buyer = buy;
  trade.is_maker = maker;
  const bool completes = order.executed_qty + qty == order.orig_qty;
  // Commission in the asset received, as Binance charges without BNB: rounded to the nearest
  // 1e-8 unit.
  const auto commission_on = [this](Units received) {
    return static_cast<Units>(std::round(static_cast<double>(received) * commission_rate_));
  };
  if (buy) {
    trade.quote_qty = mul_units_ceil(qty, price);  // the buyer pays the rounding
    if (order.has_limit_price()) {
      const Units release =
          completes ? order.locked : std::min(order.locked, mul_units_ceil(qty, order.price));
      order.locked -= release;
      quote.locked -= release;
      quote.free += release - trade.quote_qty;
    } else {
      quote.free -= trade.quote_qty;
    }
    trade.commission = commission_on(qty);
    trade.commission_asset = market.base;
    base.free += qty - trade.commission;
  } else {
    trade.quote_qty = mul_units_floor(qty, price);  // the seller gets the rounding down
    if (order.has_limit_price()) {
      order.locked -= qty;
      base.locked -= qty;
    } else {
      base.free -= qty;
    }
    trade.commission = commission_on(trade.quote_qty);
    trade.commission_asset = market.quote;
    quote.free += trade.quote_qty - trade.commission;
  }
  order.executed_qty += qty;
  order.cum_quote_qty += trade.quote_qty;
  order.status = completes ? "FILLED" : "PARTIALLY_FILLED";
  order.update_time_ms = now_ms;
  trades_.push_back(trade);
  return trade;
}

void MatchingEngine::release_lock(SimOrder& order, const SimMarket& market) {
  SimBalance& balance = balances_[order.side == "BUY" ? market.quote : market.base];
  balance.locked -= order.locked;
  balance.free += order.locked;
  order.locked = 0;
}

OrderUpdate MatchingEngine::update_for(const SimOrder& order, const SimMarket& /*market*/,
                                       std::string execution, int64_t now_ms) const {
  OrderUpdate update;
  update.order = order;
  update.execution_type = std::move(execution);
  update.event_time_ms = now_ms;
  return update;
}

std::variant<OrderUpdate, ApiError> MatchingEngine::cancel(const std::string& symbol,
                                                           const std::string& client_order_id,
                                                           int64_t order_id,
                                                           const std::string& cancel_client_id,
                                                           int64_t now_ms) {
  const SimMarket* market_ptr = market(symbol);
  if (market_ptr == nullptr) return ApiError{400, -1121, "Invalid symbol."};
  const SimOrder* found = find(symbol, client_order_id, order_id);
  if (found == nullptr || !found->is_open()) return ApiError{400, -2011, "Unknown order sent."};
  SimOrder& order = orders_.at(found->order_id);
  order.status = "CANCELED";
  order.update_time_ms = now_ms;
  release_lock(order, *market_ptr);
  OrderUpdate update = update_for(order, *market_ptr, "CANCELED", now_ms);
  update.orig_client_order_id = order.client_order_id;
  update.order.client_order_id = cancel_client_id;
  update.changed_assets = {order.side == "BUY" ? market_ptr->quote : market_ptr->base};
  return update;
}

std::vector<OrderUpdate> MatchingEngine::on_candle_close(const std::string& symbol,
                                                         int64_t candle_index, const OhlcvBar& bar,
                                                         int64_t now_ms) {
  std::vector<OrderUpdate> updates;
  const SimMarket* market_ptr = market(symbol);
  if (market_ptr == nullptr) return updates;
  const Units open = units_from_double(bar.open);
  const Units low = units_from_double(bar.low);
  const Units high = units_from_double(bar.high);
  Units capacity = volume_cap(units_from_double(bar.volume));
  for (auto& [id, order] : orders_) {
    if (order.symbol != symbol || !order.is_open() || !order.has_limit_price() ||
        order.first_eligible_candle > candle_index) {
      continue;
    }
    const bool buy = order.side == "BUY";
    Units price = 0;
    if (order.is_stop() && !order.triggered) {
      // Falls to (stop loss sell, take profit buy) or rises to (the other two) the stop price.
      const bool falls = buy == (order.type == "TAKE_PROFIT_LIMIT");
      if (falls ? low > order.stop_price : high < order.stop_price) continue;
      order.triggered = true;
      const Units trigger =
          falls ? std::min(order.stop_price, open) : std::max(order.stop_price, open);
      const bool at_trigger = buy ? trigger <= order.price : trigger >= order.price;
      const bool later = buy ? low <= order.price : high >= order.price;
      if (!at_trigger && !later) continue;  // rests as a limit at its price
      price = at_trigger ? trigger : order.price;
    } else {
      if (buy ? low > order.price : high < order.price) continue;
      price = buy ? std::min(order.price, open) : std::max(order.price, open);
    }
    const Units qty = std::min(order.orig_qty - order.executed_qty,
                               floor_to_step(capacity, market_ptr->filters.step_size));
    if (qty <= 0) break;  // the candle's volume share is used up
    capacity -= qty;
    // An OCO leg trades: the other leg expires (eR OCO_TRIGGER, user-data-stream.md).
    if (auto expired = expire_sibling(order, *market_ptr, now_ms)) {
      updates.push_back(std::move(*expired));
    }
    OrderUpdate update;
    update.trade = fill(order, *market_ptr, qty, price, true, now_ms);
    update.order = order;
    update.execution_type = "TRADE";
    update.event_time_ms = now_ms;
    update.changed_assets = {market_ptr->base, market_ptr->quote};
    updates.push_back(std::move(update));
  }
  return updates;
}

const SimOrder* MatchingEngine::find(const std::string& symbol, const std::string& client_order_id,
                                     int64_t order_id) const {
  for (const auto& [id, order] : orders_) {
    if (order.symbol != symbol) continue;
    if (client_order_id.empty() ? id == order_id : order.client_order_id == client_order_id) {
      return &order;
    }
  }
  return nullptr;
}

std::vector<const SimOrder*> MatchingEngine::open_orders(const std::string& symbol) const {
  std::vector<const SimOrder*> open;
  for (const auto& [id, order] : orders_) {
    if ((symbol.empty() || order.symbol == symbol) && order.is_open()) open.push_back(&order);
  }
  return open;
}

}  // namespace cephalo::exchange_sim
