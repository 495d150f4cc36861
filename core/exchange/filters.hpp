// A symbol's trading rules from exchangeInfo, and the check that shapes an order to them locally.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/decimal.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

// The filters of filters.md "Symbol filters" that decide whether an order is accepted, plus the
// symbol's status and permissions. A zero bound means "not enforced", as in Binance's docs
// (e.g. maxPrice 0); a filter the symbol does not list leaves its fields zero.
struct SymbolFilters {
  std::string symbol;  // venue spelling, e.g. "ETHBTC"
  std::string base_asset, quote_asset;
  // exchangeInfo `status` (enums.md "Symbol status"): only TRADING accepts new orders.
  std::string status = "TRADING";
  bool spot_trading_allowed = true;  // isSpotTradingAllowed
  // permissionSets: the symbol trades for an account holding every permission of any one set.
  std::vector<std::vector<std::string>> permission_sets;
  // PRICE_FILTER (price and stopPrice)
  Decimal tick_size, min_price, max_price;  // quote per base
  // LOT_SIZE
  Decimal step_size, min_qty, max_qty;  // base
  // MARKET_LOT_SIZE: the same three for MARKET orders (zero step: LOT_SIZE's step applies)
  Decimal market_step_size, market_min_qty, market_max_qty;
  // NOTIONAL (or the older MIN_NOTIONAL): quote
  Decimal min_notional, max_notional;
  bool apply_min_to_market = true, apply_max_to_market = false;
  // PERCENT_PRICE_BY_SIDE (or PERCENT_PRICE, same multipliers both sides): a limit price must
  // lie within [down, up] x the average price; zero multipliers disable it.
  Decimal bid_multiplier_up, bid_multiplier_down, ask_multiplier_up, ask_multiplier_down;
  int64_t avg_price_mins = 0;
  // MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS: open orders (algo = stop types) on this symbol; 0: none
  int64_t max_num_orders = 0, max_num_algo_orders = 0;
};

enum class OrderSide { kBuy, kSell };

// What a request will carry, already on the venue's grid.
struct ShapedOrder {
  Decimal price;  // zero for market orders
  Decimal quantity;
  Decimal stop_price;  // zero when the order has none
};

// What shape_order needs besides the order: the market's average price (PERCENT_PRICE_BY_SIDE,
// and the notional of MARKET orders), and how many orders this account has open on the symbol.
struct OrderContext {
  Decimal average_price;  // quote per base; zero: unknown (the price-band check is skipped)
  int64_t open_orders = 0;
  int64_t open_algo_orders = 0;
};

// Rounds quantity down to the step and the price to the tick on the passive side (a buy rounds
// down, a sell rounds up: never more aggressive than asked; a stop price rounds towards the
// market: a sell stop up, a buy stop down), then checks every filter above. A refusal names the
// filter and both values, e.g. "LOT_SIZE: quantity 0.0004 is below minQty 0.001".
// `is_market` selects MARKET_LOT_SIZE and the applyMin/MaxToMarket rules.
Result<ShapedOrder> shape_order(const SymbolFilters& filters, OrderSide side, bool is_market,
                                Decimal price, Decimal quantity, Decimal stop_price,
                                const OrderContext& context);

}  // namespace cephalo::exchange
