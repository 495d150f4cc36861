// The within-bar fill rules: whether and at what price an order trades inside one bar.
// Thread-safety: pure function; safe from any thread.
#include "execution/bar_touch.hpp"

namespace cephalo {
namespace {

bool is_buy(cephalo_side side) {
  return side == CEPHALO_SIDE_BUY;
}

BarTouch at_open_as_taker(bool triggered, const Bar& bar) {
  return BarTouch{triggered, true, bar.open, true, Liquidity::kTaker, true};
}

BarTouch limit_touch(cephalo_side side, bool triggered, double limit, const Bar& bar) {
  BarTouch touch;
  touch.triggered = triggered;
  touch.liquidity = Liquidity::kMaker;
  const bool open_inside = is_buy(side) ? bar.open <= limit : bar.open >= limit;
  const bool touched = is_buy(side) ? bar.low <= limit : bar.high >= limit;
  if (open_inside) {
    touch.fills = true;
    touch.price = bar.open;
    touch.at_open = true;
  } else if (touched) {
    touch.fills = true;
    touch.price = limit;
  }
  return touch;
}

BarTouch stop_touch(cephalo_side side, double stop, const Bar& bar) {
  const bool gapped = is_buy(side) ? bar.open >= stop : bar.open <= stop;
  if (gapped) return at_open_as_taker(true, bar);
  const bool reached = is_buy(side) ? bar.high >= stop : bar.low <= stop;
  if (!reached) return BarTouch{};
  return BarTouch{true, true, stop, false, Liquidity::kTaker, true};
}

BarTouch stop_limit_touch(cephalo_side side, double limit, double stop, const Bar& bar) {
  const bool gapped = is_buy(side) ? bar.open >= stop : bar.open <= stop;
  if (gapped) return limit_touch(side, true, limit, bar);
  const bool reached = is_buy(side) ? bar.high >= stop : bar.low <= stop;
  if (!reached) return BarTouch{};
  BarTouch touch;
  touch.triggered = true;
  const bool stop_within_limit = is_buy(side) ? stop <= limit : stop >= limit;
  const bool close_within_limit = is_buy(side) ? bar.close <= limit : bar.close >= limit;
  if (stop_within_limit) {
    touch.fills = true;
    touch.price = stop;
    touch.liquidity = Liquidity::kTaker;
  } else if (close_within_limit) {
    touch.fills = true;
    touch.price = limit;
    touch.liquidity = Liquidity::kMaker;
  }
  return touch;
}

}  // namespace

BarTouch touch_in_bar(cephalo_order_type type, cephalo_side side, bool triggered,
                      double limit_price, double stop_price, const Bar& bar) {
  switch (type) {
    case CEPHALO_ORDER_MARKET:
      return at_open_as_taker(false, bar);
    case CEPHALO_ORDER_LIMIT:
      return limit_touch(side, false, limit_price, bar);
    case CEPHALO_ORDER_STOP:
      return triggered ? at_open_as_taker(true, bar) : stop_touch(side, stop_price, bar);
    case CEPHALO_ORDER_STOP_LIMIT:
      return triggered ? limit_touch(side, true, limit_price, bar)
                       : stop_limit_touch(side, limit_price, stop_price, bar);
    default:
      return BarTouch{};
  }
}

}  // namespace cephalo
