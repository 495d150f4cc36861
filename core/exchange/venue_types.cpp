// Wire spellings of the exchange enums.
// Thread-safety: pure functions.
#include "exchange/venue_types.hpp"

namespace cephalo::exchange {

const char* side_text(OrderSide side) {
  return side == OrderSide::kBuy ? "BUY" : "SELL";
}

const char* order_type_text(OrderType type) {
  return type == OrderType::kLimit ? "LIMIT" : "MARKET";
}

const char* time_in_force_text(TimeInForce tif) {
  switch (tif) {
    case TimeInForce::kGtc:
      return "GTC";
    case TimeInForce::kIoc:
      return "IOC";
    case TimeInForce::kFok:
      return "FOK";
  }
  return "GTC";
}

const char* venue_status_text(VenueOrderStatus status) {
  switch (status) {
    case VenueOrderStatus::kNew:
      return "NEW";
    case VenueOrderStatus::kPartiallyFilled:
      return "PARTIALLY_FILLED";
    case VenueOrderStatus::kFilled:
      return "FILLED";
    case VenueOrderStatus::kCanceled:
      return "CANCELED";
    case VenueOrderStatus::kRejected:
      return "REJECTED";
    case VenueOrderStatus::kExpired:
      return "EXPIRED";
  }
  return "?";
}

}  // namespace cephalo::exchange
