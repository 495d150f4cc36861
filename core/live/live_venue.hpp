// LiveVenue: the ExecutionVenue of live trading. Approved intents go to the OrderExecutor (limit
// at the last close -/+ an offset by default, commit-before-send); venue reports (user data
// stream, REST queries, resyncs) come back as Fill events; the venue's balances are the
// portfolio view that tentacles and risk read.
// Thread-safety: loop thread only. Stream callbacks must be posted into the loop first.
//
// Accounting: balances are the venue's (reconciliation, outboundAccountPosition, resyncs), never
// recomputed here, so the bot cannot drift from the account. A position is the base asset's free
// plus locked balance. Its average entry price and its round trips come from the fills through the
// backtest's own Position (portfolio/position.hpp: average cost, a round trip from flat to flat),
// rebuilt from the journal's fills at start; a commission taken in the base asset shrinks what a
// buy added and counts as a fee at the fill's price. Each round trip closed live is stored in the
// trades table and reaches risk (loss streaks, cooldowns) through take_closed_trades(). Amounts are
// doubles at this boundary (the ABI's portfolio view is double); orders themselves are exact
// decimals in the executor.
// Fills reach the pipeline with the next candle or intent (the pipeline takes venue events only
// then, so risk sees every fill before the tentacles do). Protective exits: by default
// core-emulated (a market order when the risk engine finds one triggered by a closed candle);
// with exchange.stop_on_exchange the position's stop (or trail, whichever is tighter) also rests
// on the exchange as a STOP_LOSS_LIMIT, replaced whenever the core moves it, so a bot that dies
// keeps its stop; a stop that filled while the bot was down is booked at restart as the stop
// exit (its client id carries the kind). While a resync with the venue fails, no order leaves.
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "exchange/exchange_connector.hpp"
#include "host/execution_venue.hpp"
#include "model/name_table.hpp"
#include "orders/order_executor.hpp"
#include "portfolio/position.hpp"
#include "storage/repository.hpp"

namespace cephalo {

// One traded pair, in the engine's spelling and the venue's.
struct LiveMarket {
  Name symbol;               // "ETH/BTC", interned in the run's NameTable
  std::string venue_symbol;  // "ETHBTC"
  std::string base, quote;   // "ETH", "BTC"
};

class LiveVenue final : public ExecutionVenue {
 public:
  using NanosClock = std::function<int64_t()>;

  LiveVenue(const Config& config, std::vector<LiveMarket> markets,
            exchange::ExchangeConnector& connector, orders::OrderJournal& journal,
            Repository& repository, std::shared_ptr<spdlog::logger> logger, const NanosClock& clock,
            const std::string& run_tag);

  // Start-up, before any strategy runs: the symbols' filters and the venue's rate limits; refused
  // when a feed's symbol is unknown to the venue, not TRADING, not open to spot trading, or the
  // pairs do not share one quote asset. Then the account (canTrade, SPOT permission) and the
  // API key (a read-only key is refused now, not at the first order), then reconciliation.
  Status load_filters();
  Status check_account();
  Status check_key_can_trade();
  Result<orders::ReconciliationReport> reconcile();
  // After reconcile() at start: the protective stops an earlier run left resting.
  void adopt_resting_stops();
  // Logs the foreign-order lines of a reconciliation that were not logged before.
  void note_foreign_orders(const std::vector<std::string>& lines);
  // Every fill the journal holds, to rebuild positions and average entry prices (after
  // reconcile()); round trips closed in earlier runs are not reported again.
  void rebuild_average_prices();
  void set_balances(const std::vector<exchange::Balance>& balances, int64_t time_ns,
                    const std::string& reason);

  // From the user data stream (posted into the loop).
  void on_execution_report(const exchange::ExecutionReport& report);
  void on_account_position(const exchange::AccountPosition& position);
  // Unknown orders queried, old ones cancelled (a timer calls it).
  void check_orders();
  // Orders, missed fills and balances re-read from the venue (after a stream reconnect or
  // re-subscription, and periodically). A failure stops every order from leaving until a later
  // resync passes; it is logged and reported as an ErrorInfo event.
  void resync(const std::string& why);
  bool trading_blocked() const { return !blocked_reason_.empty(); }
  // From here on fills reach the pipeline (before: start-up reconciliation, see on_fill).
  void begin_streaming() { streaming_ = true; }
  // The live slot's protective levels per symbol (its risk engine's TrackedPosition), for stops
  // resting on the exchange; unset or null: none.
  using LevelsOf = std::function<const TrackedPosition*(std::string_view symbol)>;
  void set_levels_source(LevelsOf levels_of) { levels_of_ = std::move(levels_of); }
  // Graceful stop: cancels every open order (or keeps them), then stores the venue's balances.
  void shut_down(bool cancel_open_orders);

  const std::vector<LiveMarket>& markets() const { return markets_; }
  orders::OrderExecutor& executor() { return executor_; }

  // ExecutionVenue
  void on_candle(const Candle& candle, int64_t time_ns, const ProtectiveExit* exit,
                 std::vector<EventPayload>& out_events) override;
  void on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                       std::vector<EventPayload>& out_events) override;
  double cash() const override;
  void position(std::string_view symbol, double& quantity, double& average_price) const override;
  AccountView account_view() const override;
  double equity() const override;
  double last_price(std::string_view symbol) const override;
  void refuse(const OrderIntent& intent, int64_t time_ns, const std::string& reason) override;
  void apply(const AccountAction& action, int64_t time_ns,
             std::vector<EventPayload>& out_events) override;
  // Round trips closed by live fills since the last call (the venue has no such notion).
  std::vector<ClosedTrade> take_closed_trades() override;
  // A/B promotion: fills not yet handed over, and what the symbol's filters make untradable.
  void take_events(std::vector<EventPayload>& out_events) override { take_pending(out_events); }
  double dust_quantity(std::string_view symbol) const override;

 private:
  struct Holding {
    double free = 0, locked = 0;
  };
  const LiveMarket* market_of(std::string_view symbol) const;
  const LiveMarket* market_of_venue(std::string_view venue_symbol) const;
  double held(const LiveMarket& market) const;
  void on_fill(const orders::LiveOrder& order, const exchange::VenueTrade& trade);
  void take_pending(std::vector<EventPayload>& out_events);
  // Places one order; a refusal becomes an ErrorInfo event.
  void place(const LiveMarket& market, exchange::OrderSide side, exchange::OrderType type,
             double quantity, double reference_price, const std::string& why,
             std::vector<EventPayload>& out_events);
  // exchange.stop_on_exchange: places, replaces or cancels the market's resting stop so it
  // matches the core's current stop level for what is held.
  void keep_stop_in_step(const LiveMarket& market, std::vector<EventPayload>& out_events);
  // The price each market's PERCENT_PRICE(_BY_SIDE) and MARKET-order NOTIONAL filters use, from
  // the venue (its reference or average price), for the executor's pre-checks: read at start and
  // at every resync (so at most resync_interval_ms old; the average spans minutes).
  void refresh_filter_prices();
  // Cancels the market's resting stop; false when it already filled (nothing left to sell).
  bool cancel_resting_stop(const LiveMarket& market);
  // One fill into its market's Position; the round trip it closes, if any. A sell of more than
  // the fills bought (base held before the bot traded) only closes what they bought.
  std::optional<ClosedTrade> book_fill(const LiveMarket& market, exchange::OrderSide side,
                                       double quantity, double price, double commission,
                                       const std::string& commission_asset, int64_t time_ns,
                                       const std::string& client_order_id);

  const Config& config_;
  std::vector<LiveMarket> markets_;
  exchange::ExchangeConnector& connector_;
  orders::OrderJournal& journal_;
  Repository& repository_;
  std::shared_ptr<spdlog::logger> logger_;
  NanosClock clock_;
  mutable orders::OrderExecutor executor_;  // mutable: active_orders() is not const
  std::string quote_;
  std::map<std::string, Holding, std::less<>> balances_;        // by asset
  std::unordered_map<std::string, double> last_price_;          // by venue symbol, quote per base
  std::unordered_map<std::string, Position> positions_;         // by venue symbol
  std::unordered_map<std::string, std::string> order_reasons_;  // client id -> why it was placed
  std::vector<ClosedTrade> closed_;    // round trips not yet handed to risk
  std::vector<EventPayload> pending_;  // fills not yet handed to the pipeline
  uint64_t refused_ = 0;
  std::string blocked_reason_;  // why no order may leave now (a failed resync); empty: none
  bool streaming_ = false;
  std::set<std::string> reported_foreign_;  // foreign-order lines already logged
  LevelsOf levels_of_;
  struct RestingStop {
    std::string client_order_id;
    double stop_price = 0;  // as placed (quote per base)
    double quantity = 0;
  };
  std::unordered_map<std::string, RestingStop> resting_stops_;     // by venue symbol
  std::map<std::string, exchange::SymbolFilters> symbol_filters_;  // by venue symbol
  struct Tradable {
    double min_quantity = 0, min_notional = 0;  // base; quote
  };
  std::unordered_map<std::string, Tradable> tradable_;  // by venue symbol, from the filters
};

}  // namespace cephalo
