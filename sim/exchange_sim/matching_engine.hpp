// The simulated exchange's books: orders, balances with free/locked, trades, and the matching of
// resting orders against replayed candles. No I/O and no clock of its own: callers pass times.
// Thread-safety: not thread-safe; the simulator calls it from its single I/O thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "exchange_sim/sim_config.hpp"
#include "exchange_sim/sim_error.hpp"
#include "exchange_sim/sim_order.hpp"

namespace cephalo::exchange_sim {

struct PlaceRequest {
  std::string symbol;
  std::string side;           // BUY | SELL
  std::string type;           // LIMIT | MARKET | STOP_LOSS_LIMIT | TAKE_PROFIT_LIMIT
  std::string time_in_force;  // GTC | IOC | FOK (LIMIT only)
  Units quantity = 0;
  Units price = 0;  // all but MARKET
  std::string client_order_id;
  Units stop_price = 0;  // STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT
};

// Where a symbol's market is now: what an order placed at this moment trades against.
struct MarketNow {
  int64_t forming_candle = 0;  // index of the candle now forming
  Units last_price = 0;        // the last price the trade stream published
  Units candle_volume = 0;     // the forming candle's whole volume (caps immediate fills)
  // GET /api/v3/avgPrice's price (the symbol's avgPriceMins): what PERCENT_PRICE_BY_SIDE and a
  // MARKET order's NOTIONAL are checked against; 0: no trade yet.
  Units average_price = 0;
};

// POST /api/v3/orderList/oco: two legs for one quantity (rest-api.md "New Order list - OCO").
// The simulator takes a LIMIT_MAKER or TAKE_PROFIT_LIMIT leg with a STOP_LOSS_LIMIT leg.
struct OcoRequest {
  std::string symbol;
  std::string side;  // BUY | SELL
  Units quantity = 0;
  std::string list_client_order_id;
  PlaceRequest above, below;  // type, price, stop_price, time_in_force, client_order_id
};

struct PlaceOutcome {
  SimOrder order;                    // as it stands after any immediate fill
  std::vector<SimTrade> fills;       // immediate fills (MARKET, marketable IOC/FOK)
  std::vector<OrderUpdate> updates;  // NEW, then any TRADE / EXPIRED
};

class MatchingEngine {
 public:
  MatchingEngine(const std::vector<SimMarket>& markets,
                 const std::map<std::string, Units>& balances, double commission_rate,
                 double max_volume_share);

  // Checks filters, balance and duplicate client id (Binance's codes), then books the order.
  std::variant<PlaceOutcome, ApiError> place(const PlaceRequest& request, const MarketNow& market,
                                             int64_t now_ms);
  // An OCO: both legs booked, the quantity locked once; when one leg fills the other expires.
  // outcome.order is the below leg; outcome.updates carries both legs' NEW.
  std::variant<std::pair<PlaceOutcome, SimOrder>, ApiError> place_oco(const OcoRequest& request,
                                                                      const MarketNow& market,
                                                                      int64_t now_ms);
  // The same checks without booking anything (POST /api/v3/order/test).
  std::optional<ApiError> check(const PlaceRequest& request, const MarketNow& market) const;
  // Cancels an open order named by client id (or order id when client id is empty).
  std::variant<OrderUpdate, ApiError> cancel(const std::string& symbol,
                                             const std::string& client_order_id, int64_t order_id,
                                             const std::string& cancel_client_id, int64_t now_ms);
  // Fills resting orders the closed candle `candle_index` reached. A buy limit fills when the low
  // is at or below its price: at its price, or at the open when the candle opened below it (a
  // gap); sells mirror this. A sell STOP_LOSS_LIMIT triggers when the low reaches its stop (at
  // the stop, or at the open when the candle opened below it) and then trades as a limit: at the
  // trigger price when that is at or above its limit, else at the limit once the high reaches
  // it; TAKE_PROFIT_LIMIT and buys mirror this. All fills in one candle together take at most
  // max_volume_share of its volume, oldest order first; what is left stays open (PARTIALLY_FILLED).
  std::vector<OrderUpdate> on_candle_close(const std::string& symbol, int64_t candle_index,
                                           const OhlcvBar& bar, int64_t now_ms);

  const SimOrder* find(const std::string& symbol, const std::string& client_order_id,
                       int64_t order_id) const;
  std::vector<const SimOrder*> open_orders(const std::string& symbol) const;
  const std::map<int64_t, SimOrder>& orders() const { return orders_; }
  const std::vector<SimTrade>& trades() const { return trades_; }
  const std::map<std::string, SimBalance>& balances() const { return balances_; }
  const SimMarket* market(const std::string& symbol) const;
  // Trade ids are one monotonic sequence per symbol, shared with the public trade stream.
  int64_t next_trade_id(const std::string& symbol) { return ++last_trade_id_[symbol]; }
  double commission_rate() const { return commission_rate_; }

 private:
  std::optional<ApiError> check_filters(const SimMarket& market, const PlaceRequest& request,
                                        Units average_price) const;
  SimTrade fill(SimOrder& order, const SimMarket& market, Units qty, Units price, bool maker,
                int64_t now_ms);
  OrderUpdate update_for(const SimOrder& order, const SimMarket& market, std::string execution,
                         int64_t now_ms) const;
  void release_lock(SimOrder& order, const SimMarket& market);
  // An OCO leg is about to fill: its sibling expires and hands over the shared lock.
  std::optional<OrderUpdate> expire_sibling(SimOrder& order, const SimMarket& market,
                                            int64_t now_ms);
  Units volume_cap(Units candle_volume) const;

  const std::vector<SimMarket>& markets_;
  std::map<std::string, SimBalance> balances_;
  std::map<int64_t, SimOrder> orders_;  // by order id: ascending = time priority
  std::vector<SimTrade> trades_;
  std::map<std::string, int64_t> last_trade_id_;
  int64_t last_order_id_ = 0;
  int64_t last_order_list_id_ = -1;
  double commission_rate_;
  double max_volume_share_;
};

}  // namespace cephalo::exchange_sim
