// Protective exits: where a position's stop loss, take profit and trailing stop sit, and whether
// and at what price one of them is hit inside a bar.
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>

#include "risk/risk_config.hpp"

namespace cephalo {

// Prices in quote currency per base unit.
struct BarPrices {
  double open = 0, high = 0, low = 0, close = 0;
};

// 0 means "none" for every level.
struct ProtectiveLevels {
  double stop = 0;           // fixed stop loss
  double target = 0;         // take profit
  double trailing_stop = 0;  // current trail; 0 until the trail arms
};

enum class ProtectiveExitReason { kStopLoss, kTakeProfit, kTrailingStop };
// "stop_loss", "take_profit", "trailing_stop": also the exit order's tag, so the closed trade's
// exit_reason says which one fired.
const char* protective_exit_reason_name(ProtectiveExitReason reason);

struct BarExit {
  ProtectiveExitReason reason = ProtectiveExitReason::kStopLoss;
  double price = 0;     // the fill price the rules give, before any slippage
  double level = 0;     // the stop or target that was hit
  bool gapped = false;  // the bar opened beyond the level: filled at the open
};

// The within-bar rules. A bar shows four prices, not their order, so the path assumed is the one
// least favourable to the trader (the same stance as execution/bar_touch.hpp):
// - The open is the bar's first trade. A level the open is already beyond fills at the open
//   (a long's stop gapped through fills at the open, below the stop; a target gapped through
//   fills at the open, above the target).
// - Long: the stop is hit when low <= stop and fills at the stop; the target when high >= target,
//   filling at the target. Short mirrors: stop when high >= stop, target when low <= target.
// - Both touched inside one bar: the stop came first. The bar cannot say, and assuming the target
//   came first would book a profit the market may never have paid.
// - The effective stop is the tighter of the fixed stop and the trail (the higher for a long);
//   the reason is kTrailingStop only when the trail is strictly tighter.
// - The levels are those set by earlier bars: this bar's own high does not raise the trail it is
//   tested against (that would assume the high came before the low). advance_trail() moves it
//   after the bar.
std::optional<BarExit> protective_exit_in_bar(bool is_long, const ProtectiveLevels& levels,
                                              const BarPrices& bar);

// Stop and target for a position entered at `entry_price`. Candidates for the stop are the
// signal's (`signal_stop`, 0 = none, ignored when on the wrong side of the entry), the fixed
// fraction and the ATR multiple (`atr` in quote, 0 = unknown); the one nearest the entry wins, as
// the engine's stop caps the risk a signal may take. Targets likewise: the nearest wins.
// The trail starts at 0 (unarmed).
ProtectiveLevels entry_levels(const PositionRiskConfig& config, bool is_long, double entry_price,
                              double signal_stop, double signal_target, double atr);

// The trail's state between bars.
struct TrailState {
  double extreme = 0;  // highest high (long) or lowest low (short) since entry, entry included
  bool armed = false;
};

// After a bar: moves the extreme, arms the trail once the extreme is `activation` beyond the
// entry, and ratchets `levels.trailing_stop` (it never loosens). No-op when the trail is off.
void advance_trail(const PositionRiskConfig& config, bool is_long, double entry_price,
                   const BarPrices& bar, TrailState& trail, ProtectiveLevels& levels);

}  // namespace cephalo
