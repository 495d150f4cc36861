// Wire spellings of the exchange enums (enums.md).
// Thread-safety: pure functions.
#include "exchange/venue_types.hpp"

#include <utility>

namespace cephalo::exchange {
namespace {

constexpr std::pair<OrderType, const char*> kOrderTypes[] = {
    {OrderType::kLimit, "LIMIT"},
    {OrderType::kMarket, "MARKET"},
    {OrderType::kStopLoss, "STOP_LOSS"},
    {OrderType::kStopLossLimit, "STOP_LOSS_LIMIT"},
    {OrderType::kTakeProfit, "TAKE_PROFIT"},
    {OrderType::kTakeProfitLimit, "TAKE_PROFIT_LIMIT"},
    {OrderType::kLimitMaker, "LIMIT_MAKER"},
};

constexpr std::pair<VenueOrderStatus, const char*> kStatuses[] = {
    {VenueOrderStatus::kNew, "NEW"},
    {VenueOrderStatus::kPendingNew, "PENDING_NEW"},
    {VenueOrderStatus::kPartiallyFilled, "PARTIALLY_FILLED"},
    {VenueOrderStatus::kFilled, "FILLED"},
    {VenueOrderStatus::kPendingCancel, "PENDING_CANCEL"},
    {VenueOrderStatus::kCanceled, "CANCELED"},
    {VenueOrderStatus::kRejected, "REJECTED"},
    {VenueOrderStatus::kExpired, "EXPIRED"},
    {VenueOrderStatus::kExpiredInMatch, "EXPIRED_IN_MATCH"},
};

}  // namespace

const char* side_text(OrderSide side) {
  return side == OrderSide::kBuy ? "BUY" : "SELL";
}

const char* order_type_text(OrderType type) {
  for (const auto& [value, text] : kOrderTypes) {
    if (value == type) return text;
  }
  return "?";
}

std::optional<OrderType> order_type_from_text(std::string_view text) {
  for (const auto& [value, name] : kOrderTypes) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool is_stop_type(OrderType type) {
  return type == OrderType::kStopLoss || type == OrderType::kStopLossLimit ||
         type == OrderType::kTakeProfit || type == OrderType::kTakeProfitLimit;
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
  for (const auto& [value, text] : kStatuses) {
    if (value == status) return text;
  }
  return "?";
}

std::optional<VenueOrderStatus> venue_status_from_text(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (text == name) return value;
  }
  return std::nullopt;
}

int64_t RateLimitRule::interval_ms() const {
  const int64_t unit = interval == "SECOND" ? 1'000
                       : interval == "MINUTE" ? 60'000
                       : interval == "HOUR"   ? 3'600'000
                       : interval == "DAY"    ? 86'400'000
                                              : 0;
  return unit * interval_num;
}

}  // namespace cephalo::exchange
