// Live orders through the executor, venue reports back as fills, venue balances as the books.
// Thread-safety: see live_venue.hpp.
#include "live_venue.hpp"

#include <algorithm>

namespace cephalo {

namespace {

using exchange::Decimal;
using exchange::OrderSide;
using exchange::OrderType;

orders::ExecutorConfig executor_config(const ExchangeConfig& exchange) {
  orders::ExecutorConfig config;
  config.limit_offset_bps = exchange.limit_offset_bps;
  config.order_timeout = std::chrono::milliseconds(exchange.order_timeout_ms);
  config.unknown_grace = std::chrono::milliseconds(exchange.unknown_grace_ms);
  return config;
}

}  // namespace

LiveVenue::LiveVenue(const Config& config, std::vector<LiveMarket> markets,
                     exchange::ExchangeConnector& connector, orders::OrderJournal& journal,
                     Repository& repository, std::shared_ptr<spdlog::logger> logger,
                     NanosClock clock, std::string run_tag)
    : config_(config),
      markets_(std::move(markets)),
      connector_(connector),
      journal_(journal),
      repository_(repository),
      logger_(std::move(logger)),
      clock_(clock),
      executor_(connector, journal, orders::ClientOrderIds(std::move(run_tag)),
                executor_config(config.exchange), clock,
                [this](const orders::LiveOrder& order, const exchange::VenueTrade& trade) {
                  on_fill(order, trade);
                }) {}

Status LiveVenue::load_filters() {
  std::vector<std::string> symbols;
  for (const LiveMarket& market : markets_) symbols.push_back(market.venue_symbol);
  auto filters = connector_.exchange_filters(symbols);
  if (!filters.ok()) return Error{"exchangeInfo: " + filters.error.message};
  for (const LiveMarket& market : markets_) {
    const auto found = std::find_if(
        filters.value->begin(), filters.value->end(),
        [&](const exchange::SymbolFilters& f) { return f.symbol == market.venue_symbol; });
    if (found == filters.value->end()) {
      return Error{"the exchange does not list " + market.venue_symbol + " (feed " +
                   std::string(market.symbol.view()) + "); check market.feeds"};
    }
    if (found->base_asset != market.base || found->quote_asset != market.quote) {
      return Error{market.venue_symbol + " trades " + found->base_asset + " against " +
                   found->quote_asset + ", but the feed says " + std::string(market.symbol.view())};
    }
  }
  quote_ = markets_.empty() ? std::string() : markets_.front().quote;
  for (const LiveMarket& market : markets_) {
    if (market.quote != quote_) {
      return Error{std::string(market.symbol.view()) + " is quoted in " + market.quote + " but " +
                   std::string(markets_.front().symbol.view()) + " in " + quote_ +
                   "; one live account view holds one quote currency"};
    }
  }
  executor_.set_filters(*filters.value);
  for (const exchange::SymbolFilters& f : *filters.value) {
    tradable_[f.symbol] = Tradable{std::max(f.min_qty.to_double(), f.step_size.to_double()),
                                   f.min_notional.to_double()};
  }
  return Ok{};
}

Result<orders::ReconciliationReport> LiveVenue::reconcile() {
  std::vector<std::string> symbols;
  for (const LiveMarket& market : markets_) symbols.push_back(market.venue_symbol);
  return executor_.reconcile(symbols);
}

void LiveVenue::rebuild_average_prices() {
  auto fills = journal_.fills();
  if (!fills) {
    logger_->warn("live: cannot read stored fills for average entry prices: {}", fills.error());
    return;
  }
  std::vector<FillRecord> ours;
  for (FillRecord& fill : *fills) {
    if (market_of_venue(fill.symbol) != nullptr) ours.push_back(std::move(fill));
  }
  std::stable_sort(ours.begin(), ours.end(),
                   [](const FillRecord& a, const FillRecord& b) { return a.time_ns < b.time_ns; });
  for (const FillRecord& fill : ours) {
    (void)book_fill(*market_of_venue(fill.symbol),
                    fill.side == "BUY" ? OrderSide::kBuy : OrderSide::kSell, fill.quantity,
                    fill.price, fill.fee, fill.fee_currency, fill.time_ns, fill.client_order_id);
  }
}

std::optional<ClosedTrade> LiveVenue::book_fill(const LiveMarket& market, OrderSide side,
                                                double quantity, double price, double commission,
                                                const std::string& commission_asset,
                                                int64_t time_ns,
                                                const std::string& client_order_id) {
  Position& position =
      positions_.try_emplace(market.venue_symbol, std::string(market.symbol.view())).first->second;
  // Fees in quote, as the backtest counts them. Binance takes a buy's commission from the base
  // received; another asset (BNB) has no price here and counts as no fee.
  const double fee = commission_asset == market.quote  ? commission
                     : commission_asset == market.base ? commission * price
                                                       : 0.0;
  if (side == OrderSide::kBuy) {
    const double received = commission_asset == market.base ? quantity - commission : quantity;
    if (received > 0) position.buy(received, price, fee, time_ns);
    return std::nullopt;
  }
  if (position.flat()) return std::nullopt;
  const double sold = std::min(quantity, position.quantity());
  const auto reason = order_reasons_.find(client_order_id);
  auto outcome = position.sell(sold, price, fee * sold / quantity, time_ns,
                               reason == order_reasons_.end() ? "signal" : reason->second);
  return std::move(outcome.closed);
}

std::vector<ClosedTrade> LiveVenue::take_closed_trades() {
  std::vector<ClosedTrade> fresh;
  fresh.swap(closed_);
  return fresh;
}

void LiveVenue::set_balances(const std::vector<exchange::Balance>& balances, int64_t time_ns,
                             const std::string& reason) {
  for (const exchange::Balance& balance : balances) {
    Holding& holding = balances_[balance.asset];
    holding.free = balance.free.to_double();
    holding.locked = balance.locked.to_double();
    repository_.record(BalanceRecord{time_ns, balance.asset, holding.free, holding.locked, reason});
  }
}

const LiveMarket* LiveVenue::market_of(std::string_view symbol) const {
  for (const LiveMarket& market : markets_) {
    if (market.symbol.view() == symbol) return &market;
  }
  return nullptr;
}

const LiveMarket* LiveVenue::market_of_venue(std::string_view venue_symbol) const {
  for (const LiveMarket& market : markets_) {
    if (market.venue_symbol == venue_symbol) return &market;
  }
  return nullptr;
}

double LiveVenue::held(const LiveMarket& market) const {
  const auto found = balances_.find(market.base);
  return found == balances_.end() ? 0.0 : found->second.free + found->second.locked;
}

void LiveVenue::on_fill(const orders::LiveOrder& order, const exchange::VenueTrade& trade) {
  const LiveMarket* market = market_of_venue(trade.symbol);
  if (market == nullptr) return;
  const double quantity = trade.quantity.to_double();
  const double price = trade.price.to_double();
  auto closed =
      book_fill(*market, trade.side, quantity, price, trade.commission.to_double(),
                trade.commission_asset, trade.time_ms * 1'000'000, order.request.client_order_id);
  if (closed) {
    logger_->info("live: round trip closed on {}: {} {} bought at {}, sold at {}, pnl {} {} ({})",
                  closed->pair, closed->quantity, market->base, closed->entry_price,
                  closed->exit_price, closed->pnl, market->quote, closed->exit_reason);
    repository_.record(TradeRecord{closed->pair, closed->entry_time_ns, closed->entry_price,
                                   closed->exit_time_ns, closed->exit_price, closed->quantity,
                                   closed->fees, closed->pnl, closed->exit_reason});
    closed_.push_back(std::move(*closed));
  }
  logger_->info("live: fill {} {} {} {} at {} (order {}, trade {})", trade.symbol,
                exchange::side_text(trade.side), quantity, market->base, price,
                order.request.client_order_id, trade.trade_id);
  pending_.push_back(Fill{market->symbol,
                          trade.side == OrderSide::kBuy ? CEPHALO_SIDE_BUY : CEPHALO_SIDE_SELL,
                          order.request.client_order_id, quantity, price,
                          trade.commission.to_double(), trade.commission_asset});
}

void LiveVenue::take_pending(std::vector<EventPayload>& out_events) {
  for (EventPayload& payload : pending_) out_events.push_back(std::move(payload));
  pending_.clear();
}

void LiveVenue::on_execution_report(const exchange::ExecutionReport& report) {
  executor_.on_execution_report(report);
}

void LiveVenue::on_account_position(const exchange::AccountPosition& position) {
  set_balances(position.balances, position.event_time_ms * 1'000'000, "outboundAccountPosition");
}

void LiveVenue::check_orders() {
  executor_.poll();
}

void LiveVenue::resync(const std::string& why) {
  auto report = reconcile();
  if (!report.ok()) {
    logger_->warn("live: resync after {}: {}", why, report.error());
    return;
  }
  if (report->orders_resolved > 0 || report->fills_recovered > 0) {
    logger_->info("live: resync after {}: {} orders resolved, {} fills recovered", why,
                  report->orders_resolved, report->fills_recovered);
  }
  set_balances(report->balances, clock_(), "resync: " + why);
}

void LiveVenue::shut_down(bool cancel_open_orders) {
  executor_.poll();
  int cancelled = 0, kept = 0;
  for (const orders::LiveOrder* order : executor_.active_orders()) {
    if (!cancel_open_orders) {
      ++kept;
      continue;
    }
    const std::string id = order->request.client_order_id;
    auto answer = connector_.cancel_order(order->request.symbol, id);
    if (answer.ok()) {
      ++cancelled;
    } else {
      logger_->warn("live: shutdown: cancel of {} failed: {}", id, answer.error.message);
    }
  }
  // The cancellations' final states and any last fill, then the balances they leave.
  resync("shutdown");
  logger_->info("live: shutdown: {} open orders cancelled, {} kept open ({})", cancelled, kept,
                cancel_open_orders ? "run.on_shutdown: cancel" : "run.on_shutdown: keep");
}

void LiveVenue::on_candle(const Candle& candle, int64_t time_ns, const ProtectiveExit* exit,
                          std::vector<EventPayload>& out_events) {
  const LiveMarket* market = market_of(candle.symbol.view());
  if (market != nullptr) last_price_[market->venue_symbol] = candle.close;
  take_pending(out_events);
  if (exit != nullptr && market != nullptr) {
    // A core-emulated stop: the candle closed through it, so sell what is held at market.
    const double quantity =
        exit->side == CEPHALO_SIDE_SELL ? std::min(exit->quantity, held(*market)) : exit->quantity;
    if (quantity > 0) {
      place(*market, exit->side == CEPHALO_SIDE_SELL ? OrderSide::kSell : OrderSide::kBuy,
            OrderType::kMarket, quantity, candle.close,
            protective_exit_reason_name(exit->exit.reason), out_events);
    }
  }
  (void)time_ns;
}

void LiveVenue::place(const LiveMarket& market, OrderSide side, OrderType type, double quantity,
                      double reference_price, const std::string& why,
                      std::vector<EventPayload>& out_events) {
  auto amount = exchange::decimal_from_double(quantity, "quantity");
  auto reference = exchange::decimal_from_double(reference_price, "reference price");
  if (!amount.ok() || !reference.ok()) {
    out_events.push_back(ErrorInfo{"live", market.venue_symbol + " order (" + why + ") refused: " +
                                               (amount.ok() ? reference.error() : amount.error())});
    return;
  }
  orders::ApprovedIntent intent{market.venue_symbol, side, type, amount.value(), reference.value()};
  auto submitted = executor_.submit(intent);
  if (!submitted.ok()) {
    logger_->warn("live: {} {} order not sent ({}): {}", market.venue_symbol,
                  exchange::side_text(side), why, submitted.error());
    out_events.push_back(ErrorInfo{"live", submitted.error()});
    return;
  }
  order_reasons_[submitted.value()] = why;  // the exit reason of a round trip this order closes
  const orders::LiveOrder* order = executor_.order(submitted.value());
  const char* state = order ? orders::order_state_name(order->state) : "?";
  logger_->info("live: order {} {} {} {} {} ({}): {}{}", submitted.value(), market.venue_symbol,
                exchange::side_text(side), exchange::order_type_text(type),
                order ? exchange::format_decimal(order->request.quantity) : "", why, state,
                order && !order->reason.empty() ? " - " + order->reason : "");
  if (order != nullptr && order->state == orders::OrderState::kRejected) {
    out_events.push_back(ErrorInfo{"live", "order " + submitted.value() + " for " +
                                               market.venue_symbol +
                                               " rejected: " + order->reason});
  }
}

void LiveVenue::on_order_intent(const OrderIntent& intent, uint64_t sequence, int64_t time_ns,
                                std::vector<EventPayload>& out_events) {
  (void)sequence;
  (void)time_ns;
  take_pending(out_events);
  const LiveMarket* market = market_of(intent.symbol.view());
  if (market == nullptr) {
    out_events.push_back(ErrorInfo{"live", "order intent for " + std::string(intent.symbol.view()) +
                                               " refused: not a traded feed"});
    return;
  }
  if (intent.type == CEPHALO_ORDER_STOP || intent.type == CEPHALO_ORDER_STOP_LIMIT) {
    out_events.push_back(ErrorInfo{"live",
                                   "stop orders are not sent to the exchange in live mode "
                                   "(stops are core-emulated: risk.position.stop_*)"});
    return;
  }
  const bool limit = intent.type == CEPHALO_ORDER_LIMIT || config_.exchange.order_type == "limit";
  const double reference = intent.type == CEPHALO_ORDER_LIMIT && intent.price > 0
                               ? intent.price
                               : last_price(intent.symbol.view());
  if (reference <= 0) {
    out_events.push_back(ErrorInfo{"live", "order intent for " + market->venue_symbol +
                                               " refused: no price yet (no closed candle)"});
    return;
  }
  place(*market, intent.side == CEPHALO_SIDE_BUY ? OrderSide::kBuy : OrderSide::kSell,
        limit ? OrderType::kLimit : OrderType::kMarket, intent.quantity, reference,
        intent.tag.empty() ? std::string(intent.source.view()) : intent.tag, out_events);
}

double LiveVenue::cash() const {
  const auto found = balances_.find(quote_);
  return found == balances_.end() ? 0.0 : found->second.free;
}

void LiveVenue::position(std::string_view symbol, double& quantity, double& average_price) const {
  quantity = 0;
  average_price = 0;
  const LiveMarket* market = market_of(symbol);
  if (market == nullptr) return;
  quantity = held(*market);
  const auto booked = positions_.find(market->venue_symbol);
  if (quantity > 0 && booked != positions_.end()) {
    average_price = booked->second.average_entry_price();
  }
}

double LiveVenue::last_price(std::string_view symbol) const {
  const LiveMarket* market = market_of(symbol);
  if (market == nullptr) return 0;
  const auto found = last_price_.find(market->venue_symbol);
  return found == last_price_.end() ? 0.0 : found->second;
}

double LiveVenue::equity() const {
  const auto quote = balances_.find(quote_);
  double value = quote == balances_.end() ? 0.0 : quote->second.free + quote->second.locked;
  for (const LiveMarket& market : markets_) {
    value += held(market) * last_price(market.symbol.view());
  }
  return value;
}

double LiveVenue::dust_quantity(std::string_view symbol) const {
  const LiveMarket* market = market_of(symbol);
  if (market == nullptr) return 0;
  const auto found = tradable_.find(market->venue_symbol);
  if (found == tradable_.end()) return 0;
  const double price = last_price(symbol);
  const double below_notional = price > 0 ? found->second.min_notional / price : 0;
  // Strictly below either minimum no order can be placed; just under it is what is left.
  return std::max(found->second.min_quantity, below_notional) * (1 - 1e-9);
}

AccountView LiveVenue::account_view() const {
  AccountView view;
  view.equity = equity();
  for (const LiveMarket& market : markets_) {
    view.positions.push_back(AccountPosition{std::string(market.symbol.view()), held(market),
                                             last_price(market.symbol.view())});
  }
  for (const orders::LiveOrder* order : executor_.active_orders()) {
    const LiveMarket* market = market_of_venue(order->request.symbol);
    if (market == nullptr) continue;
    view.open_orders.push_back(
        AccountOrder{std::string(market->symbol.view()),
                     order->request.side == OrderSide::kBuy ? CEPHALO_SIDE_BUY : CEPHALO_SIDE_SELL,
                     order->request.quantity.to_double() - order->executed_qty.to_double(),
                     order->request.price.to_double()});
  }
  return view;
}

void LiveVenue::refuse(const OrderIntent& intent, int64_t time_ns, const std::string& reason) {
  OrderRecord record;
  record.client_order_id = "risk-" + std::to_string(++refused_);
  record.time_ns = time_ns;
  record.symbol = std::string(intent.symbol.view());
  record.side = side_name(intent.side);
  record.type = order_type_name(intent.type);
  record.time_in_force = time_in_force_name(intent.time_in_force);
  record.quantity = intent.quantity;
  record.status = "refused_by_risk";
  record.tag = reason;
  record.updated_time_ns = time_ns;
  repository_.record(record);
}

void LiveVenue::apply(const AccountAction& action, int64_t time_ns,
                      std::vector<EventPayload>& out_events) {
  (void)time_ns;
  for (const orders::LiveOrder* order : executor_.active_orders()) {
    const bool entry = order->request.side == OrderSide::kBuy;
    if (!(action.cancel_all_orders || (action.cancel_entry_orders && entry))) continue;
    const std::string id = order->request.client_order_id;
    auto cancelled = connector_.cancel_order(order->request.symbol, id);
    if (!cancelled.ok()) {
      out_events.push_back(ErrorInfo{"live", "cancel of " + id + " (" + action.reason +
                                                 ") failed: " + cancelled.error.message});
    }
  }
  if (!action.flatten_all) return;
  for (const LiveMarket& market : markets_) {
    const double quantity = held(market);
    if (quantity > 0) {
      place(market, OrderSide::kSell, OrderType::kMarket, quantity,
            last_price(market.symbol.view()), "risk_flatten", out_events);
    }
  }
}

}  // namespace cephalo
