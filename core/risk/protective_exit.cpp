// The within-bar rules of stop loss, take profit and trailing stop, and where those levels sit.
// Thread-safety: pure functions.
#include "risk/protective_exit.hpp"

#include <algorithm>

namespace cephalo {

const char* protective_exit_reason_name(ProtectiveExitReason reason) {
  switch (reason) {
    case ProtectiveExitReason::kStopLoss:
      return "stop_loss";
    case ProtectiveExitReason::kTakeProfit:
      return "take_profit";
    case ProtectiveExitReason::kTrailingStop:
      return "trailing_stop";
  }
  return "unknown";
}

std::optional<BarExit> protective_exit_in_bar(bool is_long, const ProtectiveLevels& levels,
                                              const BarPrices& bar) {
  // Mirror a short into a long by negating prices: every comparison below then reads "long".
  const double sign = is_long ? 1 : -1;
  double stop = levels.stop > 0 ? sign * levels.stop : 0;
  ProtectiveExitReason stop_reason = ProtectiveExitReason::kStopLoss;
  const bool has_fixed = levels.stop > 0;
  if (levels.trailing_stop > 0) {
    const double trail = sign * levels.trailing_stop;
    if (!has_fixed || trail > stop) {
      stop = trail;
      stop_reason = ProtectiveExitReason::kTrailingStop;
    }
  }
  const bool has_stop = has_fixed || levels.trailing_stop > 0;
  const bool has_target = levels.target > 0;
  const double target = sign * levels.target;
  const double open = sign * bar.open;
  const double low = is_long ? bar.low : -bar.high;
  const double high = is_long ? bar.high : -bar.low;

  auto exit = [&](ProtectiveExitReason reason, double level, double price, bool gapped) {
    return BarExit{reason, sign * price, sign * level, gapped};
  };
  if (has_stop && open <= stop) return exit(stop_reason, stop, open, true);
  if (has_target && open >= target) {
    return exit(ProtectiveExitReason::kTakeProfit, target, open, true);
  }
  if (has_stop && low <= stop) return exit(stop_reason, stop, stop, false);
  if (has_target && high >= target) {
    return exit(ProtectiveExitReason::kTakeProfit, target, target, false);
  }
  return std::nullopt;
}

ProtectiveLevels entry_levels(const PositionRiskConfig& config, bool is_long, double entry_price,
                              double signal_stop, double signal_target, double atr) {
  const double sign = is_long ? 1 : -1;
  // In "long" terms (prices × sign) the nearest stop is the highest below the entry and the
  // nearest target the lowest above it.
  const double entry = sign * entry_price;
  std::optional<double> stop, target;
  auto offer_stop = [&](double price) {
    if (price <= 0) return;  // a stop at or below zero is no stop
    const double s = sign * price;
    if (s < entry) stop = stop ? std::max(*stop, s) : s;
  };
  auto offer_target = [&](double price) {
    if (price <= 0) return;
    const double t = sign * price;
    if (t > entry) target = target ? std::min(*target, t) : t;
  };
  offer_stop(signal_stop);
  if (config.stop_loss_fraction > 0) {
    offer_stop(entry_price * (1 - sign * config.stop_loss_fraction));
  }
  if (config.stop_loss_atr_multiple > 0 && atr > 0) {
    offer_stop(entry_price - sign * config.stop_loss_atr_multiple * atr);
  }
  offer_target(signal_target);
  if (config.take_profit_fraction > 0) {
    offer_target(entry_price * (1 + sign * config.take_profit_fraction));
  }
  ProtectiveLevels levels;
  if (stop) levels.stop = sign * *stop;
  if (target) levels.target = sign * *target;
  return levels;
}

void advance_trail(const PositionRiskConfig& config, bool is_long, double entry_price,
                   const BarPrices& bar, TrailState& trail, ProtectiveLevels& levels) {
  if (config.trailing_stop_fraction <= 0) return;
  const double f = config.trailing_stop_fraction;
  const double a = config.trailing_activation_fraction;
  if (is_long) {
    trail.extreme = std::max(trail.extreme, bar.high);
    if (trail.extreme >= entry_price * (1 + a)) trail.armed = true;
    if (trail.armed) levels.trailing_stop = std::max(levels.trailing_stop, trail.extreme * (1 - f));
  } else {
    trail.extreme = std::min(trail.extreme, bar.low);
    if (trail.extreme <= entry_price * (1 - a)) trail.armed = true;
    if (trail.armed) {
      const double level = trail.extreme * (1 + f);
      levels.trailing_stop =
          levels.trailing_stop > 0 ? std::min(levels.trailing_stop, level) : level;
    }
  }
}

}  // namespace cephalo
