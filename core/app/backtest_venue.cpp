// Translating between the pipeline's records and the simulated exchange, and keeping the books.
// Thread-safety: loop thread only.
#include "backtest_venue.hpp"

#include <algorithm>

#include "model/market.hpp"

namespace cephalo {

namespace {

std::string quote_of(const std::string& symbol) {
  const auto slash = symbol.find('/');
  return slash == std::string::npos ? std::string() : symbol.substr(slash + 1);
}

SimExchangeConfig exchange_config(const Config& config) {
  SimExchangeConfig exchange;
  for (const auto& feed : config.feeds) exchange.markets[feed.symbol];
  for (const auto& rules : config.backtest.market_rules) {
    exchange.markets[rules.symbol] =
        MarketRules{rules.tick_size, rules.lot_step, rules.min_notional};
  }
  exchange.market_fill = config.backtest.market_fill == "signal_close" ? MarketFill::kSignalClose
                                                                       : MarketFill::kNextOpen;
  exchange.maker_fee = config.backtest.maker_fee;
  exchange.taker_fee = config.backtest.taker_fee;
  exchange.slippage.model = config.backtest.slippage_model == "volume"
                                ? SlippageModel::kVolumeParticipation
                                : SlippageModel::kFixedBps;
  exchange.slippage.base_bps =
      config.backtest.slippage_model == "none" ? 0.0 : config.backtest.slippage_bps;
  exchange.slippage.impact_bps =
      config.backtest.slippage_model == "volume" ? config.backtest.slippage_impact_bps : 0.0;
  exchange.max_volume_share = config.backtest.max_volume_share;
  return exchange;
}

}  // namespace

Result<std::unique_ptr<BacktestVenue>> BacktestVenue::create(const Config& config,
                                                             Repository* repository,
                                                             uint64_t expected_bars_per_pair,
                                                             double capital_share,
                                                             std::string id_prefix) {
  return create_funded(config, repository, expected_bars_per_pair,
                       config.backtest.starting_cash * capital_share, std::move(id_prefix));
}

Result<std::unique_ptr<BacktestVenue>> BacktestVenue::create_funded(const Config& config,
                                                                    Repository* repository,
                                                                    uint64_t expected_bars_per_pair,
                                                                    double starting_cash,
                                                                    std::string id_prefix) {
  if (config.feeds.empty()) return Error{"a backtest needs at least one feed (market.feeds)"};
  const std::string quote = quote_of(config.feeds.front().symbol);
  for (const auto& feed : config.feeds) {
    if (quote_of(feed.symbol) != quote) {
      return Error{feed.where.to_string() + ": " + feed.symbol + " is quoted in " +
                   quote_of(feed.symbol) + " but " + config.feeds.front().symbol + " in " + quote +
                   "; one backtest account holds one quote currency"};
    }
  }
  auto portfolio = Portfolio::create(quote, starting_cash);
  if (!portfolio.ok()) return Error{portfolio.error()};
  // About 3000 chart columns per pair, whatever the data's length.
  const uint64_t stride = std::max<uint64_t>(1, (expected_bars_per_pair + 2999) / 3000);
  std::unique_ptr<BacktestVenue> venue(
      new BacktestVenue(std::make_unique<Portfolio>(std::move(portfolio.value())), repository,
                        stride, std::move(id_prefix)));
  auto exchange = SimExchange::create(exchange_config(config), *venue->portfolio_);
  if (!exchange.ok()) return Error{"backtest: " + exchange.error()};
  venue->exchange_.emplace(std::move(exchange.value()));
  return venue;
}

BacktestVenue::BacktestVenue(std::unique_ptr<Portfolio> portfolio, Repository* repository,
                             uint64_t stride, std::string id_prefix)
    : portfolio_(std::move(portfolio)),
      repository_(repository),
      chart_stride_(stride),
      id_prefix_(std::move(id_prefix)) {}

void BacktestVenue::position(std::string_view symbol, double& quantity,
                             double& average_price) const {
  const Position* held = portfolio_->position(symbol);  // one lookup for both figures
  quantity = held != nullptr ? held->quantity() : 0.0;
  average_price = held != nullptr && quantity > 0 ? held->average_entry_price() : 0.0;
}

void BacktestVenue::on_candle(const Candle& candle, int64_t time_ns, const ProtectiveExit* exit,
                              std::vector<EventPayload>& out_events) {
  // Equity at a time is recorded once every pair closing then was marked: when time moves on.
  if (equity_time_ns_ != 0 && time_ns != equity_time_ns_) {
    (void)equity_curve_.record(equity_time_ns_, equity());
  }
  if (first_time_ns_ == 0) {
    first_time_ns_ = candle.open_time_ns;
    equity_curve_.start(first_time_ns_, portfolio_->starting_cash());
  }
  equity_time_ns_ = time_ns;
  if (candle.symbol.c_str() != recent_symbol_) {
    recent_pair_ = &pairs_[candle.symbol.c_str()];  // node-based: the address stays valid
    if (recent_pair_->bar.symbol.empty()) {
      recent_pair_->bar.symbol = std::string(candle.symbol.view());
      recent_pair_->market = exchange_->market(recent_pair_->bar.symbol);
      names_[candle.symbol.c_str()] = candle.symbol;
    }
    recent_chart_ = &chart_of(candle);
    recent_symbol_ = candle.symbol.c_str();
  }
  Bar& bar = recent_pair_->bar;
  bar.open_time_ns = candle.open_time_ns;
  bar.close_time_ns = time_ns;
  bar.open = candle.open;
  bar.high = candle.high;
  bar.low = candle.low;
  bar.close = candle.close;
  bar.volume = candle.volume;
  // The protective exit first: it was triggered by this bar, and trading it ahead of the resting
  // orders is the conservative order (see SimExchange::fill_protective_exit).
  if (exit != nullptr) execute(*exit, bar, time_ns, out_events, candle.symbol);
  reports_.clear();
  exchange_->on_bar(bar, recent_pair_->market, reports_);
  if (!reports_.empty()) handle(reports_, out_events, candle.symbol);
  equity_ = portfolio_->equity();
  equity_known_ = true;
  Chart& chart = *recent_chart_;
  if (chart.pending == 0) {
    open_chart_column(candle, chart);
  } else {
    CandleSeries& series = chart.series;
    series.high.back() = std::max(series.high.back(), candle.high);
    series.low.back() = std::min(series.low.back(), candle.low);
    series.close.back() = candle.close;
    series.volume.back() += candle.volume;
  }
  if (++chart.pending == chart_stride_) chart.pending = 0;
}

void BacktestVenue::execute(const ProtectiveExit& exit, const Bar& bar, int64_t time_ns,
                            std::vector<EventPayload>& out_events, const Name& symbol) {
  // Spot: only what the portfolio holds can be sold (the risk engine tracks the same fills, so the
  // two agree unless a fill was rejected).
  const double held = portfolio_->position_quantity(bar.symbol);
  const double quantity =
      exit.side == CEPHALO_SIDE_SELL ? std::min(exit.quantity, std::max(held, 0.0)) : exit.quantity;
  if (quantity <= 0) return;
  OrderRequest request;
  request.client_order_id = id_prefix_ + "bt-" + std::to_string(next_order_++);
  request.symbol = bar.symbol;
  request.side = exit.side;
  request.type = CEPHALO_ORDER_MARKET;
  request.tif = CEPHALO_TIF_IOC;
  request.quantity = quantity;
  request.tag = protective_exit_reason_name(exit.exit.reason);
  // Triggered at the open when the bar gapped through the level, else within the bar: the order
  // is as old as its fill, or the journal would take the fill for a stale update of it.
  request.time_ns = exit.exit.gapped ? bar.open_time_ns : time_ns;
  track_order(request, 0, exit.exit.level);
  const Liquidity liquidity =
      exit.exit.reason == ProtectiveExitReason::kTakeProfit ? Liquidity::kMaker : Liquidity::kTaker;
  reports_.clear();
  exchange_->fill_protective_exit(std::move(request), bar, exit.exit.price, exit.exit.gapped,
                                  liquidity, reports_);
  handle(reports_, out_events, symbol);
  reports_.clear();
  // The exit closed the position: the strategy's own resting sells of the pair (its exit, placed
  // before it knew) would now sell what is no longer held. They are cancelled, not left to be
  // rejected as oversells at their fill.
  if (exit.side != CEPHALO_SIDE_SELL || portfolio_->position_quantity(bar.symbol) > 0) return;
  for (const OpenOrder& order : exchange_->open_orders()) {
    if (order.request.symbol != bar.symbol || order.request.side != CEPHALO_SIDE_SELL) continue;
    if (auto cancelled = exchange_->cancel(order.request.client_order_id, time_ns);
        cancelled.ok()) {
      std::vector<ExecutionReport> reports{std::move(cancelled.value())};
      handle(reports, out_events, Name());
    }
  }
}

void BacktestVenue::track_order(const OrderRequest& request, uint64_t sequence,
                                std::optional<double> exit_level) {
  if (repository_ == nullptr) return;
  OrderRecord& record = orders_[request.client_order_id];
  record = OrderRecord{};
  record.client_order_id = request.client_order_id;
  record.sequence = static_cast<int64_t>(sequence);
  record.time_ns = request.time_ns;
  record.symbol = request.symbol;
  record.side = side_name(request.side);
  record.type = order_type_name(request.type);
  record.time_in_force = time_in_force_name(request.tif);
  record.quantity = request.quantity;
  if (request.price > 0) record.price = request.price;
  if (request.stop_price > 0) record.stop_price = request.stop_price;
  if (exit_level) record.stop_price = exit_level;
  record.status = "pending_new";
  record.tag = request.tag;
  record.updated_time_ns = request.time_ns;
}

void BacktestVenue::on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                                    std::vector<EventPayload>& out_events) {
  equity_known_ = false;  // the order may fill now
  OrderRequest request;
  request.client_order_id = id_prefix_ + "bt-" + std::to_string(next_order_++);
  request.symbol = std::string(intent.symbol.view());
  request.side = intent.side;
  request.type = intent.type;
  request.tif = intent.time_in_force;
  request.quantity = intent.quantity;
  request.price = intent.price;
  request.stop_price = intent.stop_price;
  request.tag = intent.tag;
  request.time_ns = time_ns;
  track_order(request, sequence);

  const auto pair = pairs_.find(intent.symbol.c_str());
  if (pair == pairs_.end()) {
    // No candle of this pair yet: nothing to price the order on; refuse like a venue would.
    if (repository_ != nullptr) {
      OrderRecord& stored = orders_[request.client_order_id];
      stored.status = "rejected";
      repository_->record(stored);
    }
    out_events.push_back(ErrorInfo{"backtest", "order " + request.client_order_id + " for " +
                                                   request.symbol +
                                                   " refused: no market data for it yet"});
    return;
  }
  reports_.clear();
  exchange_->submit(std::move(request), pair->second.bar, reports_);
  handle(reports_, out_events, intent.symbol);
  reports_.clear();
}

AccountView BacktestVenue::account_view() const {
  AccountView view;
  view.equity = portfolio_->equity();
  view.positions.reserve(pairs_.size());
  for (const auto& [symbol, pair] : pairs_) {
    // Every pair with a bar is a market of the exchange, so its holding is at hand.
    const Portfolio::Holding* holding = pair.market.holding;
    view.positions.push_back(
        holding != nullptr
            ? AccountPosition{pair.bar.symbol, holding->position.quantity(), holding->last_price}
            : AccountPosition{pair.bar.symbol, portfolio_->position_quantity(pair.bar.symbol),
                              portfolio_->last_price(pair.bar.symbol)});
  }
  exchange_->visit_open_orders([&view](const OpenOrder& order) {
    const OrderRequest& request = order.request;
    view.open_orders.push_back(
        AccountOrder{request.symbol, request.side, order.remaining_quantity,
                     request.price > 0 ? request.price : request.stop_price});
  });
  return view;
}

void BacktestVenue::refuse(const OrderIntent& intent, int64_t time_ns, const std::string& reason) {
  refused_by_risk_.push_back(RejectedOrder{std::string(intent.symbol.view()), time_ns,
                                           side_name(intent.side), intent.quantity, intent.price,
                                           reason});
  if (repository_ != nullptr) {
    OrderRecord record;
    record.client_order_id = id_prefix_ + "risk-" + std::to_string(refused_by_risk_.size());
    record.time_ns = time_ns;
    record.symbol = std::string(intent.symbol.view());
    record.side = side_name(intent.side);
    record.type = order_type_name(intent.type);
    record.time_in_force = time_in_force_name(intent.time_in_force);
    record.quantity = intent.quantity;
    record.status = "refused_by_risk";
    record.tag = reason;
    record.updated_time_ns = time_ns;
    repository_->record(record);
  }
}

void BacktestVenue::apply(const AccountAction& action, int64_t time_ns,
                          std::vector<EventPayload>& out_events) {
  equity_known_ = false;  // cancels and flattening fills
  for (const OpenOrder& order : exchange_->open_orders()) {
    const bool entry = order.request.side == CEPHALO_SIDE_BUY;
    if (action.cancel_all_orders || (action.cancel_entry_orders && entry)) {
      if (auto cancelled = exchange_->cancel(order.request.client_order_id, time_ns);
          cancelled.ok()) {
        // A cancellation carries no fill, so no symbol name is needed for an event.
        std::vector<ExecutionReport> reports{std::move(cancelled.value())};
        handle(reports, out_events, Name());
      }
    }
  }
  if (!action.flatten_all) return;
  for (const auto& [key, pair] : pairs_) {
    const Bar& bar = pair.bar;
    const double quantity = portfolio_->position_quantity(bar.symbol);
    if (quantity <= 0) continue;
    OrderRequest request;
    request.client_order_id = id_prefix_ + "bt-" + std::to_string(next_order_++);
    request.symbol = bar.symbol;
    request.side = CEPHALO_SIDE_SELL;
    request.type = CEPHALO_ORDER_MARKET;
    request.tif = CEPHALO_TIF_GTC;
    request.quantity = quantity;
    request.tag = "risk_flatten";
    request.time_ns = time_ns;
    std::vector<ExecutionReport> reports = exchange_->submit(request, bar);
    handle(reports, out_events, names_[key]);
  }
}

std::vector<ClosedTrade> BacktestVenue::take_closed_trades() {
  const auto& all = portfolio_->closed_trades();
  if (all.size() == closed_trades_seen_) return {};
  std::vector<ClosedTrade> fresh(all.begin() + static_cast<std::ptrdiff_t>(closed_trades_seen_),
                                 all.end());
  closed_trades_seen_ = all.size();
  return fresh;
}

void BacktestVenue::handle(std::vector<ExecutionReport>& reports,
                           std::vector<EventPayload>& out_events, const Name& symbol) {
  for (ExecutionReport& report : reports) {
    const bool done =
        report.update == OrderUpdate::kFilled || report.update == OrderUpdate::kRejected ||
        report.update == OrderUpdate::kCancelled || report.update == OrderUpdate::kExpired;
    if (repository_ != nullptr) {
      // Orders are tracked only for storage (track_order).
      if (auto order = orders_.find(report.client_order_id); order != orders_.end()) {
        order->second.status = order_update_name(report.update);
        order->second.updated_time_ns = report.time_ns;
        repository_->record(order->second);
        if (done) orders_.erase(order);
      }
    }
    if (report.fill) {
      SimFill& fill = *report.fill;
      if (repository_ != nullptr) {
        repository_->record(FillRecord{id_prefix_ + fill.trade_id, fill.client_order_id,
                                       fill.time_ns, fill.symbol, side_name(fill.side),
                                       fill.quantity, fill.price, fill.fee, fill.fee_currency});
        repository_->record(BalanceRecord{fill.time_ns, portfolio_->quote_currency(),
                                          portfolio_->cash(), 0, "fill " + fill.trade_id});
      }
      out_events.push_back(Fill{symbol, fill.side, std::move(fill.client_order_id), fill.quantity,
                                fill.price, fill.fee, std::move(fill.fee_currency)});
    }
  }
}

BacktestVenue::Chart& BacktestVenue::chart_of(const Candle& candle) {
  Chart*& chart = chart_by_symbol_[candle.symbol.c_str()];
  if (chart == nullptr) {
    chart = &chart_[std::string(candle.symbol.view())];
    chart->series.pair = std::string(candle.symbol.view());
    chart->series.timeframe = std::string(candle.timeframe.view());
  }
  return *chart;
}

void BacktestVenue::open_chart_column(const Candle& candle, Chart& chart) {
  CandleSeries& series = chart.series;
  series.open_time_ns.push_back(candle.open_time_ns);
  series.open.push_back(candle.open);
  series.high.push_back(candle.high);
  series.low.push_back(candle.low);
  series.close.push_back(candle.close);
  series.volume.push_back(candle.volume);
}

BacktestInput BacktestVenue::finish(const std::string& strategy_name, int64_t bars,
                                    int64_t bar_interval_ns) {
  if (equity_time_ns_ != 0) (void)equity_curve_.record(equity_time_ns_, portfolio_->equity());
  BacktestInput input;
  input.strategy_name = strategy_name;
  input.quote_currency = portfolio_->quote_currency();
  input.starting_cash = portfolio_->starting_cash();
  input.final_equity = portfolio_->equity();
  input.bars = bars;
  input.start_time_ns = first_time_ns_;
  input.end_time_ns = equity_time_ns_;
  input.bar_interval_ns = bar_interval_ns;
  input.trades = portfolio_->closed_trades();
  input.open_positions = portfolio_->open_positions();
  input.rejected_orders = exchange_->rejected_orders();
  input.rejected_orders.insert(input.rejected_orders.end(), refused_by_risk_.begin(),
                               refused_by_risk_.end());
  std::stable_sort(
      input.rejected_orders.begin(), input.rejected_orders.end(),
      [](const RejectedOrder& a, const RejectedOrder& b) { return a.time_ns < b.time_ns; });
  input.equity = equity_curve_.points();
  input.equity_stats = equity_curve_.stats();
  input.equity_drawdown = equity_curve_.drawdown_depths();
  for (auto& [pair, chart] : chart_) input.candles.push_back(std::move(chart.series));
  if (repository_ != nullptr) {
    for (const ClosedTrade& trade : input.trades) {
      repository_->record(TradeRecord{trade.pair, trade.entry_time_ns, trade.entry_price,
                                      trade.exit_time_ns, trade.exit_price, trade.quantity,
                                      trade.fees, trade.pnl, trade.exit_reason});
    }
    repository_->record(BalanceRecord{equity_time_ns_, portfolio_->quote_currency(),
                                      portfolio_->cash(), 0, "end of backtest"});
  }
  return input;
}

}  // namespace cephalo
