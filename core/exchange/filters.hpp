// A symbol's trading rules from exchangeInfo, and the check that shapes an order to them locally.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "exchange/decimal.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

// Binance's PRICE_FILTER, LOT_SIZE and NOTIONAL (MIN_NOTIONAL on older symbols). A zero bound
// means "not enforced", as in Binance's docs (e.g. maxPrice 0).
struct SymbolFilters {
  std::string symbol;  // venue spelling, e.g. "ETHBTC"
  std::string base_asset, quote_asset;
  Decimal tick_size, min_price, max_price;  // quote per base
  Decimal step_size, min_qty, max_qty;      // base
  Decimal min_notional;                     // quote
};

enum class OrderSide { kBuy, kSell };

// What a request will carry, already on the venue's grid.
struct ShapedOrder {
  Decimal price;  // zero for market orders
  Decimal quantity;
};

// Rounds quantity down to the step and the price to the tick on the passive side (a buy rounds
// down, a sell rounds up: never more aggressive than asked), then checks every bound. A refusal
// names the filter and both values, e.g. "LOT_SIZE: quantity 0.0004 is below minQty 0.001".
// `reference_price` is used for the notional of market orders (price zero).
Result<ShapedOrder> shape_order(const SymbolFilters& filters, OrderSide side, Decimal price,
                                Decimal quantity, Decimal reference_price);

}  // namespace cephalo::exchange
