// RiskConfig: the limits of the three risk tiers with their defaults, and their validation.
// Thread-safety: plain values; validate() is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cephalo {

// Units: fractions are plain ratios (0.02 = 2 %), money is quote currency, durations are ns or
// bars (a bar = one distinct candle time seen by RiskEngine::on_bar). Where a comment says
// "0 = off" the rule is skipped; the defaults run a spot account with no rule beyond "a position
// and the whole book fit in the equity".

// Position tier: limits on one position, and its protective exits.
struct PositionRiskConfig {
  double stop_loss_fraction = 0;  // 0 = off; long stop = entry × (1 − f), short entry × (1 + f)
  double stop_loss_atr_multiple = 0;  // 0 = off; long stop = entry − k × ATR (RiskEngine::set_atr)
  double take_profit_fraction = 0;    // 0 = off; long target = entry × (1 + f)
  double trailing_stop_fraction = 0;  // 0 = off; long trail = highest high since entry × (1 − f)
  // The trail arms once a high reaches entry × (1 + a); 0 arms it at the entry.
  double trailing_activation_fraction = 0;
  double max_position_fraction = 1;    // of equity: one pair's notional after the fill, always on
  double max_position_quote = 0;       // 0 = off; one pair's notional after the fill
  double max_leverage = 1;             // gross notional / equity after the fill; 1 = spot
  bool require_stop_on_entry = false;  // refuse an entry that would get no stop loss at all
  int atr_period = 14;  // bars of the ATR behind stop_loss_atr_multiple (the core's "atr:N")
};

// Strategy tier: how often and how eagerly the strategy may enter.
struct StrategyRiskConfig {
  int max_consecutive_losses = 0;    // 0 = off; that many losing trades in a row pause entries
  int loss_pause_bars = 0;           // the pause lasts this many bars and (if both set) ...
  int64_t loss_pause_ns = 0;         // ... this long, whichever ends later
  double min_confidence = 0;         // [0, 1]; entries from a less confident signal are refused
  int max_trades_per_day = 0;        // 0 = off; entries approved per trading day
  int max_open_positions = 0;        // 0 = off; pairs with a position or an order that opens one
  int stop_out_cooldown_bars = 0;    // after a stop-out the pair takes no entry for this many bars
  int64_t stop_out_cooldown_ns = 0;  // ... and this long, whichever ends later; both 0 = off
};

// Account tier: limits on the whole account.
struct AccountRiskConfig {
  double max_daily_loss_fraction = 0;  // 0 = off; of start-of-day equity → no entries that day
  // Closing everything on a daily-loss halt is what bounds the day's loss (to about one bar's move
  // past the limit); without it open positions keep losing while only new entries are blocked.
  bool flatten_on_daily_loss = true;
  // The trading day starts at midnight of UTC+offset (120 = UTC+2: the day starts 22:00 UTC).
  int day_start_utc_offset_minutes = 0;
  double max_exposure_fraction = 1;  // gross notional of all pairs / equity, always on
  double max_drawdown_fraction = 0;  // 0 = off; from peak equity → halt until resume()
  bool flatten_on_drawdown = false;
  int max_open_orders = 0;  // 0 = off; resting orders, counting the one being checked
  // 0 = off; ns since epoch UTC. The kill switch is thrown at the first bar at or after it: a way
  // to rehearse it in a backtest (running bots get it by command).
  int64_t kill_at_ns = 0;
};

struct RiskConfig {
  PositionRiskConfig position;
  StrategyRiskConfig strategy;
  AccountRiskConfig account;
};

// Every nonsense limit at once, each as "<key>: <what is wrong>, found <value>; <what to do>" with
// the key as it appears under `risk:` (e.g. "position.stop_loss_fraction"), so the config layer
// can point at its file and line. Empty when the config is usable.
std::vector<std::string> validate(const RiskConfig& config);

}  // namespace cephalo
