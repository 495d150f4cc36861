// Transition table for live orders.
// Thread-safety: pure functions.
#include "orders/order_state.hpp"

namespace cephalo::orders {

const char* order_state_name(OrderState state) {
  switch (state) {
    case OrderState::kPendingNew:
      return "pending_new";
    case OrderState::kOpen:
      return "open";
    case OrderState::kPartiallyFilled:
      return "partially_filled";
    case OrderState::kFilled:
      return "filled";
    case OrderState::kCancelled:
      return "cancelled";
    case OrderState::kRejected:
      return "rejected";
    case OrderState::kExpired:
      return "expired";
    case OrderState::kUnknown:
      return "unknown";
  }
  return "?";
}

std::optional<OrderState> order_state_from_name(std::string_view name) {
  for (OrderState state : kAllOrderStates) {
    if (name == order_state_name(state)) return state;
  }
  return std::nullopt;
}

bool is_terminal(OrderState state) {
  return state == OrderState::kFilled || state == OrderState::kCancelled ||
         state == OrderState::kRejected || state == OrderState::kExpired;
}

bool can_transition(OrderState from, OrderState to) {
  using S = OrderState;
  if (is_terminal(from)) return false;  // final: a late message never reopens an order
  switch (from) {
    case S::kPendingNew:
      return to != S::kPendingNew;
    case S::kUnknown:
      // Resolved by a query into any venue state; never back to pending_new.
      return to != S::kPendingNew && to != S::kUnknown;
    case S::kOpen:
      return to == S::kPartiallyFilled || to == S::kFilled || to == S::kCancelled ||
             to == S::kExpired;
    case S::kPartiallyFilled:
      return to == S::kPartiallyFilled || to == S::kFilled || to == S::kCancelled ||
             to == S::kExpired;
    default:
      return false;
  }
}

OrderState state_from_venue(exchange::VenueOrderStatus status) {
  using V = exchange::VenueOrderStatus;
  switch (status) {
    case V::kNew:
    case V::kPendingNew:
      return OrderState::kOpen;
    case V::kPendingCancel:
      // enums.md: PENDING_CANCEL is "currently unused" yet documented; the cancel is not done
      // and the order can still fill, so it stays open until CANCELED arrives.
      return OrderState::kOpen;
    case V::kPartiallyFilled:
      return OrderState::kPartiallyFilled;
    case V::kFilled:
      return OrderState::kFilled;
    case V::kCanceled:
      return OrderState::kCancelled;
    case V::kRejected:
      return OrderState::kRejected;
    case V::kExpired:
    case V::kExpiredInMatch:
      return OrderState::kExpired;
  }
  return OrderState::kUnknown;
}

}  // namespace cephalo::orders
