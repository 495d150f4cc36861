// Translating between the pipeline's records and the simulated exchange, and keeping the books.
// Thread-safety: loop thread only.
#include "backtest_venue.hpp"

#include <algorithm>
#include <chrono>

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
  venue->journal_each_order_state_ = config.mode != RunMode::kBacktest;
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
  if (keep_orders_) remember_order(request, "pending_new");
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
    if (keep_orders_) remember_update(request.client_order_id, "rejected", time_ns, 0, true);
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
  if (keep_orders_) {
    OrderRequest request;
    request.client_order_id = id_prefix_ + "risk-" + std::to_string(refused_by_risk_.size());
    request.symbol = std::string(intent.symbol.view());
    request.side = intent.side;
    request.type = intent.type;
    request.tif = intent.time_in_force;
    request.quantity = intent.quantity;
    request.price = intent.price;
    request.stop_price = intent.stop_price;
    request.tag = reason;
    request.time_ns = time_ns;
    remember_order(request, "refused_by_risk");
    remember_update(request.client_order_id, "refused_by_risk", time_ns, 0, true);
  }
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

void BacktestVenue::describe(AccountSnapshot& out) const {
  out.quote_currency = portfolio_->quote_currency();
  out.cash = portfolio_->cash();
  out.equity = portfolio_->equity();
  out.starting_cash = portfolio_->starting_cash();
  // Spot: the quote currency's cash and each pair's base; resting orders reserve nothing here
  // (the simulated exchange checks funds at the fill), so nothing is locked.
  out.balances.clear();
  out.balances.push_back(BalanceRow{portfolio_->quote_currency(), portfolio_->cash(), 0});
  out.positions.clear();
  for (const OpenPosition& held : portfolio_->open_positions()) {
    out.balances.push_back(BalanceRow{held.pair.substr(0, held.pair.find('/')), held.quantity, 0});
    out.positions.push_back(PositionRow{held.pair, held.quantity, held.entry_price,
                                        held.last_price, held.unrealised_pnl,
                                        held.entry_time_ns});
  }
  out.open_orders.clear();
  exchange_->visit_open_orders([&out](const OpenOrder& order) {
    const OrderRequest& request = order.request;
    OrderRow row;
    row.client_order_id = request.client_order_id;
    row.symbol = request.symbol;
    row.side = side_name(request.side);
    row.type = order_type_name(request.type);
    row.time_in_force = time_in_force_name(request.tif);
    row.status = order.filled_quantity > 0 ? "partially_filled" : "new";
    row.tag = request.tag;
    row.quantity = request.quantity;
    row.remaining = order.remaining_quantity;
    row.price = request.price;
    row.stop_price = request.stop_price;
    row.created_ns = request.time_ns;
    out.open_orders.push_back(std::move(row));
  });
  out.has_order_history = keep_orders_;
  out.order_updates = order_log_.view();
}

void BacktestVenue::equity_curve(size_t max_points, std::vector<EquityPoint>& out) const {
  const int64_t points = equity_curve_.recorded_points();
  const int64_t step = points / static_cast<int64_t>(std::max<size_t>(max_points, 2));
  const auto now = std::chrono::steady_clock::now();
  // Resampled when the curve grew by a step, but at most every kEquityResample: a replay at full
  // speed grows it by more than a step between any two snapshots.
  if (equity_sample_.empty() || max_points != equity_sample_size_ ||
      (points - equity_sample_points_ > step && now - equity_sampled_at_ >= kEquityResample)) {
    equity_sample_ = equity_curve_.sampled(max_points);
    equity_sample_points_ = points;
    equity_sample_size_ = max_points;
    equity_sampled_at_ = now;
  } else if (const auto last = equity_curve_.last_point()) {
    equity_sample_.back() = *last;  // a sample's last point is always the curve's newest
  }
  out = equity_sample_;
}

void BacktestVenue::remember_order(const OrderRequest& request, const char* status) {
  OrderRow row;
  row.client_order_id = request.client_order_id;
  row.symbol = request.symbol;
  row.side = side_name(request.side);
  row.type = order_type_name(request.type);
  row.time_in_force = time_in_force_name(request.tif);
  row.status = status;
  row.tag = request.tag;
  row.quantity = row.remaining = request.quantity;
  row.price = request.price;
  row.stop_price = request.stop_price;
  row.created_ns = row.updated_ns = request.time_ns;
  order_log_.append(row);
  working_orders_[row.client_order_id] = std::move(row);
}

void BacktestVenue::remember_update(const std::string& client_order_id, const char* status,
                                   int64_t time_ns, double remaining, bool done) {
  const auto found = working_orders_.find(client_order_id);
  if (found == working_orders_.end()) return;
  OrderRow& row = found->second;
  row.status = status;
  row.updated_ns = time_ns;
  row.remaining = remaining;
  order_log_.append(row);
  if (done) working_orders_.erase(found);
}

void BacktestVenue::submit_exit(const char* key, double quantity, const std::string& tag,
                                int64_t time_ns, std::vector<EventPayload>& out_events) {
  const Pair& pair = pairs_.at(key);
  OrderRequest request;
  request.client_order_id = id_prefix_ + "bt-" + std::to_string(next_order_++);
  request.symbol = pair.bar.symbol;
  request.side = CEPHALO_SIDE_SELL;
  request.type = CEPHALO_ORDER_MARKET;
  request.tif = CEPHALO_TIF_GTC;
  request.quantity = quantity;
  request.tag = tag;
  request.time_ns = time_ns;
  track_order(request, 0);
  std::vector<ExecutionReport> reports = exchange_->submit(request, pair.bar);
  handle(reports, out_events, names_[key]);
}

Status BacktestVenue::close_position(std::string_view symbol, int64_t time_ns,
                                     const std::string& tag,
                                     std::vector<EventPayload>& out_events) {
  for (const auto& [key, pair] : pairs_) {
    if (pair.bar.symbol != symbol) continue;
    const double quantity = portfolio_->position_quantity(pair.bar.symbol);
    if (quantity <= 0) return Error{"no open position in " + std::string(symbol)};
    equity_known_ = false;  // the exit fills now
    submit_exit(key, quantity, tag, time_ns, out_events);
    return Ok{};
  }
  return Error{"no market " + std::string(symbol) + " in this account (no candle of it yet)"};
}

Status BacktestVenue::cancel_order(std::string_view client_order_id, int64_t time_ns,
                                   std::vector<EventPayload>& out_events) {
  auto cancelled = exchange_->cancel(client_order_id, time_ns);
  if (!cancelled.ok()) return Error{cancelled.error()};
  equity_known_ = false;
  std::vector<ExecutionReport> reports{std::move(cancelled.value())};
  handle(reports, out_events, Name());
  return Ok{};
}

void BacktestVenue::journal_closed_trades() {
  const std::vector<ClosedTrade>& all = portfolio_->closed_trades();
  for (; trades_journaled_ < all.size(); ++trades_journaled_) {
    const ClosedTrade& trade = all[trades_journaled_];
    repository_->record(TradeRecord{trade.pair, trade.entry_time_ns, trade.entry_price,
                                    trade.exit_time_ns, trade.exit_price, trade.quantity,
                                    trade.fees, trade.pnl, trade.exit_reason});
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
    if (keep_orders_) {
      remember_update(report.client_order_id, order_update_name(report.update), report.time_ns,
                      report.remaining_quantity, done);
    }
    if (repository_ != nullptr) {
      // Orders are tracked only for storage (track_order).
      if (auto order = orders_.find(report.client_order_id); order != orders_.end()) {
        order->second.status = order_update_name(report.update);
        order->second.updated_time_ns = report.time_ns;
        if (done) {
          repository_->record(std::move(order->second));  // its last state: moved, not copied
          orders_.erase(order);
        } else if (journal_each_order_state_) {
          repository_->record(order->second);
        }
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
  if (repository_ != nullptr) journal_closed_trades();
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
    // Orders still working at the end, in their last state (a backtest stored none of it yet).
    if (!journal_each_order_state_) {
      for (const auto& [id, order] : orders_) repository_->record(order);
    }
    journal_closed_trades();  // those closed by the last bar's fills, if any are left
    repository_->record(BalanceRecord{equity_time_ns_, portfolio_->quote_currency(),
                                      portfolio_->cash(), 0, "end of backtest"});
  }
  return input;
}

}  // namespace cephalo
