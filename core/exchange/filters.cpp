// Applies every documented symbol filter (filters.md) before a request leaves, so the venue never
// sees an order it would reject with -1013 / -2010 "Filter failure".
// Thread-safety: pure functions.
#include "exchange/filters.hpp"

namespace cephalo::exchange {
namespace {

Error refuse(const SymbolFilters& filters, std::string_view filter, std::string_view what,
             Decimal value, std::string_view relation, std::string_view bound_name, Decimal bound) {
  return Error{filters.symbol + " " + std::string(filter) + ": " + std::string(what) + " " +
               format_decimal(value) + " " + std::string(relation) + " " + std::string(bound_name) +
               " " + format_decimal(bound) + "; the order was not sent"};
}

// PRICE_FILTER applies to price and stopPrice alike.
Status check_price(const SymbolFilters& filters, std::string_view what, Decimal price) {
  if (!filters.min_price.is_zero() && price < filters.min_price) {
    return refuse(filters, "PRICE_FILTER", what, price, "is below", "minPrice", filters.min_price);
  }
  if (!filters.max_price.is_zero() && price > filters.max_price) {
    return refuse(filters, "PRICE_FILTER", what, price, "is above", "maxPrice", filters.max_price);
  }
  return Ok{};
}

Decimal times(Decimal value, Decimal multiplier) {
  Decimal out;
  return multiply(value, multiplier, out) ? out : Decimal{Decimal::kMaxUnits};
}

Status check_percent_price(const SymbolFilters& filters, OrderSide side, Decimal price,
                           Decimal average) {
  if (average.is_zero() || price.is_zero()) return Ok{};
  const bool buy = side == OrderSide::kBuy;
  const Decimal up = buy ? filters.bid_multiplier_up : filters.ask_multiplier_up;
  const Decimal down = buy ? filters.bid_multiplier_down : filters.ask_multiplier_down;
  if (!up.is_zero() && price > times(average, up)) {
    return refuse(filters, "PERCENT_PRICE_BY_SIDE", "price", price, "is above",
                  std::string(buy ? "bidMultiplierUp" : "askMultiplierUp") + " x average price",
                  times(average, up));
  }
  if (!down.is_zero() && price < times(average, down)) {
    return refuse(filters, "PERCENT_PRICE_BY_SIDE", "price", price, "is below",
                  std::string(buy ? "bidMultiplierDown" : "askMultiplierDown") + " x average price",
                  times(average, down));
  }
  return Ok{};
}

Status check_quantity(const SymbolFilters& filters, bool is_market, Decimal quantity) {
  const bool market_rules = is_market && (!filters.market_min_qty.is_zero() ||
                                          !filters.market_max_qty.is_zero());
  const char* name = market_rules ? "MARKET_LOT_SIZE" : "LOT_SIZE";
  const Decimal min_qty = market_rules ? filters.market_min_qty : filters.min_qty;
  const Decimal max_qty = market_rules ? filters.market_max_qty : filters.max_qty;
  if (quantity.units <= 0 || (!min_qty.is_zero() && quantity < min_qty)) {
    return refuse(filters, name, "quantity", quantity, "is below", "minQty", min_qty);
  }
  if (!max_qty.is_zero() && quantity > max_qty) {
    return refuse(filters, name, "quantity", quantity, "is above", "maxQty", max_qty);
  }
  return Ok{};
}

Status check_notional(const SymbolFilters& filters, bool is_market, Decimal notional) {
  const bool check_min = !is_market || filters.apply_min_to_market;
  const bool check_max = !is_market || filters.apply_max_to_market;
  if (check_min && !filters.min_notional.is_zero() && notional < filters.min_notional) {
    return refuse(filters, "NOTIONAL", "notional", notional, "is below", "minNotional",
                  filters.min_notional);
  }
  if (check_max && !filters.max_notional.is_zero() && notional > filters.max_notional) {
    return refuse(filters, "NOTIONAL", "notional", notional, "is above", "maxNotional",
                  filters.max_notional);
  }
  return Ok{};
}

}  // namespace

Result<ShapedOrder> shape_order(const SymbolFilters& filters, OrderSide side, bool is_market,
                                Decimal price, Decimal quantity, Decimal stop_price,
                                const OrderContext& context) {
  if (quantity.units <= 0) {
    return Error{filters.symbol + ": quantity " + format_decimal(quantity) +
                 " must be positive; the order was not sent"};
  }
  if (price.units < 0 || stop_price.units < 0) {
    return Error{filters.symbol + ": price " + format_decimal(price) + " / stop price " +
                 format_decimal(stop_price) + " must not be negative; the order was not sent"};
  }
  if (filters.status != "TRADING") {
    return Error{filters.symbol + ": the symbol's status is " + filters.status +
                 ", not TRADING; the venue accepts no new order now; the order was not sent"};
  }
  const bool stop = !stop_price.is_zero();
  if (filters.max_num_orders > 0 && context.open_orders >= filters.max_num_orders) {
    return Error{filters.symbol + " MAX_NUM_ORDERS: " + std::to_string(context.open_orders) +
                 " orders already open, the limit is " + std::to_string(filters.max_num_orders) +
                 "; the order was not sent"};
  }
  if (stop && filters.max_num_algo_orders > 0 &&
      context.open_algo_orders >= filters.max_num_algo_orders) {
    return Error{filters.symbol + " MAX_NUM_ALGO_ORDERS: " +
                 std::to_string(context.open_algo_orders) +
                 " stop orders already open, the limit is " +
                 std::to_string(filters.max_num_algo_orders) + "; the order was not sent"};
  }
  ShapedOrder shaped;
  const Decimal step = is_market && !filters.market_step_size.is_zero() ? filters.market_step_size
                                                                        : filters.step_size;
  shaped.quantity = round_down_to(quantity, step);
  if (!price.is_zero()) {
    shaped.price = side == OrderSide::kBuy ? round_down_to(price, filters.tick_size)
                                           : round_up_to(price, filters.tick_size);
    if (shaped.price.units <= 0) {
      return refuse(filters, "PRICE_FILTER", "price", price, "rounds to zero with", "tickSize",
                    filters.tick_size);
    }
    if (Status ok = check_price(filters, "price", shaped.price); !ok) return ok;
    if (Status ok = check_percent_price(filters, side, shaped.price, context.average_price); !ok) {
      return ok;
    }
  }
  if (stop) {
    // A sell stop triggers when the price falls to it: rounding it up triggers no later than
    // asked; a buy stop mirrors that.
    shaped.stop_price = side == OrderSide::kSell ? round_up_to(stop_price, filters.tick_size)
                                                 : round_down_to(stop_price, filters.tick_size);
    if (Status ok = check_price(filters, "stopPrice", shaped.stop_price); !ok) return ok;
  }
  if (Status ok = check_quantity(filters, is_market, shaped.quantity); !ok) return ok;
  const Decimal notional_price = !shaped.price.is_zero()      ? shaped.price
                                 : !shaped.stop_price.is_zero() ? shaped.stop_price
                                                                : context.average_price;
  Decimal notional;
  if (!multiply(notional_price, shaped.quantity, notional)) {
    return Error{filters.symbol + ": price * quantity overflows; the order was not sent"};
  }
  if (Status ok = check_notional(filters, is_market, notional); !ok) return ok;
  return shaped;
}

}  // namespace cephalo::exchange
