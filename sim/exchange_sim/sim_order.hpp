// Orders, trades and balances as the simulated exchange keeps them.
// Thread-safety: plain values; the matching engine owns them on the simulator's I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exchange_sim/sim_amount.hpp"

namespace cephalo::exchange_sim {

// The spellings are Binance's wire values, so they are written out as they arrive and leave.
struct SimOrder {
  int64_t order_id = 0;
  int64_t order_list_id = -1;  // an OCO's two legs share it; -1 for a plain order
  std::string symbol;
  std::string client_order_id;
  std::string side;            // BUY, SELL
  std::string type;  // LIMIT, MARKET, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT, LIMIT_MAKER (OCO leg)
  std::string time_in_force;   // GTC, IOC, FOK ("GTC" reported for MARKET, as Binance does)
  Units price = 0;             // 0 for MARKET
  Units stop_price = 0;        // STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT: the trigger
  bool triggered = false;      // a stop type whose trigger was reached: now a plain limit
  Units orig_qty = 0;          // base asset
  Units executed_qty = 0;      // base asset
  Units cum_quote_qty = 0;     // quote asset actually paid or received, before commission
  std::string status = "NEW";  // NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED
  int64_t time_ms = 0;         // placement, server time
  int64_t update_time_ms = 0;
  // Resting orders trade only in candles that open after they were placed.
  int64_t first_eligible_candle = 0;
  Units locked = 0;  // what this order still holds locked (quote for a buy, base for a sell)

  bool is_open() const { return status == "NEW" || status == "PARTIALLY_FILLED"; }
  bool has_limit_price() const { return type != "MARKET"; }
  bool is_stop() const { return type == "STOP_LOSS_LIMIT" || type == "TAKE_PROFIT_LIMIT"; }
};

struct SimTrade {
  int64_t trade_id = 0;
  std::string symbol;
  int64_t order_id = 0;
  std::string client_order_id;
  Units price = 0;
  Units qty = 0;
  Units quote_qty = 0;
  Units commission = 0;
  std::string commission_asset;
  int64_t time_ms = 0;
  bool is_buyer = false;
  bool is_maker = false;
};

struct SimBalance {
  Units free = 0;
  Units locked = 0;
};

// One state change of one order, to push as an executionReport (and an outboundAccountPosition
// for the assets it changed).
struct OrderUpdate {
  SimOrder order;                 // the order after the change
  std::string execution_type;     // NEW, TRADE, CANCELED, EXPIRED
  std::optional<SimTrade> trade;  // for TRADE
  std::vector<std::string> changed_assets;
  int64_t event_time_ms = 0;
  std::string orig_client_order_id;  // for CANCELED: the order's id; client id is the cancel's
};

}  // namespace cephalo::exchange_sim
