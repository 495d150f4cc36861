// AccountView: what the risk engine needs to know of the account, filled in by the caller.
// Thread-safety: plain values; the helpers are pure.
#pragma once

#include <cephalo/tentacle.h>

#include <string>
#include <string_view>
#include <vector>

namespace cephalo {

// Prices in quote currency per base unit, quantities in base units, equity in quote currency.
// Doubles like the rest of the core's records: limits are compared with a relative tolerance
// (kRiskTolerance), never for exact equality of money.
struct AccountPosition {
  std::string symbol;
  double quantity = 0;  // signed: negative is a short
  double price = 0;     // the mark it is valued at (the last close)
};

// A resting order: it may still fill, so limits count it as if it will.
struct AccountOrder {
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;  // what is left to fill
  double price = 0;     // limit or stop price; 0 for a market order waiting for its bar
};

struct AccountView {
  double equity = 0;  // cash plus positions at their marks
  std::vector<AccountPosition> positions;
  std::vector<AccountOrder> open_orders;
};

// A limit may be met exactly by a size computed from it; the tolerance absorbs the last-bit
// rounding of quantity × price so such an order is not refused.
inline constexpr double kRiskTolerance = 1e-9;

// Signed position of the pair (0 when absent).
double position_quantity(const AccountView& account, std::string_view symbol);
// The pair's mark, else the price of one of its resting orders, else 0.
double reference_price(const AccountView& account, std::string_view symbol);

// The largest |position| the pair can reach if every resting order of it fills, plus an extra
// `buy`/`sell` quantity (base): max(|pos + buys|, |pos − sells|). Buys and sells cannot both fill
// toward the same side, so this is the worst case, not a sum.
double worst_case_quantity(const AccountView& account, std::string_view symbol, double extra_buy,
                           double extra_sell);

// Gross worst-case notional (quote) of every pair except `skip`, each at reference_price.
double gross_notional_except(const AccountView& account, std::string_view skip);

// Pairs other than `skip` whose worst case is not flat.
int open_position_count_except(const AccountView& account, std::string_view skip);

}  // namespace cephalo
