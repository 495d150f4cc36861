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
  // Open orders on traded symbols that this bot did not place (by hand, another program, an OCO
  // leg): kIgnore tracks and reports them, kCancel cancels them, kAdopt tracks them as the bot's
  // own (their fills are booked). None of them stops a start or a resync.
  enum class ForeignOrders { kIgnore, kCancel, kAdopt };
  ForeignOrders foreign_orders = ForeignOrders::kIgnore;
};

// What risk approved; quantities in base, prices in quote, as exact decimals.
struct ApprovedIntent {
  std::string symbol;  // venue spelling
  exchange::OrderSide side = exchange::OrderSide::kBuy;
  exchange::OrderType type = exchange::OrderType::kLimit;  // limit by default
  exchange::Decimal quantity;
  exchange::Decimal reference_price;  // last close or mid: the limit price derives from it
  // STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT: the trigger, and the limit price it places (both set
  // by the caller; the limit offset does not apply).
  exchange::Decimal stop_price;
  exchange::Decimal limit_price;
  std::string_view id_suffix;  // ClientOrderIds kind suffix ("" for ordinary orders)
};

struct ReconciliationReport {
  int orders_checked = 0;
  int orders_resolved = 0;  // state changed by what the venue said
  int fills_recovered = 0;  // trades found over REST that the journal missed
  // Open orders the bot did not place, and what was done with each ("ignored", "cancelled",
  // "adopted", or why that failed): one line per order, for the log.
  std::vector<std::string> foreign_orders;
  std::vector<exchange::Balance> balances;
};

class OrderExecutor {
 public:
  using FillHandler = std::function<void(const LiveOrder&, const exchange::VenueTrade&)>;
  using NanosClock = std::function<int64_t()>;  // ns since epoch UTC

  OrderExecutor(exchange::ExchangeConnector& venue, OrderJournal& journal, ClientOrderIds ids,
                ExecutorConfig config, NanosClock clock, FillHandler on_fill = {});

  void set_filters(const std::vector<exchange::SymbolFilters>& filters);
  // The venue's price for the symbol's PERCENT_PRICE(_BY_SIDE) and MARKET-order NOTIONAL checks
  // (ExchangeConnector::filter_price); until one is set, an intent's reference price stands in.
  void set_filter_price(const std::string& symbol, exchange::Decimal price) {
    filter_prices_[symbol] = price;
  }

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
  // Open orders on the traded symbols that this bot did not place (and did not adopt), as the
  // venue last reported them.
  const std::map<std::string, exchange::VenueOrder>& foreign_orders() const { return foreign_; }
  // Cancels one of the bot's orders; the answer is applied (a PENDING_CANCEL stays open).
  exchange::VenueResult<exchange::VenueOrder> cancel(const std::string& client_order_id);

  // The limit price for an intent, before tick rounding.
  exchange::Decimal limit_price(const ApprovedIntent& intent) const;

 private:
  Status commit(LiveOrder& order);
  void apply(LiveOrder& order, const exchange::VenueOrder& snapshot);
  // Records a fill once per trade id (stream or REST); false when it was seen before.
  bool take_fill(const exchange::VenueTrade& trade, LiveOrder* order);
  // Query by client id; returns false only on a transport-level failure.
  bool resolve_by_query(LiveOrder& order, bool at_startup, std::string& out_problem);
  // An open order the journal does not know: tracked, cancelled or adopted per the config.
  std::string handle_foreign(const exchange::VenueOrder& venue_order);
  exchange::OrderContext context_for(const std::string& symbol, exchange::Decimal average) const;

  exchange::ExchangeConnector& venue_;
  OrderJournal& journal_;
  ClientOrderIds ids_;
  ExecutorConfig config_;
  NanosClock clock_;
  FillHandler on_fill_;
  std::map<std::string, exchange::SymbolFilters> filters_;
  std::map<std::string, exchange::Decimal> filter_prices_;  // by symbol, quote per base
  LiveOrderBook book_;
  std::map<std::string, exchange::VenueOrder> foreign_;  // by client order id
};

}  // namespace cephalo::orders
