// AccountSnapshot: one account (an A/B slot's venue) copied as plain records, for the
// command/query set's snapshots. Filled by the venue on the loop thread, read by any thread.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/shared_log.hpp"

namespace cephalo {

// Money in the quote currency, quantities in base units, prices in quote per base, times in ns
// since epoch UTC. Doubles, as in the venues' own books: these are read-outs, not balances to
// settle.
struct BalanceRow {
  std::string asset;
  double free = 0;
  double locked = 0;  // reserved by open orders
};

struct PositionRow {
  std::string symbol;
  double quantity = 0;     // signed base units
  double entry_price = 0;  // quantity-weighted average entry; 0 when the venue does not know it
  double last_price = 0;   // the mark
  double unrealised_pnl = 0;  // (last - entry) x quantity, after entry fees when known
  int64_t entry_time_ns = 0;  // 0 when unknown
};

struct OrderRow {
  std::string client_order_id;  // empty when the venue has no id for it
  std::string symbol;
  std::string side;           // buy | sell
  std::string type;           // market | limit | stop | stop_limit
  std::string time_in_force;  // gtc | ioc | fok
  std::string status;         // pending_new, new, partially_filled, filled, cancelled, ...
  std::string tag;
  double quantity = 0;
  double remaining = 0;  // not yet filled
  double price = 0;      // limit price; 0 for market orders
  double stop_price = 0;
  int64_t created_ns = 0;
  int64_t updated_ns = 0;
};

struct AccountSnapshot {
  std::string quote_currency;
  double cash = 0;
  double equity = 0;
  double starting_cash = 0;  // 0 when unknown (a live account)
  std::vector<BalanceRow> balances;
  std::vector<PositionRow> positions;  // non-flat only
  std::vector<OrderRow> open_orders;
  // The venue's latest order changes, oldest first: each row is an order's whole state after a
  // change (placed, filled, cancelled...), so an order's latest row is its state now. Shared with
  // the venue's log, not copied. Empty, with has_order_history false, when the venue keeps none.
  SharedLogView<OrderRow> order_updates;
  bool has_order_history = false;
};

}  // namespace cephalo
