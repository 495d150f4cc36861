// OrderExecutor: turns approved order intents into venue orders and keeps them true to the
// venue: commit-before-send, unknown resolved by query, timeout cancels, fills de-duplicated,
// and reconciliation with the venue before any strategy runs.
// Thread-safety: not thread-safe; the event loop thread calls every method (stream events are
// posted into the loop, not delivered from the WebSocket thread).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exchange/exchange_connector.hpp"
#include "orders/client_order_id.hpp"
#include "orders/live_order.hpp"
#include "orders/order_journal.hpp"

namespace cephalo::orders {

struct ExecutorConfig {
  // Limit price = reference ∓ offset: a buy below, a sell above (passive). Negative crosses.
  int64_t limit_offset_bps = 0;
  exchange::TimeInForce time_in_force = exchange::TimeInForce::kGtc;
  std::chrono::milliseconds order_timeout{60'000};  // open longer than this: cancel
  // How long "the venue does not know this client id" may mean "not visible yet" (Binance's
  // matching engine and query path can lag) before a pending/unknown order counts as never placed.
  std::chrono::milliseconds unknown_grace{10'000};
};

// What risk approved; quantities in base, prices in quote, as exact decimals.
struct ApprovedIntent {
  std::string symbol;  // venue spelling
  exchange::OrderSide side = exchange::OrderSide::kBuy;
  exchange::OrderType type = exchange::OrderType::kLimit;  // limit by default
  exchange::Decimal quantity;
  exchange::Decimal reference_price;  // last close or mid: the limit price derives from it
};

struct ReconciliationReport {
  int orders_checked = 0;
  int orders_resolved = 0;  // state changed by what the venue said
  int fills_recovered = 0;  // trades found over REST that the journal missed
  std::vector<exchange::Balance> balances;
};

class OrderExecutor {
 public:
  using FillHandler = std::function<void(const LiveOrder&, const exchange::VenueTrade&)>;
  using NanosClock = std::function<int64_t()>;  // ns since epoch UTC

  OrderExecutor(exchange::ExchangeConnector& venue, OrderJournal& journal, ClientOrderIds ids,
                ExecutorConfig config, NanosClock clock, FillHandler on_fill = {});

  void set_filters(const std::vector<exchange::SymbolFilters>& filters);

  // Shapes, journals (synchronously) and sends one order; returns its client order id. An
  // error means nothing was sent (local refusal, or storage failed). A venue refusal or an
  // unknown outcome returns the id; the order's state says which.
  Result<std::string> submit(const ApprovedIntent& intent);
  // User data stream.
  void on_execution_report(const exchange::ExecutionReport& report);
  // Resolves unknown orders by query, cancels orders open longer than the timeout.
  void poll();
  // At start, before strategies run: journal vs venue for open orders, recent fills and
  // balances. A failure lists every problem; the bot must not trade then.
  Result<ReconciliationReport> reconcile(const std::vector<std::string>& symbols);

  const LiveOrder* order(const std::string& client_order_id);
  std::vector<const LiveOrder*> active_orders();

  // The limit price for an intent, before tick rounding.
  exchange::Decimal limit_price(const ApprovedIntent& intent) const;

 private:
  Status commit(LiveOrder& order);
  void apply(LiveOrder& order, const exchange::VenueOrder& snapshot);
  // Records a fill once per trade id (stream or REST); false when it was seen before.
  bool take_fill(const exchange::VenueTrade& trade, LiveOrder* order);
  // Query by client id; returns false only on a transport-level failure.
  bool resolve_by_query(LiveOrder& order, bool at_startup, std::string& out_problem);

  exchange::ExchangeConnector& venue_;
  OrderJournal& journal_;
  ClientOrderIds ids_;
  ExecutorConfig config_;
  NanosClock clock_;
  FillHandler on_fill_;
  std::map<std::string, exchange::SymbolFilters> filters_;
  LiveOrderBook book_;
};

}  // namespace cephalo::orders
