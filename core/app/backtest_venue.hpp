// BacktestVenue: the simulated exchange and portfolio behind the pipeline in a backtest.
// Thread-safety: loop thread only.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "config/config.hpp"
#include "execution/sim_exchange.hpp"
#include "host/execution_venue.hpp"
#include "model/equity_curve.hpp"
#include "portfolio/portfolio.hpp"
#include "report/backtest_report.hpp"
#include "storage/repository.hpp"

namespace cephalo {

class BacktestVenue final : public ExecutionVenue {
 public:
  // Refuses feeds in different quote currencies or an invalid exchange config, naming why.
  // `expected_bars_per_pair` sizes the chart's candle aggregation so memory stays bounded.
  // An A/B slot's sub-account starts with starting_cash × capital_share, and `id_prefix` (e.g.
  // "fast/") keeps its order and trade ids apart from the other slots' in storage.
  static Result<std::unique_ptr<BacktestVenue>> create(const Config& config, Repository* repository,
                                                       uint64_t expected_bars_per_pair,
                                                       double capital_share = 1,
                                                       std::string id_prefix = "");
  // The same with the starting cash (quote) given outright: the paper sub-account a slot continues
  // on once it stops trading for real (Pipeline::promote), funded with what it had there.
  static Result<std::unique_ptr<BacktestVenue>> create_funded(const Config& config,
                                                              Repository* repository,
                                                              uint64_t expected_bars_per_pair,
                                                              double starting_cash,
                                                              std::string id_prefix);

  void on_candle(const Candle& candle, int64_t time_ns, const ProtectiveExit* exit,
                 std::vector<EventPayload>& out_events) override;
  void on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                       std::vector<EventPayload>& out_events) override;
  double cash() const override { return portfolio_->cash(); }
  void position(std::string_view symbol, double& quantity, double& average_price) const override;
  AccountView account_view() const override;
  double equity() const override { return equity_known_ ? equity_ : portfolio_->equity(); }
  double last_price(std::string_view symbol) const override {
    return portfolio_->last_price(symbol);
  }
  void refuse(const OrderIntent& intent, int64_t time_ns, const std::string& reason) override;
  void apply(const AccountAction& action, int64_t time_ns,
             std::vector<EventPayload>& out_events) override;
  std::vector<ClosedTrade> take_closed_trades() override;
  bool has_closed_trades() const override {
    return portfolio_->closed_trades().size() != closed_trades_seen_;
  }

  // For the command/query set: the account, the curve, an operator's exit or cancel.
  void describe(AccountSnapshot& out) const override;
  void equity_curve(size_t max_points, std::vector<EquityPoint>& out) const override;
  Status close_position(std::string_view symbol, int64_t time_ns, const std::string& tag,
                        std::vector<EventPayload>& out_events) override;
  Status cancel_order(std::string_view client_order_id, int64_t time_ns,
                      std::vector<EventPayload>& out_events) override;
  // Keeps the latest order changes (at least `updates` of them) for describe(); off by default,
  // so a backtest nobody queries does no such bookkeeping.
  void keep_order_history(size_t updates) {
    order_log_ = SharedLog<OrderRow, kOrderLogChunk>(updates / (kOrderLogChunk * kOrderLogChunk) + 1);
    keep_orders_ = true;
  }

  // After the last event: closes the equity curve, stores trades and the final balance, and
  // returns what the reports need.
  BacktestInput finish(const std::string& strategy_name, int64_t bars, int64_t bar_interval_ns);

 private:
  BacktestVenue(std::unique_ptr<Portfolio> portfolio, Repository* repository, uint64_t stride,
                std::string id_prefix);
  // Takes the reports' strings over (fills become events); the caller clears the vector.
  void handle(std::vector<ExecutionReport>& reports, std::vector<EventPayload>& out_events,
              const Name& symbol);
  void execute(const ProtectiveExit& exit, const Bar& bar, int64_t time_ns,
               std::vector<EventPayload>& out_events, const Name& symbol);
  // The order record kept while an order works, for storage; `tag` is its exit reason, if any.
  // Only with a repository: without one nothing reads the records.
  // `exit_level`: a protective exit's level, stored as its stop price.
  void track_order(const OrderRequest& request, uint64_t sequence,
                   std::optional<double> exit_level = std::nullopt);

  std::unique_ptr<Portfolio> portfolio_;  // pinned: the exchange keeps a reference
  std::optional<SimExchange> exchange_;
  Repository* repository_;
  // A pair's last bar (the one its decisions are made on) and its market at the exchange,
  // resolved once: an order of the pair is submitted without a lookup by name.
  struct Pair {
    Bar bar;
    SimExchange::MarketHandle market;
  };
  // By the symbol's interned pointer (stable for the run): no string compare per candle.
  std::unordered_map<const char*, Pair> pairs_;
  std::unordered_map<const char*, Name> names_;             // the interned name behind each key
  std::map<std::string, OrderRecord, std::less<>> orders_;  // by client order id, for updates
  // Paper (and a live bot's shadow slots) store each state change of an order, as it happens; a
  // backtest stores its final state only (and an open order's state at the end): the row is the
  // same, with half the writes.
  bool journal_each_order_state_ = true;
  struct Chart {
    CandleSeries series;
    uint64_t pending = 0;  // candles merged into the last column so far
  };
  std::map<std::string, Chart> chart_;  // by pair, so reports list pairs in name order
  std::unordered_map<const char*, Chart*> chart_by_symbol_;
  // A new chart column opened by `candle` (on_candle merges the others into the last column).
  void open_chart_column(const Candle& candle, Chart& chart);
  Chart& chart_of(const Candle& candle);
  // The pair of the previous candle: most runs have one or a few pairs, and the same pair's
  // bar and chart are looked up on every candle (the maps are only searched on a change).
  const char* recent_symbol_ = nullptr;
  Pair* recent_pair_ = nullptr;
  Chart* recent_chart_ = nullptr;
  // Reused for every exchange call: a bar without fills, and an order, allocate no vector.
  std::vector<ExecutionReport> reports_;
  uint64_t chart_stride_;  // candles merged into one chart column
  std::vector<RejectedOrder> refused_by_risk_;
  // Bounded: exact streamed figures plus a downsampled curve, whatever the run's length.
  EquityCurve equity_curve_;
  size_t closed_trades_seen_ = 0;
  // Trades are journaled as they close, while the journal's writer has the other core, rather
  // than all at the end of the run, when the run waits for the writer (13,709 rows a 1M-bar run).
  void journal_closed_trades();
  size_t trades_journaled_ = 0;  // of portfolio_->closed_trades()
  int64_t equity_time_ns_ = 0;
  // The account's equity as on_candle left it, valued once there: the pipeline's risk check
  // after the candle and the equity curve at the next candle read it instead of valuing the
  // account again. Anything else that trades (an intent, a halt's action) forgets it
  // (equity_known_ = false), so equity() then values the account afresh.
  double equity_ = 0;
  bool equity_known_ = false;
  int64_t first_time_ns_ = 0;
  uint64_t next_order_ = 1;
  std::string id_prefix_;  // "" for the only slot
  // keep_order_history: every change of an order appends its whole row; the orders still
  // working are kept by id to make their next row. Per order change, never per candle.
  static constexpr size_t kOrderLogChunk = 32;
  // equity_curve()'s last sample and how many points the curve had then: sampling reads points
  // spread over the whole curve (a cache miss each, ~30 us for 1,000), so it is redone only once
  // the curve grew by a sample's step, at most every 100 ms; in between the sample is reused with
  // the curve's newest point as its last.
  static constexpr std::chrono::milliseconds kEquityResample{100};
  mutable std::chrono::steady_clock::time_point equity_sampled_at_{};
  mutable std::vector<EquityPoint> equity_sample_;
  mutable int64_t equity_sample_points_ = 0;
  mutable size_t equity_sample_size_ = 0;
  bool keep_orders_ = false;
  SharedLog<OrderRow, kOrderLogChunk> order_log_;
  std::unordered_map<std::string, OrderRow> working_orders_;
  void remember_order(const OrderRequest& request, const char* status);
  void remember_update(const std::string& client_order_id, const char* status, int64_t time_ns,
                       double remaining, bool done);
  // The market order an operator's exit sends for `quantity` of the pair behind `key`.
  void submit_exit(const char* key, double quantity, const std::string& tag, int64_t time_ns,
                   std::vector<EventPayload>& out_events);
};

}  // namespace cephalo
