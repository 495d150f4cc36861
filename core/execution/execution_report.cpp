// ExecutionReport: what happened to an order (accepted, filled, cancelled, ...) and its fills.
// Thread-safety: plain values and pure functions.
#include "execution/execution_report.hpp"

namespace cephalo {

const char* order_update_name(OrderUpdate update) {
  switch (update) {
    case OrderUpdate::kAccepted:
      return "accepted";
    case OrderUpdate::kPartiallyFilled:
      return "partially_filled";
    case OrderUpdate::kFilled:
      return "filled";
    case OrderUpdate::kCancelled:
      return "cancelled";
    case OrderUpdate::kRejected:
      return "rejected";
    case OrderUpdate::kExpired:
      return "expired";
  }
  return "unknown";
}

const char* liquidity_name(Liquidity liquidity) {
  return liquidity == Liquidity::kMaker ? "maker" : "taker";
}

}  // namespace cephalo
