// OrderRequest: an order as the core hands it to an exchange adapter.
// Thread-safety: a plain value.
#pragma once

#include <cephalo/tentacle.h>

#include <cstdint>
#include <string>

namespace cephalo {

// Prices in quote per base, quantity in base units, time in ns since epoch UTC.
struct OrderRequest {
  std::string client_order_id;  // unique among the open orders
  std::string symbol;           // "BASE/QUOTE"
  cephalo_side side = CEPHALO_SIDE_BUY;
  cephalo_order_type type = CEPHALO_ORDER_MARKET;
  cephalo_time_in_force tif = CEPHALO_TIF_GTC;
  double quantity = 0;
  double price = 0;       // the limit: LIMIT and STOP_LIMIT only
  double stop_price = 0;  // the trigger: STOP and STOP_LIMIT only
  std::string tag;        // becomes the exit_reason of a round trip this order closes
  int64_t time_ns = 0;    // when it was submitted

  friend bool operator==(const OrderRequest&, const OrderRequest&) = default;
};

}  // namespace cephalo
