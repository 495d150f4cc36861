// SimExchange: a deterministic simulated venue that fills orders against bars into a Portfolio.
// Thread-safety: not thread-safe; owned and driven by one thread (the event loop in a run).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "execution/bar.hpp"
#include "execution/execution_report.hpp"
#include "execution/open_order.hpp"
#include "execution/order_request.hpp"
#include "execution/sim_exchange_config.hpp"
#include "model/backtest_records.hpp"
#include "model/result.hpp"
#include "portfolio/portfolio.hpp"

namespace cephalo {

// The caller drives it bar by bar: on_bar(bar) when a pair's new bar arrives, before strategies
// see it; submit(order, that bar) for what they decide on it. Same calls, same reports, bit for
// bit: no clock, no randomness, orders worked in submission order.
//
// Rules (the within-bar ones are in bar_touch.hpp):
// - An order trades from the bar after the one it was submitted on, never on its own bar: the
//   strategy saw that bar closed. The one exception: MarketFill::kSignalClose fills market orders
//   at submit, at the close of the submit bar.
// - When several orders of a pair can trade in one bar: market orders (and stops triggered on an
//   earlier bar) first, then stops reached in this bar, then limits. Of a stop-loss and a
//   take-profit both touched by one bar, the loss is assumed to have come first.
// - At submit, the quantity is floored to the lot step, and limit and stop prices are rounded to
//   the tick in the trader's safe direction: buys down, sells up. A limit then never pays more
//   (or receives less) than asked, and a stop triggers no later than asked. Slipped fill prices
//   round against the trader (buys up, sells down). Below the lot step or the minimum notional
//   (priced at the limit, the stop, or a market order's submit-bar close) the order is rejected.
// - Funds and holdings are checked when an order fills, since that is when the account changes:
//   a buy whose value plus fee exceeds the cash, or a sell of more than is held, is rejected
//   whole with the reason, never shrunk. A GTC order rejected after partial fills keeps them.
// - IOC and FOK act on the first bar an order is live in (market and limit: its first bar; stop
//   types: the bar they trigger in). IOC fills what it can there and expires the rest; FOK fills
//   whole there or expires without a fill.
class SimExchange {
 public:
  // Refuses an invalid config (every problem listed) or a pair the portfolio cannot hold; registers
  // every configured pair with the portfolio, which must outlive the exchange.
  static Result<SimExchange> create(SimExchangeConfig config, Portfolio& portfolio);
  SimExchange(SimExchange&&) = default;
  SimExchange& operator=(SimExchange&&) = default;
  SimExchange(const SimExchange&) = delete;
  SimExchange& operator=(const SimExchange&) = delete;

  // `current_bar` is the last bar of the order's pair, the one the decision was made on.
  // Reports kAccepted or kRejected, and with kSignalClose any fill at once.
  std::vector<ExecutionReport> submit(const OrderRequest& request, const Bar& current_bar);
  // The same, taking the request over and appending to `reports`: a caller that submits often
  // (the backtest venue) reuses one buffer and copies no strings.
  void submit(OrderRequest&& request, const Bar& current_bar,
              std::vector<ExecutionReport>& reports);
  // An exit the core's risk engine found triggered inside `bar` (stop loss, trailing stop, take
  // profit), traded at once at `price` (quote per base, before slippage): the level, or the open
  // when the bar gapped through it (`at_open`). Call it before on_bar(bar), so it trades ahead of
  // the pair's resting orders (an exit the strategy left resting that now sells more than is held
  // is rejected as an oversell, like any other). `liquidity` sets the fee and slippage the same way
  // as for an order: kTaker (a stop: taker fee, slipped like every market and stop fill) or kMaker
  // (a take profit: a limit, maker fee, never slipped). Lot step and max_volume_share apply; what
  // the bar's volume cannot take expires (IOC) and the risk engine tries again on the next bar.
  std::vector<ExecutionReport> fill_protective_exit(const OrderRequest& request, const Bar& bar,
                                                    double price, bool at_open,
                                                    Liquidity liquidity);
  // The same, taking the request over and appending to `reports`.
  void fill_protective_exit(OrderRequest&& request, const Bar& bar, double price, bool at_open,
                            Liquidity liquidity, std::vector<ExecutionReport>& reports);
  // Works every open order of the bar's pair against it, books fills in the portfolio, then marks
  // the portfolio at the bar's close (at close_time_ns). Bars of unconfigured pairs are ignored.
  std::vector<ExecutionReport> on_bar(const Bar& bar);

  // Volume already taken from a pair's current bar, for max_volume_share.
  struct BarVolume {
    int64_t bar_open_ns = 0;
    double taken = 0;  // base units
  };
  // One market's per-bar path resolved once by name, so a caller that feeds every bar of a pair
  // (the backtest venue) skips the lookups. Null members: the pair is not traded here. Valid as
  // long as the exchange (moves included: its maps keep their nodes) and the portfolio live.
  struct MarketHandle {
    const MarketRules* rules = nullptr;
    Portfolio::Holding* holding = nullptr;
    BarVolume* volume = nullptr;
  };
  MarketHandle market(std::string_view symbol);
  // on_bar(bar) through a handle of bar.symbol; appends to `reports`. Inline: a backtest calls it
  // for every candle, and most candles have no resting order to match, only the mark.
  void on_bar(const Bar& bar, const MarketHandle& market, std::vector<ExecutionReport>& reports) {
    if (market.rules == nullptr || market.holding == nullptr) return;
    // The volume this bar has left for partial fills is tracked per bar (trade() starts a new
    // bar's count on its first use), so a bar that trades nothing needs no bookkeeping.
    if (!orders_.empty()) match_resting_orders(bar, market, reports);
    // A bar with a non-positive close cannot value anything: the previous mark then stands.
    Portfolio::mark(*market.holding, bar.close, bar.close_time_ns);
  }
  // kCancelled for an open order; an error when no open order has that id.
  Result<ExecutionReport> cancel(std::string_view client_order_id, int64_t time_ns);

  // In submission order.
  std::vector<OpenOrder> open_orders() const;
  // The same without copying them: `visit(const OpenOrder&)` for each. The visitor must not
  // submit or cancel.
  template <class Visit>
  void visit_open_orders(Visit&& visit) const {
    for (const WorkingOrder& working : orders_) {
      if (!working.done) visit(working.order);
    }
  }
  // Every rejection, at submit or at fill, in the order they happened.
  const std::vector<RejectedOrder>& rejected_orders() const { return rejected_; }
  const SimExchangeConfig& config() const { return config_; }

 private:
  struct WorkingOrder {
    OpenOrder order;
    bool done = false;
  };
  struct Trade {
    double price = 0;  // quote per base, before slippage
    Liquidity liquidity = Liquidity::kTaker;
    bool slipped = false;
    int64_t time_ns = 0;
  };

  SimExchange(SimExchangeConfig config, Portfolio& portfolio);

  // Why the order cannot be accepted, or "" after normalising it to the pair's grid. Sets
  // `market` to the pair's handle when the exchange trades it.
  std::string refusal(OrderRequest& request, const Bar& bar, MarketHandle& market);
  // Fills what the bar allows; true when the order is done (filled, expired or rejected).
  // `market` is the handle of the order's pair.
  bool trade(OpenOrder& order, const Trade& at, const Bar& bar, const MarketHandle& market,
             std::vector<ExecutionReport>& reports);
  void expire(OpenOrder& order, int64_t time_ns, std::string reason,
              std::vector<ExecutionReport>& reports) const;
  // `quantity` and `price`: what was refused, the whole order at submit, the one fill at fill time.
  void reject(const OrderRequest& request, double filled_quantity, int64_t time_ns, double quantity,
              double price, std::string reason, std::vector<ExecutionReport>& reports);
  void erase_done();
  // Fills, triggers and expiries of the resting orders placed before `bar`.
  void match_resting_orders(const Bar& bar, const MarketHandle& market,
                            std::vector<ExecutionReport>& reports);

  SimExchangeConfig config_;
  Portfolio* portfolio_;
  std::vector<WorkingOrder> orders_;  // submission order
  // Per configured pair, filled in once at construction: what trade() needs without a lookup.
  // The handles point into config_.markets and bar_volume_, hence no copies of an exchange.
  std::map<std::string, MarketHandle, std::less<>> markets_;
  std::map<std::string, BarVolume, std::less<>> bar_volume_;
  std::vector<size_t> live_;  // reused by match_resting_orders: no allocation per bar
  std::vector<RejectedOrder> rejected_;
  uint64_t trades_ = 0;
};

}  // namespace cephalo
