// Commit-before-send placement, stream and REST merging, timeouts and start-up reconciliation.
// Thread-safety: see order_executor.hpp.
#include "orders/order_executor.hpp"

#include <cmath>

namespace cephalo::orders {

using exchange::Decimal;
using exchange::VenueErrorKind;

namespace {

std::string fill_key(const std::string& symbol, int64_t trade_id) {
  return symbol + ":" + std::to_string(trade_id);
}
}  // namespace

OrderExecutor::OrderExecutor(exchange::ExchangeConnector& venue, OrderJournal& journal,
                             ClientOrderIds ids, ExecutorConfig config, NanosClock clock,
                             FillHandler on_fill)
    : venue_(venue),
      journal_(journal),
      ids_(std::move(ids)),
      config_(config),
      clock_(std::move(clock)),
      on_fill_(std::move(on_fill)) {}

void OrderExecutor::set_filters(const std::vector<exchange::SymbolFilters>& filters) {
  for (const auto& f : filters) filters_[f.symbol] = f;
}

Decimal OrderExecutor::limit_price(const ApprovedIntent& intent) const {
  const int64_t bps = intent.side == exchange::OrderSide::kBuy ? 10'000 - config_.limit_offset_bps
                                                               : 10'000 + config_.limit_offset_bps;
  return Decimal{intent.reference_price.units * bps / 10'000};
}

Status OrderExecutor::commit(LiveOrder& order) {
  order.updated_ns = clock_();
  return journal_.commit_order(to_record(order));
}

exchange::OrderContext OrderExecutor::context_for(const std::string& symbol,
                                                  Decimal average) const {
  exchange::OrderContext context;
  context.average_price = average;
  auto count = [&context](const std::string& order_symbol, exchange::OrderType type,
                          const std::string& symbol_wanted) {
    if (order_symbol != symbol_wanted) return;
    ++context.open_orders;
    if (exchange::is_stop_type(type)) ++context.open_algo_orders;
  };
  for (const auto& [id, order] : book_.all()) {
    if (!is_terminal(order.state)) count(order.request.symbol, order.request.type, symbol);
  }
  for (const auto& [id, order] : foreign_) count(order.symbol, order.type, symbol);
  return context;
}

Result<std::string> OrderExecutor::submit(const ApprovedIntent& intent) {
  auto filters = filters_.find(intent.symbol);
  if (filters == filters_.end()) {
    return Error{intent.symbol +
                 ": no exchange filters loaded for this symbol; the order was not sent"};
  }
  const bool stop = exchange::is_stop_type(intent.type);
  const Decimal price = stop ? intent.limit_price
                        : intent.type == exchange::OrderType::kLimit ? limit_price(intent)
                                                                      : Decimal{};
  // PERCENT_PRICE_BY_SIDE and a market order's notional compare with the venue's filter price
  // (its reference or average price); before one is known, the intent's reference price (the
  // last close, which the venue's 1-5 minute average follows closely) stands in.
  const auto filter_price = filter_prices_.find(intent.symbol);
  auto shaped = exchange::shape_order(
      filters->second, intent.side, intent.type == exchange::OrderType::kMarket, price,
      intent.quantity, stop ? intent.stop_price : Decimal{},
      context_for(intent.symbol, filter_price != filter_prices_.end() ? filter_price->second
                                                                      : intent.reference_price));
  if (!shaped) return shaped.status();

  LiveOrder order;
  order.request.symbol = intent.symbol;
  order.request.side = intent.side;
  order.request.type = intent.type;
  order.request.time_in_force = config_.time_in_force;
  order.request.quantity = shaped->quantity;
  order.request.price = shaped->price;
  order.request.stop_price = shaped->stop_price;
  order.request.client_order_id = ids_.next(intent.id_suffix);
  order.created_ns = clock_();
  order.state = OrderState::kPendingNew;
  // The row is on disk before a byte leaves: after any crash, a restart knows this id.
  if (Status stored = commit(order); !stored) {
    return Error{"order " + order.request.client_order_id +
                 " not sent: it could not be stored first: " + stored.error()};
  }
  LiveOrder& tracked = book_.add(order);
  const std::string id = tracked.request.client_order_id;

  auto placed = venue_.place_order(tracked.request);
  if (placed.ok()) {
    apply(tracked, *placed.value);
    return id;
  }
  switch (placed.error.kind) {
    case VenueErrorKind::kUnknownOutcome:
    case VenueErrorKind::kDuplicateOrder:
      // It may exist (or, for a duplicate, an order with this id does): never send again;
      // poll() asks the venue by client order id.
      tracked.state = OrderState::kUnknown;
      break;
    default:
      // The venue refused it, or it never left (rate limit, ban, no connection): final.
      tracked.state = OrderState::kRejected;
      break;
  }
  tracked.reason = placed.error.message;
  (void)commit(tracked);  // a failure here is recovered at restart by query (state is pending)
  return id;
}

void OrderExecutor::apply(LiveOrder& order, const exchange::VenueOrder& snapshot) {
  if (apply_snapshot(order, snapshot) == ApplyOutcome::kApplied) (void)commit(order);
}

bool OrderExecutor::take_fill(const exchange::VenueTrade& trade, LiveOrder* order) {
  if (!book_.first_sighting(trade.symbol, trade.trade_id)) return false;  // seen via the other path
  FillRecord fill;
  fill.trade_id = fill_key(trade.symbol, trade.trade_id);
  fill.client_order_id = order ? order->request.client_order_id : trade.client_order_id;
  fill.time_ns = trade.time_ms * 1'000'000;
  fill.symbol = trade.symbol;
  fill.side = exchange::side_text(trade.side);
  fill.quantity = trade.quantity.to_double();
  fill.price = trade.price.to_double();
  fill.fee = trade.commission.to_double();
  fill.fee_currency = trade.commission_asset;
  journal_.record_fill(fill);
  if (order) {
    order->filled_by_trades.units += trade.quantity.units;
    if (on_fill_) on_fill_(*order, trade);
  }
  return true;
}

void OrderExecutor::on_execution_report(const exchange::ExecutionReport& report) {
  LiveOrder* order = book_.find(report.order.client_order_id);
  if (!order) {
    // Not placed by this bot (by hand, another program): tracked while open, never booked.
    if (filters_.count(report.order.symbol) != 0) {
      const OrderState state = exchange::VenueOrderStatus::kNew == report.order.status
                                   ? OrderState::kOpen
                                   : state_from_venue(report.order.status);
      if (is_terminal(state)) {
        foreign_.erase(report.order.client_order_id);
      } else {
        foreign_[report.order.client_order_id] = report.order;
      }
    }
    return;
  }
  if (report.execution_type == "REPLACED" && !report.request_client_order_id.empty() &&
      report.request_client_order_id != order->request.client_order_id) {
    // Amended under a new client id: later reports carry it.
    book_.alias(report.request_client_order_id, order->request.client_order_id);
  }
  apply(*order, report.order);
  if (report.fill) take_fill(*report.fill, order);
}

exchange::VenueResult<exchange::VenueOrder> OrderExecutor::cancel(
    const std::string& client_order_id) {
  LiveOrder* order = book_.find(client_order_id);
  if (!order) {
    return exchange::VenueResult<exchange::VenueOrder>::failure(
        {VenueErrorKind::kNotSent, 0, 0, client_order_id + " is not one of this bot's orders"});
  }
  auto answer = venue_.cancel_order(order->request.symbol, client_order_id);
  if (answer.ok()) apply(*order, *answer.value);
  return answer;
}

std::string OrderExecutor::handle_foreign(const exchange::VenueOrder& venue_order) {
  const std::string what = venue_order.symbol + " " + exchange::side_text(venue_order.side) + " " +
                           exchange::order_type_text(venue_order.type) + " " +
                           exchange::format_decimal(venue_order.orig_qty) + " @ " +
                           exchange::format_decimal(venue_order.price) +
                           (venue_order.stop_price.is_zero()
                                ? std::string()
                                : " stop " + exchange::format_decimal(venue_order.stop_price)) +
                           (venue_order.order_list_id >= 0
                                ? " (order list " + std::to_string(venue_order.order_list_id) + ")"
                                : std::string()) +
                           ", client id " + venue_order.client_order_id + ", venue id " +
                           std::to_string(venue_order.order_id);
  switch (config_.foreign_orders) {
    case ExecutorConfig::ForeignOrders::kIgnore:
      foreign_[venue_order.client_order_id] = venue_order;
      return "foreign order " + what + ": ignored (exchange.foreign_orders: ignore)";
    case ExecutorConfig::ForeignOrders::kCancel: {
      auto cancelled = venue_.cancel_order(venue_order.symbol, venue_order.client_order_id);
      if (cancelled.ok()) {
        foreign_.erase(venue_order.client_order_id);
        return "foreign order " + what + ": cancelled (exchange.foreign_orders: cancel)";
      }
      foreign_[venue_order.client_order_id] = venue_order;
      return "foreign order " + what + ": the cancel failed (" + cancelled.error.message +
             "); tracked, tried again at the next resync";
    }
    case ExecutorConfig::ForeignOrders::kAdopt: {
      LiveOrder adopted;
      adopted.request.symbol = venue_order.symbol;
      adopted.request.side = venue_order.side;
      adopted.request.type = venue_order.type;
      adopted.request.time_in_force = venue_order.time_in_force;
      adopted.request.quantity = venue_order.orig_qty;
      adopted.request.price = venue_order.price;
      adopted.request.stop_price = venue_order.stop_price;
      adopted.request.client_order_id = venue_order.client_order_id;
      adopted.created_ns = clock_();
      adopted.state = OrderState::kPendingNew;
      adopted.reason = "adopted (exchange.foreign_orders: adopt)";
      LiveOrder& tracked = book_.add(adopted);
      apply_snapshot(tracked, venue_order);
      (void)commit(tracked);
      foreign_.erase(venue_order.client_order_id);
      return "foreign order " + what + ": adopted (exchange.foreign_orders: adopt)";
    }
  }
  return {};
}

bool OrderExecutor::resolve_by_query(LiveOrder& order, bool at_startup, std::string& out_problem) {
  auto answer = venue_.query_order(order.request.symbol, order.request.client_order_id);
  if (answer.ok()) {
    apply(order, *answer.value);
    return true;
  }
  if (answer.error.kind != VenueErrorKind::kOrderNotFound) {
    out_problem =
        order.request.client_order_id + ": cannot query its state: " + answer.error.message;
    return false;
  }
  const int64_t age_ns = clock_() - order.created_ns;
  const int64_t grace_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(config_.unknown_grace).count();
  if (age_ns < grace_ns) {
    if (at_startup) {
      out_problem = order.request.client_order_id + ": the venue does not show it yet (sent " +
                    std::to_string(age_ns / 1'000'000) + " ms ago); start again after " +
                    std::to_string(config_.unknown_grace.count()) + " ms";
    }
    return !at_startup;
  }
  order.state = OrderState::kRejected;
  order.reason = "the venue has no order with this client id " +
                 std::to_string(config_.unknown_grace.count()) +
                 " ms after it was committed: it never reached the venue";
  (void)commit(order);
  return true;
}

void OrderExecutor::poll() {
  const int64_t now = clock_();
  const int64_t timeout_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(config_.order_timeout).count();
  for (auto& [id, order] : book_.all()) {
    if (order.state == OrderState::kUnknown || order.state == OrderState::kPendingNew) {
      std::string problem;
      (void)resolve_by_query(order, false, problem);
      continue;
    }
    if ((order.state == OrderState::kOpen || order.state == OrderState::kPartiallyFilled) &&
        now - order.created_ns > timeout_ns) {
      // Protective stops rest until they trigger: the timeout is for orders meant to fill now.
      if (exchange::is_stop_type(order.request.type)) continue;
      auto cancelled = venue_.cancel_order(order.request.symbol, id);
      if (cancelled.ok()) {
        order.reason = "cancelled after " + std::to_string(config_.order_timeout.count()) +
                       " ms without filling";
        apply(order, *cancelled.value);
      } else if (cancelled.error.kind == VenueErrorKind::kOrderNotFound) {
        std::string problem;
        (void)resolve_by_query(order, false, problem);  // filled meanwhile, most likely
      }
    }
  }
}

Result<ReconciliationReport> OrderExecutor::reconcile(const std::vector<std::string>& symbols) {
  ReconciliationReport report;
  std::vector<std::string> problems;

  auto stored = journal_.orders();
  if (!stored) return Error{"reconciliation: cannot read the order journal: " + stored.error()};
  for (const LiveOrderRecord& record : *stored) {
    auto order = from_record(record);
    if (!order) {
      problems.push_back(order.error());
      continue;
    }
    // What this process already tracks is newer than its own journal row.
    if (!book_.find(record.client_order_id)) book_.add(std::move(order).value());
  }
  auto fills = journal_.fills();
  if (!fills) return Error{"reconciliation: cannot read stored fills: " + fills.error()};
  for (const FillRecord& fill : *fills) {
    const auto colon = fill.trade_id.rfind(':');
    if (colon == std::string::npos) continue;
    bool first = false;
    try {
      first = book_.first_sighting(fill.trade_id.substr(0, colon),
                                   std::stoll(fill.trade_id.substr(colon + 1)));
    } catch (const std::exception&) {
      continue;  // not one of ours (paper/backtest fills use other ids)
    }
    // A stored fill this process has not counted yet (an earlier run's): it covers part of its
    // order's executed quantity, so step 3 does not ask the venue for it again.
    LiveOrder* order = first ? book_.find(fill.client_order_id) : nullptr;
    if (order) order->filled_by_trades.units += std::llround(fill.quantity * exchange::Decimal::kOne);
  }

  // 1. Every order that may be live: ask the venue.
  for (auto& [id, order] : book_.all()) {
    if (is_terminal(order.state)) continue;
    ++report.orders_checked;
    const OrderState before = order.state;
    std::string problem;
    if (!resolve_by_query(order, true, problem)) problems.push_back(problem);
    if (order.state != before) ++report.orders_resolved;
  }

  for (const std::string& symbol : symbols) {
    // 2. Open orders on the venue that the journal does not know: foreign, per the config.
    auto open = venue_.open_orders(symbol);
    if (!open.ok()) {
      problems.push_back(symbol + ": cannot list open orders: " + open.error.message);
    } else {
      std::erase_if(foreign_, [&symbol](const auto& entry) { return entry.second.symbol == symbol; });
      for (const exchange::VenueOrder& venue_order : *open.value) {
        if (!book_.find(venue_order.client_order_id)) {
          report.foreign_orders.push_back(handle_foreign(venue_order));
        }
      }
    }
    // 3. Fills the journal missed (a crash between a fill and its storage).
    const int64_t from = book_.last_trade_id(symbol);
    auto trades = venue_.trades(symbol, from > 0 ? from + 1 : 0);
    if (!trades.ok()) {
      problems.push_back(symbol + ": cannot read recent trades: " + trades.error.message);
    } else {
      for (const exchange::VenueTrade& trade : *trades.value) {
        LiveOrder* order = book_.find_by_venue_id(symbol, trade.order_id);
        if (!order) continue;  // not placed by this bot
        exchange::VenueTrade copy = trade;
        copy.client_order_id = order->request.client_order_id;
        if (take_fill(copy, order)) ++report.fills_recovered;
      }
    }
    // 3b. Orders the venue reports executed beyond the fills seen: a fill the user stream missed
    // (a gap in the connection) is older than trades that arrived after it, so the query above,
    // from the newest trade id seen, skips it. Ask for that order's own trades.
    for (auto& [id, order] : book_.all()) {
      if (order.request.symbol != symbol || order.venue_order_id == 0 ||
          order.executed_qty <= order.filled_by_trades) {
        continue;
      }
      auto own = venue_.order_trades(symbol, order.venue_order_id);
      if (!own.ok()) {
        problems.push_back(id + ": cannot read its trades: " + own.error.message);
        continue;
      }
      for (const exchange::VenueTrade& trade : *own.value) {
        exchange::VenueTrade copy = trade;
        copy.client_order_id = id;
        if (take_fill(copy, &order)) ++report.fills_recovered;
      }
    }
  }

  // 4. Balances: the venue's are the truth the portfolio starts from.
  auto balances = venue_.balances();
  if (!balances.ok()) {
    problems.push_back("cannot read balances: " + balances.error.message);
  } else {
    report.balances = std::move(*balances.value);
  }

  if (!problems.empty()) {
    std::string message = "reconciliation with the venue failed; not trading until it passes (" +
                          std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s") + "):";
    for (const std::string& p : problems) message += "\n  - " + p;
    return Error{message};
  }
  return report;
}

const LiveOrder* OrderExecutor::order(const std::string& client_order_id) {
  return book_.find(client_order_id);
}

std::vector<const LiveOrder*> OrderExecutor::active_orders() {
  std::vector<const LiveOrder*> out;
  for (auto& [id, order] : book_.all()) {
    if (!is_terminal(order.state)) out.push_back(&order);
  }
  return out;
}

}  // namespace cephalo::orders
