// Commit-before-send placement, stream and REST merging, timeouts and start-up reconciliation.
// Thread-safety: see order_executor.hpp.
#include "orders/order_executor.hpp"

namespace cephalo::orders {

using exchange::Decimal;
using exchange::VenueErrorKind;

namespace {
__extension__ typedef __int128 Int128;  // -Wpedantic: a GCC/Clang extension, exact price math

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
  return Decimal{
      static_cast<int64_t>(static_cast<Int128>(intent.reference_price.units) * bps / 10'000)};
}

Status OrderExecutor::commit(LiveOrder& order) {
  order.updated_ns = clock_();
  return journal_.commit_order(to_record(order));
}

Result<std::string> OrderExecutor::submit(const ApprovedIntent& intent) {
  auto filters = filters_.find(intent.symbol);
  if (filters == filters_.end()) {
    return Error{intent.symbol +
                 ": no exchange filters loaded for this symbol; the order was not sent"};
  }
  const Decimal price =
      intent.type == exchange::OrderType::kLimit ? limit_price(intent) : Decimal{};
  auto shaped = exchange::shape_order(filters->second, intent.side, price, intent.quantity,
                                      intent.reference_price);
  if (!shaped) return shaped.status();

  LiveOrder order;
  order.request.symbol = intent.symbol;
  order.request.side = intent.side;
  order.request.type = intent.type;
  order.request.time_in_force = config_.time_in_force;
  order.request.quantity = shaped->quantity;
  order.request.price = shaped->price;
  order.request.client_order_id = ids_.next();
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
  if (!order) return;  // not ours (manual trading on the same account)
  apply(*order, report.order);
  if (report.fill) take_fill(*report.fill, order);
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
    try {
      book_.first_sighting(fill.trade_id.substr(0, colon),
                           std::stoll(fill.trade_id.substr(colon + 1)));
    } catch (const std::exception&) {
      // Not one of ours (paper/backtest fills use other ids).
    }
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
    // 2. Open orders on the venue that the journal does not know.
    auto open = venue_.open_orders(symbol);
    if (!open.ok()) {
      problems.push_back(symbol + ": cannot list open orders: " + open.error.message);
    } else {
      for (const exchange::VenueOrder& venue_order : *open.value) {
        if (!book_.find(venue_order.client_order_id)) {
          problems.push_back(symbol + ": open order " + venue_order.client_order_id +
                             " (venue id " + std::to_string(venue_order.order_id) +
                             ") is not in this bot's journal; cancel it on the venue or "
                             "start with the database that placed it");
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
