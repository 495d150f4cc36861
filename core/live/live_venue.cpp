// Live orders through the executor, venue reports back as fills, venue balances as the books.
// Thread-safety: see live_venue.hpp.
#include "live/live_venue.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "orders/client_order_id.hpp"

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
  using Foreign = orders::ExecutorConfig::ForeignOrders;
  config.foreign_orders = exchange.foreign_orders == "cancel"  ? Foreign::kCancel
                          : exchange.foreign_orders == "adopt" ? Foreign::kAdopt
                                                               : Foreign::kIgnore;
  return config;
}

bool has_spot(const std::vector<std::string>& permissions) {
  return std::find(permissions.begin(), permissions.end(), "SPOT") != permissions.end();
}

}  // namespace

LiveVenue::LiveVenue(const Config& config, std::vector<LiveMarket> markets,
                     exchange::ExchangeConnector& connector, orders::OrderJournal& journal,
                     Repository& repository, std::shared_ptr<spdlog::logger> logger,
                     const NanosClock& clock, const std::string& run_tag)
    : config_(config),
      markets_(std::move(markets)),
      connector_(connector),
      journal_(journal),
      repository_(repository),
      logger_(std::move(logger)),
      clock_(clock),
      executor_(connector, journal, orders::ClientOrderIds(run_tag),
                executor_config(config.exchange), clock,
                [this](const orders::LiveOrder& order, const exchange::VenueTrade& trade) {
                  on_fill(order, trade);
                }) {}

Status LiveVenue::load_filters() {
  std::vector<std::string> symbols;
  for (const LiveMarket& market : markets_) symbols.push_back(market.venue_symbol);
  auto info = connector_.exchange_info(symbols);
  if (!info.ok()) return Error{"exchangeInfo: " + info.error.message};
  const std::vector<exchange::SymbolFilters>* filters = &info.value->symbols;
  for (const LiveMarket& market : markets_) {
    const auto found = std::find_if(
        filters->begin(), filters->end(),
        [&](const exchange::SymbolFilters& f) { return f.symbol == market.venue_symbol; });
    if (found == filters->end()) {
      return Error{"the exchange does not list " + market.venue_symbol + " (feed " +
                   std::string(market.symbol.view()) + "); check market.feeds"};
    }
    if (found->base_asset != market.base || found->quote_asset != market.quote) {
      return Error{market.venue_symbol + " trades " + found->base_asset + " against " +
                   found->quote_asset + ", but the feed says " + std::string(market.symbol.view())};
    }
    if (found->status != "TRADING") {
      return Error{market.venue_symbol + " (feed " + std::string(market.symbol.view()) +
                   "): exchangeInfo status is " + found->status +
                   ", not TRADING; the venue accepts no orders for it now. Start again once it "
                   "trades, or remove the feed"};
    }
    bool spot_set = found->permission_sets.empty();  // older answers carry no sets
    for (const auto& set : found->permission_sets) spot_set |= has_spot(set);
    if (!found->spot_trading_allowed || !spot_set) {
      return Error{market.venue_symbol + " (feed " + std::string(market.symbol.view()) +
                   "): the exchange does not allow spot trading on it (isSpotTradingAllowed " +
                   (found->spot_trading_allowed ? "true" : "false") +
                   ", no SPOT in permissionSets); choose a spot symbol"};
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
  executor_.set_filters(*filters);
  for (const exchange::SymbolFilters& f : *filters) {
    tradable_[f.symbol] = Tradable{std::max(f.min_qty.to_double(), f.step_size.to_double()),
                                   f.min_notional.to_double()};
    symbol_filters_[f.symbol] = f;
  }
  refresh_filter_prices();
  return Ok{};
}

void LiveVenue::refresh_filter_prices() {
  for (const LiveMarket& market : markets_) {
    const auto filters = symbol_filters_.find(market.venue_symbol);
    // avgPriceMins 0: the venue uses its last price, which the last close stands in for.
    if (filters == symbol_filters_.end() || filters->second.avg_price_mins <= 0) continue;
    auto price = connector_.filter_price(market.venue_symbol);
    if (!price.ok()) {
      // Not fatal: the last value (or the last close) stays; the venue's own check decides.
      logger_->warn(
          "live: {}: the filters' average price is not known now ({}); using the last "
          "one",
          market.venue_symbol, price.error.message);
      continue;
    }
    executor_.set_filter_price(market.venue_symbol, price.value->price);
    logger_->debug("live: {} filter price {} ({})", market.venue_symbol,
                   exchange::format_decimal(price.value->price), price.value->source);
  }
}

Status LiveVenue::check_account() {
  auto account = connector_.account();
  if (!account.ok()) return Error{"account: " + account.error.message};
  if (!account.value->can_trade) {
    return Error{
        "the account may not trade (GET /api/v3/account answered canTrade: false); "
        "trading is disabled on it at the venue"};
  }
  if (!account.value->permissions.empty() && !has_spot(account.value->permissions)) {
    std::string held;
    for (const std::string& name : account.value->permissions)
      held += (held.empty() ? "" : ", ") + name;
    return Error{"the account has no SPOT permission (it has: " + held +
                 "); live trading here is spot only"};
  }
  return Ok{};
}

Status LiveVenue::check_key_can_trade() {
  // POST /api/v3/order/test checks the key's TRADE permission before anything else: -2015
  // means a read-only key (or one not allowed from this IP). Any other refusal (a filter, a
  // balance) comes after that check, so the key may trade.
  const LiveMarket& market = markets_.front();
  const exchange::SymbolFilters& filters = symbol_filters_.at(market.venue_symbol);
  exchange::OrderRequest probe;
  probe.symbol = market.venue_symbol;
  probe.side = OrderSide::kBuy;
  probe.type = OrderType::kLimit;
  probe.quantity = filters.min_qty.is_zero() ? filters.step_size : filters.min_qty;
  probe.price = filters.min_price.is_zero() ? filters.tick_size : filters.min_price;
  if (probe.quantity.is_zero()) probe.quantity = Decimal{Decimal::kOne};
  if (probe.price.is_zero()) probe.price = Decimal{Decimal::kOne};
  probe.client_order_id = "cph-permission-test";
  auto tested = connector_.test_order(probe);
  if (tested.ok()) return Ok{};
  switch (tested.error.kind) {
    case exchange::VenueErrorKind::kUnauthorized:
    case exchange::VenueErrorKind::kSignature:
      return Error{"the API key may not trade: " + tested.error.message +
                   "; use a key with spot trading enabled (not a read-only key), allowed from "
                   "this IP"};
    case exchange::VenueErrorKind::kRejected:
      return Ok{};  // past the permission check: a filter or balance refused the probe
    default:
      return Error{"checking the API key's trading permission (POST /api/v3/order/test): " +
                   tested.error.message};
  }
}

Result<orders::ReconciliationReport> LiveVenue::reconcile() {
  std::vector<std::string> symbols;
  for (const LiveMarket& market : markets_) symbols.push_back(market.venue_symbol);
  return executor_.reconcile(symbols);
}

void LiveVenue::note_foreign_orders(const std::vector<std::string>& lines) {
  // Each foreign order is reported when first seen (or when its handling changes), not at every
  // periodic resync.
  std::set<std::string> current(lines.begin(), lines.end());
  for (const std::string& line : current) {
    if (reported_foreign_.count(line) == 0) logger_->info("live: {}", line);
  }
  reported_foreign_ = std::move(current);
}

void LiveVenue::adopt_resting_stops() {
  for (const orders::LiveOrder* order : executor_.active_orders()) {
    if (!exchange::is_stop_type(order->request.type)) continue;
    resting_stops_[order->request.symbol] =
        RestingStop{order->request.client_order_id, order->request.stop_price.to_double(),
                    order->request.quantity.to_double()};
    logger_->info("live: {} rests on the exchange: {} stop {} for {}",
                  order->request.client_order_id, exchange::order_type_text(order->request.type),
                  exchange::format_decimal(order->request.stop_price),
                  exchange::format_decimal(order->request.quantity));
  }
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
  const std::string& id = order.request.client_order_id;
  if (order_reasons_.find(id) == order_reasons_.end()) {
    // An order of an earlier run (a stop that filled while the bot was down): its id says why.
    if (std::string reason = orders::exit_reason_of_client_id(id); !reason.empty()) {
      order_reasons_[id] = reason;
    }
  }
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
  if (!streaming_) {
    // Found by the start-up reconciliation: it belongs to a position of an earlier run, which
    // the core's risk engine (fresh at every start) does not hold. Booked above and stored, but
    // not replayed to risk and the tentacles: a stop's sell would open a phantom short there.
    return;
  }
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
    if (blocked_reason_.empty()) {
      logger_->warn("live: resync after {} failed; no order is sent until a resync passes: {}", why,
                    report.error());
    } else {
      logger_->warn("live: resync after {} failed again; still not sending orders: {}", why,
                    report.error());
    }
    blocked_reason_ = "the last resync with the venue failed (" + why + ")";
    pending_.push_back(ErrorInfo{"live", "resync after " + why +
                                             " failed; orders held back until "
                                             "one passes: " +
                                             report.error()});
    return;
  }
  if (!blocked_reason_.empty()) {
    logger_->info("live: resync after {} passed; orders may be sent again", why);
    blocked_reason_.clear();
  }
  note_foreign_orders(report->foreign_orders);
  if (report->orders_resolved > 0 || report->fills_recovered > 0) {
    logger_->info("live: resync after {}: {} orders resolved, {} fills recovered", why,
                  report->orders_resolved, report->fills_recovered);
  }
  set_balances(report->balances, clock_(), "resync: " + why);
  refresh_filter_prices();
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
    auto answer = executor_.cancel(id);
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
    // A resting stop holds the base: it goes first. If it already filled, the exit is done.
    const bool still_held = cancel_resting_stop(*market);
    // A core-emulated stop: the candle closed through it, so sell what is held at market.
    const double quantity =
        exit->side == CEPHALO_SIDE_SELL ? std::min(exit->quantity, held(*market)) : exit->quantity;
    if (still_held && quantity > 0) {
      place(*market, exit->side == CEPHALO_SIDE_SELL ? OrderSide::kSell : OrderSide::kBuy,
            OrderType::kMarket, quantity, candle.close,
            protective_exit_reason_name(exit->exit.reason), out_events);
    }
  } else if (market != nullptr && config_.exchange.stop_on_exchange) {
    keep_stop_in_step(*market, out_events);
  }
  (void)time_ns;
}

bool LiveVenue::cancel_resting_stop(const LiveMarket& market) {
  const auto found = resting_stops_.find(market.venue_symbol);
  if (found == resting_stops_.end()) return true;
  const std::string id = found->second.client_order_id;
  resting_stops_.erase(found);
  const orders::LiveOrder* order = executor_.order(id);
  if (order == nullptr || orders::is_terminal(order->state)) {
    return order == nullptr || order->state != orders::OrderState::kFilled;
  }
  auto cancelled = executor_.cancel(id);
  if (!cancelled.ok()) {
    logger_->warn("live: cancel of the resting stop {} failed: {}", id, cancelled.error.message);
  }
  order = executor_.order(id);
  return order == nullptr || order->state != orders::OrderState::kFilled;
}

void LiveVenue::keep_stop_in_step(const LiveMarket& market, std::vector<EventPayload>& out_events) {
  const TrackedPosition* tracked = levels_of_ ? levels_of_(market.symbol.view()) : nullptr;
  auto resting = resting_stops_.find(market.venue_symbol);
  if (resting != resting_stops_.end()) {
    const orders::LiveOrder* order = executor_.order(resting->second.client_order_id);
    if (order == nullptr || orders::is_terminal(order->state)) {
      resting_stops_.erase(resting);  // filled (booked as the stop exit) or gone
      resting = resting_stops_.end();
    }
  }
  // The tighter of the fixed stop and the armed trail, for a long (spot holds no shorts).
  double level = 0;
  bool trailing = false;
  if (tracked != nullptr && tracked->quantity > 0) {
    level = tracked->levels.stop;
    if (tracked->levels.trailing_stop > level) {
      level = tracked->levels.trailing_stop;
      trailing = true;
    }
  }
  const double quantity = held(market);
  if (quantity <= dust_quantity(market.symbol.view())) {
    if (resting != resting_stops_.end()) (void)cancel_resting_stop(market);  // flat: not needed
    return;
  }
  // No level known (e.g. after a restart the core tracks no position yet): a stop already
  // resting stays as it is.
  if (level <= 0) return;
  const exchange::SymbolFilters& filters = symbol_filters_.at(market.venue_symbol);
  const double tick = filters.tick_size.to_double();
  if (resting != resting_stops_.end()) {
    const bool moved = std::abs(level - resting->second.stop_price) >= std::max(tick, 1e-12);
    const bool resized = std::abs(quantity - resting->second.quantity) >=
                         std::max(filters.step_size.to_double(), 1e-12);
    if (!moved && !resized) return;
    if (!cancel_resting_stop(market)) return;  // it filled meanwhile: nothing left to protect
  }
  if (!blocked_reason_.empty()) return;
  const double limit = level * (1 - config_.exchange.stop_limit_offset_bps / 10'000.0);
  auto amount = exchange::decimal_from_double(quantity, "stop quantity");
  auto stop = exchange::decimal_from_double(level, "stop price");
  auto limit_price = exchange::decimal_from_double(limit, "stop limit price");
  if (!amount.ok() || !stop.ok() || !limit_price.ok()) return;
  orders::ApprovedIntent intent;
  intent.symbol = market.venue_symbol;
  intent.side = OrderSide::kSell;
  intent.type = OrderType::kStopLossLimit;
  intent.quantity = amount.value();
  intent.reference_price = stop.value();
  // A limit price rounds up on a sell (never more aggressive than asked); round it down first
  // so the order still fills when the market falls through the stop.
  intent.limit_price = exchange::round_down_to(limit_price.value(), filters.tick_size);
  intent.stop_price = stop.value();
  intent.id_suffix = trailing ? orders::kTrailingStopSuffix : orders::kStopLossSuffix;
  auto submitted = executor_.submit(intent);
  const std::string why = trailing ? "trailing_stop" : "stop_loss";
  if (!submitted.ok()) {
    logger_->warn("live: resting {} for {} not placed: {}", why, market.venue_symbol,
                  submitted.error());
    out_events.push_back(ErrorInfo{"live", "resting " + why + " for " + market.venue_symbol +
                                               " not placed: " + submitted.error()});
    return;
  }
  order_reasons_[submitted.value()] = why;
  const orders::LiveOrder* order = executor_.order(submitted.value());
  logger_->info("live: resting {} {} {} {} stop {} limit {}: {}{}", why, submitted.value(),
                market.venue_symbol, order ? exchange::format_decimal(order->request.quantity) : "",
                order ? exchange::format_decimal(order->request.stop_price) : "",
                order ? exchange::format_decimal(order->request.price) : "",
                order ? orders::order_state_name(order->state) : "?",
                order && !order->reason.empty() ? " - " + order->reason : "");
  if (order != nullptr && !orders::is_terminal(order->state)) {
    resting_stops_[market.venue_symbol] = RestingStop{submitted.value(), level, quantity};
  }
}

void LiveVenue::place(const LiveMarket& market, OrderSide side, OrderType type, double quantity,
                      double reference_price, const std::string& why,
                      std::vector<EventPayload>& out_events) {
  if (!blocked_reason_.empty()) {
    logger_->warn("live: {} {} order ({}) not sent: {}", market.venue_symbol,
                  exchange::side_text(side), why, blocked_reason_);
    out_events.push_back(ErrorInfo{
        "live", market.venue_symbol + " order (" + why + ") not sent: " + blocked_reason_});
    return;
  }
  auto amount = exchange::decimal_from_double(quantity, "quantity");
  auto reference = exchange::decimal_from_double(reference_price, "reference price");
  if (!amount.ok() || !reference.ok()) {
    out_events.push_back(ErrorInfo{"live", market.venue_symbol + " order (" + why + ") refused: " +
                                               (amount.ok() ? reference.error() : amount.error())});
    return;
  }
  orders::ApprovedIntent intent;
  intent.symbol = market.venue_symbol;
  intent.side = side;
  intent.type = type;
  intent.quantity = amount.value();
  intent.reference_price = reference.value();
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
    // A resting protective stop is conditional: it is the position's exit, not an order that
    // counts as if it filled.
    if (market == nullptr || exchange::is_stop_type(order->request.type)) continue;
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
    auto cancelled = executor_.cancel(id);
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
