// Merging venue reports into tracked orders; conversion to and from the orders_live row.
// Thread-safety: see live_order.hpp.
#include "orders/live_order.hpp"

namespace cephalo::orders {

using exchange::Decimal;

const char* apply_outcome_name(ApplyOutcome outcome) {
  switch (outcome) {
    case ApplyOutcome::kApplied:
      return "applied";
    case ApplyOutcome::kUnchanged:
      return "unchanged";
    case ApplyOutcome::kStaleIgnored:
      return "stale, ignored";
    case ApplyOutcome::kIllegalIgnored:
      return "illegal transition, ignored";
  }
  return "?";
}

ApplyOutcome apply_snapshot(LiveOrder& order, const exchange::VenueOrder& snapshot) {
  // Older by venue time, or by cumulative quantity (which only grows on a venue): ignore.
  if (snapshot.update_time_ms < order.venue_update_ms ||
      snapshot.executed_qty < order.executed_qty) {
    return ApplyOutcome::kStaleIgnored;
  }
  const OrderState open_state = state_from_venue(snapshot.status);
  const OrderState next = open_state == OrderState::kOpen && !snapshot.executed_qty.is_zero()
                              ? OrderState::kPartiallyFilled
                              : open_state;
  const bool more_filled = snapshot.executed_qty > order.executed_qty;
  // An amended order (order.amend.keepPriority: executionReport x=REPLACED, and origQty in every
  // later answer) has a new, smaller quantity: what is left to fill is measured against it.
  const bool amended = !snapshot.orig_qty.is_zero() && snapshot.orig_qty != order.request.quantity;
  if (amended) order.request.quantity = snapshot.orig_qty;
  if (next == order.state && !more_filled) {
    if (snapshot.order_id != 0) order.venue_order_id = snapshot.order_id;
    order.venue_update_ms = std::max(order.venue_update_ms, snapshot.update_time_ms);
    return amended ? ApplyOutcome::kApplied : ApplyOutcome::kUnchanged;
  }
  if (next != order.state || next == OrderState::kPartiallyFilled) {
    if (!can_transition(order.state, next)) return ApplyOutcome::kIllegalIgnored;
  }
  order.state = next;
  order.venue_order_id = snapshot.order_id != 0 ? snapshot.order_id : order.venue_order_id;
  order.executed_qty = snapshot.executed_qty;
  order.cumulative_quote = snapshot.cumulative_quote_qty;
  order.venue_update_ms = std::max(order.venue_update_ms, snapshot.update_time_ms);
  return ApplyOutcome::kApplied;
}

LiveOrderRecord to_record(const LiveOrder& order) {
  LiveOrderRecord record;
  record.client_order_id = order.request.client_order_id;
  record.symbol = order.request.symbol;
  record.side = exchange::side_text(order.request.side);
  record.type = exchange::order_type_text(order.request.type);
  record.time_in_force = exchange::time_in_force_text(order.request.time_in_force);
  record.quantity = exchange::format_decimal(order.request.quantity);
  record.price = exchange::format_decimal(order.request.price);
  record.state = order_state_name(order.state);
  record.venue_order_id = order.venue_order_id;
  record.executed_quantity = exchange::format_decimal(order.executed_qty);
  record.cumulative_quote = exchange::format_decimal(order.cumulative_quote);
  record.venue_update_ms = order.venue_update_ms;
  record.created_ns = order.created_ns;
  record.updated_ns = order.updated_ns;
  record.reason = order.reason;
  return record;
}

Result<LiveOrder> from_record(const LiveOrderRecord& record) {
  const std::string where = "orders_live row " + record.client_order_id;
  LiveOrder order;
  order.request.client_order_id = record.client_order_id;
  order.request.symbol = record.symbol;
  order.request.side =
      record.side == "SELL" ? exchange::OrderSide::kSell : exchange::OrderSide::kBuy;
  order.request.type =
      exchange::order_type_from_text(record.type).value_or(exchange::OrderType::kLimit);
  order.request.time_in_force = record.time_in_force == "IOC"   ? exchange::TimeInForce::kIoc
                                : record.time_in_force == "FOK" ? exchange::TimeInForce::kFok
                                                                : exchange::TimeInForce::kGtc;
  auto state = order_state_from_name(record.state);
  if (!state) return Error{where + ": unknown state \"" + record.state + "\""};
  order.state = *state;
  for (auto [text, target] : {std::pair{&record.quantity, &order.request.quantity},
                              std::pair{&record.price, &order.request.price},
                              std::pair{&record.executed_quantity, &order.executed_qty},
                              std::pair{&record.cumulative_quote, &order.cumulative_quote}}) {
    auto value = exchange::parse_decimal(*text, where);
    if (!value) return value.status();
    *target = value.value();
  }
  order.venue_order_id = record.venue_order_id;
  order.venue_update_ms = record.venue_update_ms;
  order.created_ns = record.created_ns;
  order.updated_ns = record.updated_ns;
  order.reason = record.reason;
  return order;
}

LiveOrder* LiveOrderBook::find(const std::string& client_order_id) {
  auto found = orders_.find(client_order_id);
  if (found != orders_.end()) return &found->second;
  auto alias = aliases_.find(client_order_id);
  if (alias == aliases_.end()) return nullptr;
  found = orders_.find(alias->second);
  return found == orders_.end() ? nullptr : &found->second;
}

LiveOrder* LiveOrderBook::find_by_venue_id(const std::string& symbol, int64_t venue_order_id) {
  for (auto& [id, order] : orders_) {
    if (order.venue_order_id == venue_order_id && order.request.symbol == symbol) return &order;
  }
  return nullptr;
}

LiveOrder& LiveOrderBook::add(LiveOrder order) {
  const std::string id = order.request.client_order_id;
  return orders_.insert_or_assign(id, std::move(order)).first->second;
}

bool LiveOrderBook::first_sighting(const std::string& symbol, int64_t trade_id) {
  return trade_ids_[symbol].insert(trade_id).second;
}

int64_t LiveOrderBook::last_trade_id(const std::string& symbol) const {
  auto found = trade_ids_.find(symbol);
  if (found == trade_ids_.end() || found->second.empty()) return 0;
  return *found->second.rbegin();
}

}  // namespace cephalo::orders
