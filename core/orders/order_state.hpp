// The live order state machine: which venue states an order may move between, and why not.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "exchange/venue_types.hpp"

namespace cephalo::orders {

// pending_new: committed to storage, request not answered yet. unknown: the placement may or may
// not have reached the venue (timeout, 5xx, duplicate id); only a query by client order id
// resolves it, never a second placement.
enum class OrderState {
  kPendingNew,
  kOpen,
  kPartiallyFilled,
  kFilled,
  kCancelled,
  kRejected,
  kExpired,
  kUnknown,
};
inline constexpr OrderState kAllOrderStates[] = {
    OrderState::kPendingNew, OrderState::kOpen,      OrderState::kPartiallyFilled,
    OrderState::kFilled,     OrderState::kCancelled, OrderState::kRejected,
    OrderState::kExpired,    OrderState::kUnknown};

const char* order_state_name(OrderState state);  // "pending_new", "open", ...
std::optional<OrderState> order_state_from_name(std::string_view name);
bool is_terminal(OrderState state);

// Whether `from` → `to` is allowed. Staying in partially_filled is a legal step (another fill);
// any other self-transition is not a transition (callers treat it as "nothing new").
bool can_transition(OrderState from, OrderState to);

// The state a venue status maps to.
OrderState state_from_venue(exchange::VenueOrderStatus status);

}  // namespace cephalo::orders
