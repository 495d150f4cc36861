// Adverse price slippage for market and stop fills, by the configured model.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cephalo/tentacle.h>

#include "execution/sim_exchange_config.hpp"

namespace cephalo {

// Basis points for a fill of `quantity` (base) in a bar that traded `bar_volume` (base). A bar
// without volume counts as fully taken (participation 1): the data says nothing traded, so the
// fill is assumed to move the price as much as the whole bar.
double slippage_bps(const SlippageConfig& config, double quantity, double bar_volume);

// `price` moved `bps` against the trader: up for a buy, down for a sell.
double slipped_price(cephalo_side side, double price, double bps);

}  // namespace cephalo
