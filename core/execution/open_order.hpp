// OpenOrder: an order the simulated exchange is still working, as the caller may list it.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>

#include "execution/order_request.hpp"

namespace cephalo {

struct OpenOrder {
  OrderRequest request;            // as accepted: prices on the tick, quantity on the lot step
  double filled_quantity = 0;      // base units
  double remaining_quantity = 0;   // base units
  bool triggered = false;          // stop types: the stop was reached; it now works as market/limit
  int64_t placed_bar_open_ns = 0;  // the bar it was submitted on: it trades from the next bar on

  friend bool operator==(const OpenOrder&, const OpenOrder&) = default;
};

}  // namespace cephalo
