// The within-bar fill rules: whether and at what price an order trades inside one bar.
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <cephalo/tentacle.h>

#include "execution/bar.hpp"
#include "execution/execution_report.hpp"

namespace cephalo {

// A bar shows four prices, not the path between them. What is assumed about that path, always
// the assumption least favourable to the trader when the bar cannot tell:
//
// - The open is the first trade of the bar. An order that can trade at the open does so there,
//   even at a better price than it asked (a buy limit at 100 with the bar opening at 98 fills at
//   98); a stop gapped through fills at the open, not at its stop (worse).
// - A limit touched inside the bar (buy: low <= limit, sell: high >= limit) fills at the limit.
// - A stop is reached inside the bar when buy: high >= stop, sell: low <= stop, and fills at the
//   stop (market and stop fills are then slipped by the caller).
// - A stop-limit triggered inside the bar has only two prices known to come after its trigger:
//   the stop itself and the close (by continuity every price between them is traded after the
//   trigger). The high or low may have come before the trigger, so they are not used. So a buy
//   stop-limit fills in its trigger bar at the stop when the stop is within the limit (taker: it
//   crossed the book on triggering), else at the limit only if the close is at or below the limit
//   (maker); otherwise it rests as a plain limit from the next bar on. Sells mirror this.
//   Triggered by a gap at the open, the whole bar follows the trigger: it is a plain limit there.
struct BarTouch {
  bool triggered = false;  // a stop or stop-limit's trigger has been reached (now or before)
  bool fills = false;
  double price = 0;      // quote per base, before slippage and before the tick rounding of slips
  bool at_open = false;  // the fill happens at the bar's first trade
  Liquidity liquidity = Liquidity::kTaker;
  bool slipped = false;  // market and stop fills take slippage; limit fills never do
};

// `limit_price` for LIMIT and STOP_LIMIT, `stop_price` for STOP and STOP_LIMIT; `triggered` says
// whether a stop type already triggered on an earlier bar (a triggered stop is a market order, a
// triggered stop-limit a limit order). Market orders handled here fill at the open.
BarTouch touch_in_bar(cephalo_order_type type, cephalo_side side, bool triggered,
                      double limit_price, double stop_price, const Bar& bar);

}  // namespace cephalo
