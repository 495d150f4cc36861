// Applies PRICE_FILTER, LOT_SIZE and NOTIONAL before a request leaves, so the venue never sees
// an order it would reject with -1013.
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

}  // namespace

Result<ShapedOrder> shape_order(const SymbolFilters& filters, OrderSide side, Decimal price,
                                Decimal quantity, Decimal reference_price) {
  if (quantity.units <= 0) {
    return Error{filters.symbol + ": quantity " + format_decimal(quantity) +
                 " must be positive; the order was not sent"};
  }
  if (price.units < 0) {
    return Error{filters.symbol + ": price " + format_decimal(price) +
                 " must not be negative; the order was not sent"};
  }
  ShapedOrder shaped;
  shaped.quantity = round_down_to(quantity, filters.step_size);
  if (!price.is_zero()) {
    shaped.price = side == OrderSide::kBuy ? round_down_to(price, filters.tick_size)
                                           : round_up_to(price, filters.tick_size);
    if (shaped.price.units <= 0) {
      return refuse(filters, "PRICE_FILTER", "price", price, "rounds to zero with", "tickSize",
                    filters.tick_size);
    }
    if (!filters.min_price.is_zero() && shaped.price < filters.min_price) {
      return refuse(filters, "PRICE_FILTER", "price", shaped.price, "is below", "minPrice",
                    filters.min_price);
    }
    if (!filters.max_price.is_zero() && shaped.price > filters.max_price) {
      return refuse(filters, "PRICE_FILTER", "price", shaped.price, "is above", "maxPrice",
                    filters.max_price);
    }
  }
  if (shaped.quantity.units <= 0 ||
      (!filters.min_qty.is_zero() && shaped.quantity < filters.min_qty)) {
    return refuse(filters, "LOT_SIZE", "quantity", shaped.quantity, "is below", "minQty",
                  filters.min_qty);
  }
  if (!filters.max_qty.is_zero() && shaped.quantity > filters.max_qty) {
    return refuse(filters, "LOT_SIZE", "quantity", shaped.quantity, "is above", "maxQty",
                  filters.max_qty);
  }
  const Decimal notional_price = shaped.price.is_zero() ? reference_price : shaped.price;
  Decimal notional;
  if (!multiply(notional_price, shaped.quantity, notional)) {
    return Error{filters.symbol + ": price * quantity overflows; the order was not sent"};
  }
  if (!filters.min_notional.is_zero() && notional < filters.min_notional) {
    return refuse(filters, "NOTIONAL", "notional", notional, "is below", "minNotional",
                  filters.min_notional);
  }
  return shaped;
}

}  // namespace cephalo::exchange
